import { describe, expect, it } from 'vitest';
import { createRecyclingProvider } from '../../bench/suites/recycling-provider.ts';
import { createScriptedProvider, type ScriptedProvider } from '../../src/testing/index.ts';

const request = { chatPrompt: [{ role: 'user' as const, content: 'hi' }] };

describe('createRecyclingProvider', () => {
  it('hands calls to a fresh instance every N calls, so no instance records more than N', async () => {
    const made: ScriptedProvider[] = [];
    const ai = createRecyclingProvider(() => {
      const provider = createScriptedProvider({ fallback: 'Answer: ok' });
      made.push(provider);
      return provider;
    }, 3);
    for (let i = 0; i < 7; i++) {
      const response = await ai.chat(request);
      expect(response).toMatchObject({ results: [{ content: 'Answer: ok' }] });
    }
    expect(made.map((provider) => provider.calls.length)).toEqual([2, 3, 2]);
  });

  it('answers for the current instance and carries options over to the next one', async () => {
    let n = 0;
    const ai = createRecyclingProvider(() => createScriptedProvider({ name: `p${++n}`, fallback: 'x' }), 1);
    ai.setOptions({ debug: true });
    expect(ai.getName()).toBe('p1');
    await ai.chat(request);
    expect(ai.getName()).toBe('p2');
    expect(ai.getOptions().debug).toBe(true);
  });

  it('rejects a recycling period below one call', () => {
    expect(() => createRecyclingProvider(() => createScriptedProvider(), 0)).toThrow(/>= 1/);
  });
});
