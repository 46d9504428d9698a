/** "Did you mean" for unknown keys and enum values: the closest candidate, if close enough. */

const normalise = (s: string) => s.toLowerCase().replace(/[-_\s]/g, '');

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let prevPrev = prev;
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      // two swapped neighbours (`plna` for `plan`) count as one edit
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j] ?? 0, (prevPrev[j - 2] ?? 0) + 1);
    }
    prevPrev = prev;
    prev = row;
  }
  return prev[b.length] ?? 0;
}

/** The candidate closest to `input` (ignoring case, `-` and `_`), or undefined when none is plausibly meant. */
export function closest(input: string, candidates: readonly string[]): string | undefined {
  const wanted = normalise(input);
  let best: { candidate: string; score: number } | undefined;
  for (const candidate of candidates) {
    const score = distance(wanted, normalise(candidate));
    if (!best || score < best.score) best = { candidate, score };
  }
  if (!best) return undefined;
  const prefixed = candidates.filter((c) => wanted.length >= 4 && (normalise(c).startsWith(wanted) || wanted.startsWith(normalise(c))));
  if (best.score > 0 && prefixed.length === 1) return prefixed[0];
  const limit = Math.max(1, Math.floor(Math.max(wanted.length, best.candidate.length) / 3));
  return best.score <= limit ? best.candidate : undefined;
}
