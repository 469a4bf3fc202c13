import { describe, expect, it } from 'vitest';
import { describeTarget, judge, parseTargets, type Target } from '../../bench/lib/targets.ts';

const ratioTarget: Target = { metric: 'core.x', on: 'ratio', comparison: '<=', threshold: 1.2, why: 'test' };
const valueTarget: Target = { metric: 'core.x', on: 'value', comparison: '>=', threshold: 100, why: 'test' };

describe('judge', () => {
  it('says "none" for a metric no target names', () => {
    expect(judge({ value: 5, ratio: 9 }, [])).toEqual({ status: 'none', detail: 'no target' });
  });

  it('passes on the threshold itself and fails just beyond it', () => {
    expect(judge({ value: 1, ratio: 1.2 }, [ratioTarget]).status).toBe('pass');
    expect(judge({ value: 1, ratio: 1.2001 }, [ratioTarget]).status).toBe('fail');
    expect(judge({ value: 100 }, [valueTarget]).status).toBe('pass');
    expect(judge({ value: 99.9 }, [valueTarget]).status).toBe('fail');
  });

  it('judges a ratio target on the ratio, not on the value', () => {
    expect(judge({ value: 1000, ratio: 1.1 }, [ratioTarget]).status).toBe('pass');
    expect(judge({ value: 0.5, ratio: 1.5 }, [ratioTarget])).toEqual({
      status: 'fail',
      detail: 'ratio 1.5 not <= 1.2',
    });
  });

  it('fails a ratio target when there is no baseline, saying so', () => {
    const verdict = judge({ value: 1 }, [ratioTarget]);
    expect(verdict.status).toBe('fail');
    expect(verdict.detail).toMatch(/no baseline/);
  });

  it('fails when any one of several targets is missed', () => {
    expect(judge({ value: 150, ratio: 1.1 }, [ratioTarget, valueTarget]).status).toBe('pass');
    expect(judge({ value: 50, ratio: 1.1 }, [ratioTarget, valueTarget]).status).toBe('fail');
  });
});

describe('parseTargets', () => {
  it('reads targets and defaults `on` to the value', () => {
    const [target] = parseTargets({
      targets: [{ metric: 'memory.idle_rss_mb', comparison: '<=', threshold: 300, why: 'small hosts' }],
    });
    expect(target).toEqual({
      metric: 'memory.idle_rss_mb',
      on: 'value',
      comparison: '<=',
      threshold: 300,
      why: 'small hosts',
    });
  });

  it('lists every problem with its path', () => {
    expect(() =>
      parseTargets(
        { targets: [{ metric: 'a.b', comparison: '<', threshold: 'x', why: '' }] },
        'targets.json',
      ),
    ).toThrow(/targets\.json is invalid: targets\.0\.comparison: .*targets\.0\.threshold: .*targets\.0\.why/);
  });

  it('rejects a target without a reason', () => {
    expect(() => parseTargets({ targets: [{ metric: 'a.b', comparison: '<=', threshold: 1 }] })).toThrow(
      /why/,
    );
  });

  it('rejects two targets on the same metric and quantity', () => {
    expect(() => parseTargets({ targets: [ratioTarget, { ...ratioTarget, threshold: 2 }] })).toThrow(/twice/);
  });
});

it('the shipped bench/targets.json parses', async () => {
  const { loadTargets } = await import('../../bench/lib/targets.ts');
  const targets = await loadTargets(new URL('../../bench/targets.json', import.meta.url).pathname);
  expect(targets.length).toBeGreaterThan(0);
  expect(describeTarget(ratioTarget)).toBe('ratio <= 1.2');
});
