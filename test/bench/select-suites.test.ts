import { describe, expect, it } from 'vitest';
import { selectSuites } from '../../bench/lib/select-suites.ts';
import type { BenchSuite } from '../../bench/lib/suite.ts';

const suite = (name: string): BenchSuite => ({ name, description: name, run: async () => [] });
const registry = [suite('core'), suite('memory'), suite('http')];

describe('selectSuites', () => {
  it('selects every suite when none is named', () => {
    expect(selectSuites([], registry).map((s) => s.name)).toEqual(['core', 'memory', 'http']);
  });

  it('accepts repeated flags and comma lists, in registry order, without duplicates', () => {
    const names = selectSuites(['http,core', ' core ', 'http'], registry).map((s) => s.name);
    expect(names).toEqual(['core', 'http']);
  });

  it('names the unknown suite and the available ones', () => {
    expect(() => selectSuites(['core,local'], registry)).toThrow(
      'unknown suite(s): local; available: core, memory, http (use --suite <name>)',
    );
  });
});
