import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../src/index.ts';
import { measureSemantic } from '../bench/suites/semantic-lookup.ts';
const store = openSqliteStore({ dataDir: mkdtempSync(join(tmpdir(), 'sem-')) });
const r = await measureSemantic(store, { quick: false, durationMs: 1000, signal: new AbortController().signal, progress: () => {} }, Number(process.env.N ?? 20000));
console.log(JSON.stringify(r));
process.exit(0);
