import { closestMatches, editDistance } from '../util/closest-matches.ts';

/** The known name most likely meant by `name` (`profile` -> `profiles`, not `activeProfile`), if any is close. */
export function suggestName(name: string, known: Iterable<string>): string | undefined {
  const q = name.toLowerCase();
  return closestMatches(name, known, 5).sort(
    (a, b) => editDistance(q, a.toLowerCase()) - editDistance(q, b.toLowerCase()),
  )[0];
}

/** ` (did you mean "x"?)`, or an empty string when nothing is close. */
export function didYouMean(name: string, known: Iterable<string>): string {
  const best = suggestName(name, known);
  return best === undefined ? '' : ` (did you mean "${best}"?)`;
}
