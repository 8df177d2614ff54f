/** Levenshtein distance: the fewest single-character insertions, deletions and substitutions that turn `a` into `b`. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

export interface DidYouMeanOptions {
  /** The most edits a suggestion may be away from the word. */
  maxDistance: number;
  /** A candidate equal to the word but for case counts as 0 edits (an exact-but-for-case match wins). */
  ignoreCase?: boolean;
}

/**
 * The candidate closest to `word` for a "did you mean" hint: at most `maxDistance` edits away,
 * the first of the closest ones on ties; undefined when none is that close.
 */
export function didYouMean(
  word: string,
  candidates: Iterable<string>,
  { maxDistance, ignoreCase = false }: DidYouMeanOptions,
): string | undefined {
  let best: string | undefined;
  let bestDistance = maxDistance + 1;
  for (const c of candidates) {
    if (ignoreCase && c.toLowerCase() === word.toLowerCase()) return c;
    // The distance is at least the difference in length: no table when that is too far already.
    if (Math.abs(c.length - word.length) >= bestDistance) continue;
    const d = editDistance(word, c);
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best;
}
