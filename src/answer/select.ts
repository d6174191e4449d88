/**
 * Small sentence-matching helpers shared by the ranker (src/rank/) and the answer core: the counted-number
 * pattern of a "hoeveel X" question and term-set similarity for redundancy.
 */

/**
 * Matches a number right before what is counted: "40 deelnemers", "2 674 deelnemers" (space-grouped
 * thousands), "23 gerandomiseerde studies". Undefined when there is nothing to count.
 * @param focus index terms (stems) of what is counted; matched as word prefixes of folded text.
 */
export function countPattern(focus: string[]): RegExp | undefined {
  const stems = focus.map((t) => t.replace(/[^\p{L}\p{N}]/gu, '')).filter((t) => t.length >= 3);
  if (stems.length === 0) return undefined;
  return new RegExp(`\\d(?:[\\d.,]|\\s(?=\\d))*\\s+(?:\\p{L}+\\s+)?(?:${stems.join('|')})`, 'u');
}

/** Jaccard similarity of two term lists as sets. */
export function jaccard(a: string[], b: string[]): number {
  const sa = new Set(a);
  const sb = new Set(b);
  if (sa.size === 0 && sb.size === 0) return 1;
  let inter = 0;
  for (const t of sa) if (sb.has(t)) inter++;
  return inter / (sa.size + sb.size - inter);
}
