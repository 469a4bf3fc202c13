import { describe, expect, it } from 'vitest';
import { workerCountFor } from '../../../src/providers/onnx/index.ts';
import { validateWorkers } from '../../../src/providers/onnx/worker-count.ts';

const MiB = 2 ** 20;
const GiB = 2 ** 30;

describe('workerCountFor', () => {
  it('gives a small model one worker per core under auto', () => {
    expect(workerCountFor('auto', { modelBytes: 0.2 * MiB, budgetBytes: 12 * GiB, cores: 2 })).toBe(2);
    expect(workerCountFor('auto', { modelBytes: 12 * MiB, budgetBytes: 12 * GiB, cores: 4 })).toBe(4);
  });

  it('caps the replicas of a small model by the memory budget', () => {
    expect(workerCountFor('auto', { modelBytes: 10 * MiB, budgetBytes: 25 * MiB, cores: 8 })).toBe(2);
    expect(workerCountFor('auto', { modelBytes: 10 * MiB, budgetBytes: 5 * MiB, cores: 8 })).toBe(1);
  });

  it('gives a model of 16 MiB or more, or of unknown size, one worker under auto', () => {
    expect(workerCountFor('auto', { modelBytes: 1.3 * GiB, budgetBytes: 12 * GiB, cores: 16 })).toBe(1);
    expect(workerCountFor('auto', { modelBytes: 16 * MiB, budgetBytes: 12 * GiB, cores: 16 })).toBe(1);
    expect(workerCountFor('auto', { modelBytes: 0, budgetBytes: 12 * GiB, cores: 16 })).toBe(1);
  });

  it('keeps an explicit count whatever the model', () => {
    expect(workerCountFor(3, { modelBytes: 1.3 * GiB, budgetBytes: 1 * GiB, cores: 1 })).toBe(3);
  });

  it('rejects counts that are not positive integers with SIGNET_CONFIG_INVALID', () => {
    for (const bad of [0, -1, 1.5, Number.NaN])
      expect(() => validateWorkers(bad)).toThrow(expect.objectContaining({ code: 'SIGNET_CONFIG_INVALID' }));
    expect(() => validateWorkers('auto')).not.toThrow();
  });
});
