import type { BenchSuite } from './suite.ts';

/**
 * Resolves `--suite` values (repeatable, each possibly a comma list) against the registry, in registry
 * order; no values means every suite. Throws naming the known suites when a name is unknown.
 */
export function selectSuites(requested: readonly string[], registry: readonly BenchSuite[]): BenchSuite[] {
  const names = new Set(
    requested
      .flatMap((value) => value.split(','))
      .map((name) => name.trim())
      .filter((name) => name !== ''),
  );
  if (names.size === 0) return [...registry];
  const known = new Set(registry.map((suite) => suite.name));
  const unknown = [...names].filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new Error(
      `unknown suite(s): ${unknown.join(', ')}; available: ${[...known].join(', ')} (use --suite <name>)`,
    );
  }
  return registry.filter((suite) => names.has(suite.name));
}
