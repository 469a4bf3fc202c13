import type { BenchSuite } from '../lib/suite.ts';
import { coreSuite } from './core.suite.ts';
import { memorySuite } from './memory.suite.ts';

/**
 * Every suite, in the order they run. Adding one: write `<name>.suite.ts` exporting a `BenchSuite`
 * and add it here. Reports show exactly the suites that ran.
 */
export const suites: readonly BenchSuite[] = [coreSuite, memorySuite];
