import type { BenchSuite } from '../lib/suite.ts';
import { cacheSuite } from './cache.suite.ts';
import { chaosSuite } from './chaos.suite.ts';
import { coreSuite } from './core.suite.ts';
import { httpSuite } from './http.suite.ts';
import { localSuite } from './local.suite.ts';
import { memorySuite } from './memory.suite.ts';
import { modelsSuite } from './models.suite.ts';
import { overheadSuite } from './overhead.suite.ts';
import { runsSuite } from './runs.suite.ts';
import { typedSuite } from './typed.suite.ts';

/**
 * Every suite, in the order they run. Adding one: write `<name>.suite.ts` exporting a `BenchSuite`
 * and add it here. Reports show exactly the suites that ran.
 */
export const suites: readonly BenchSuite[] = [
  coreSuite,
  localSuite,
  typedSuite,
  modelsSuite,
  httpSuite,
  chaosSuite,
  cacheSuite,
  runsSuite,
  overheadSuite,
  memorySuite,
];
