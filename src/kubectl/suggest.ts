/** Cobra's "Did you mean this?" suggestions: Levenshtein distance ≤ 2 or a prefix match. */

function levenshtein(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const d: number[] = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    let prev = d[0]!;
    d[0] = i;
    for (let j = 1; j <= t.length; j++) {
      const tmp = d[j]!;
      d[j] = Math.min(d[j]! + 1, d[j - 1]! + 1, prev + (s[i - 1] === t[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return d[t.length]!;
}

export function suggestionsFor(typed: string, candidates: readonly string[], minimumDistance = 2): string[] {
  return candidates.filter(
    (c) => levenshtein(typed, c) <= minimumDistance || c.toLowerCase().startsWith(typed.toLowerCase()),
  );
}
