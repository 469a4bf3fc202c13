import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../server/app.ts';
import { createCatalogRegistry } from '../signatures/index.ts';
import { createProviderResolver } from '../server/providers/create-provider-resolver.ts';
import { createScriptedProvider } from '../src/testing/scripted-provider.ts';
import { createRecyclingProvider } from '../bench/suites/recycling-provider.ts';
import { ANSWER_REPLY, EXECUTE_PATH } from '../bench/suites/http-workload.ts';
import { openSqliteStore } from '../src/store/index.ts';
import { createCache } from '../src/cache/index.ts';

async function build(cached: boolean) {
  const ai = createRecyclingProvider(() => createScriptedProvider({ fallback: ANSWER_REPLY }), 500);
  const cache = cached ? createCache({ store: openSqliteStore({ dataDir: mkdtempSync(join(tmpdir(), 'p-')) }) }) : undefined;
  return buildApp({
    ...(cache === undefined ? {} : { cache }),
    signatures: createCatalogRegistry(),
    providers: createProviderResolver([{ provider: 'scripted', model: 'scripted-model', ai, roles: ['fast'] }]),
    logger: false,
    rateLimit: false,
  });
}
const mode = process.argv[2] ?? 'both';
const apps = { on: await build(true), off: await build(false) };
let n = 0;
const one = async (app: Awaited<ReturnType<typeof build>>) => {
  const r = await app.inject({ method: 'POST', url: EXECUTE_PATH, payload: { signature: 'answer-question', inputs: { question: `What is the capital of country ${n++}?` }, config: { temperature: 0 } } });
  if (r.statusCode !== 200) throw new Error(r.body);
};
const N = Number(process.env.N ?? 3000);
for (let round = 0; round < 6; round++) {
  for (const name of (round % 2 ? ['on', 'off'] : ['off', 'on']) as ('on' | 'off')[]) {
    if (mode !== 'both' && mode !== name) continue;
    const app = apps[name];
    const t = performance.now();
    for (let i = 0; i < N; i++) await one(app);
    if (round > 0) console.log(name, (((performance.now() - t) * 1000) / N).toFixed(1), 'µs/req');
  }
}
process.exit(0);
