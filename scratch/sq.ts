import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { openSqliteStore } from '../src/index.ts';
const store = openSqliteStore({ dataDir: mkdtempSync(join(tmpdir(), 'sq-')) });
const value = JSON.stringify({ outputs: { answer: 'Paris is the capital of France, and it has been for a long while.' }, provider: 'scripted', model: 'scripted-model', usage: { promptTokens: 100, completionTokens: 20, totalTokens: 120 }, requestId: randomUUID(), savedAt: Date.now() });
for (const batch of [1, 20, 50, 256]) {
  for (let round = 0; round < 3; round++) {
    const N = 20000;
    let t = performance.now();
    for (let i = 0; i < N; i += batch) {
      const entries = Array.from({ length: batch }, () => ({ key: randomUUID() + randomUUID(), value, ttlMs: 86400000 }));
      await store.setMany('responses', entries);
    }
    const w = ((performance.now() - t) * 1000) / N;
    t = performance.now();
    for (let i = 0; i < N; i++) await store.get('responses', randomUUID());
    const g = ((performance.now() - t) * 1000) / N;
    t = performance.now();
    await store.trim('responses', 256 * 1024 * 1024);
    console.log(`batch ${batch}: write ${w.toFixed(1)} µs/row, get-miss ${g.toFixed(1)} µs, trim ${(performance.now() - t).toFixed(1)} ms, size`, await store.size('responses'));
  }
}
