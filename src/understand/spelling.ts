import { foldText } from '../text/analyze.js';

/**
 * Typo tolerance as a normalisation step: a question word that neither the corpus nor the lexicon knows
 * ("hardlopn", "parcetamol", "rugpjn") is replaced by the most frequent known word within a small edit
 * distance (Damerau–Levenshtein: 1 for words of 5–9 letters, 2 from 10) that starts with the same letter
 * (typos rarely hit the first one), the way a search engine's fuzzy matching works. Short words are never
 * corrected (too many neighbours), and a word is only replaced when the correction is unambiguous: the best
 * candidate must be strictly more frequent than any other at the same distance. The bar is deliberately
 * high: a drug or condition the corpus never names must stay itself, so it can be refused by name.
 */

/** Known words (folded) with their frequency, bucketed by length for the search. */
export interface SpellingVocabulary {
  counts: ReadonlyMap<string, number>;
  byLength: ReadonlyMap<number, readonly string[]>;
  /** All words, sorted (prefix search for truncated words). */
  sorted: readonly string[];
}

const WORD = /[\p{L}]+/gu;
/** Words shorter than this are never corrected. */
const MIN_LENGTH = 5;

/**
 * Builds the vocabulary from texts (the corpus) and extra known words (lexicon terms, counted once).
 * @param texts cleaned document texts.
 */
export function buildSpellingVocabulary(texts: Iterable<string>, extra: Iterable<string> = []): SpellingVocabulary {
  const counts = new Map<string, number>();
  for (const text of texts) {
    for (const w of foldText(text).match(WORD) ?? []) counts.set(w, (counts.get(w) ?? 0) + 1);
  }
  for (const term of extra) {
    for (const w of foldText(term).match(WORD) ?? []) if (!counts.has(w)) counts.set(w, 1);
  }
  const byLength = new Map<number, string[]>();
  for (const w of [...counts.keys()].sort()) {
    if (w.length < MIN_LENGTH - 2) continue;
    const list = byLength.get(w.length) ?? [];
    list.push(w);
    byLength.set(w.length, list);
  }
  return { counts, byLength, sorted: [...counts.keys()].sort() };
}

/** A truncated word is at least this long ("chron", "manip", "oefenther"; "rug" is too short to guess). */
const MIN_PREFIX = 4;
/** …and its completion at least this many letters longer (an inflection is not a truncation). */
const MIN_COMPLETION = 3;

/**
 * The completion of a truncated word ("chron" → "chronische", "manip" → "manipulatie"): the most frequent
 * corpus word it begins, when that word is at least as frequent as all other completions together (so a
 * prefix shared by several families is left alone) and occurs more than once.
 */
export function completeWord(word: string, vocab: SpellingVocabulary): string | undefined {
  const sorted = vocab.sorted;
  if (word.length < MIN_PREFIX || vocab.counts.has(word)) return undefined;
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as string) < word) lo = mid + 1;
    else hi = mid;
  }
  let best: { w: string; n: number } | undefined;
  let total = 0;
  for (let i = lo; i < sorted.length && (sorted[i] as string).startsWith(word); i++) {
    const w = sorted[i] as string;
    if (w.length < word.length + MIN_COMPLETION) continue;
    const n = vocab.counts.get(w) ?? 0;
    total += n;
    if (!best || n > best.n) best = { w, n };
  }
  return best && best.n > 1 && best.n * 2 >= total ? best.w : undefined;
}

/** Damerau–Levenshtein (optimal string alignment) distance, or `max + 1` as soon as it exceeds `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const prev2 = new Array<number>(b.length + 1).fill(0);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = new Array<number>(b.length + 1).fill(0);
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, (prev2[j - 2] as number) + 1);
      cur[j] = v;
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > max) return max + 1;
    for (let j = 0; j <= b.length; j++) prev2[j] = prev[j] as number;
    prev = cur;
  }
  // Bounded like the early exits: a distance over `max` is reported as max + 1.
  return Math.min(prev[b.length] as number, max + 1);
}

/** The correction of one unknown folded word, or undefined. */
export function correctWord(word: string, vocab: SpellingVocabulary): string | undefined {
  if (word.length < MIN_LENGTH || vocab.counts.has(word)) return undefined;
  const max = word.length >= 10 ? 2 : 1;
  let best: { w: string; d: number; n: number } | undefined;
  let ambiguous = false;
  for (let len = word.length - max; len <= word.length + max; len++) {
    for (const w of vocab.byLength.get(len) ?? []) {
      if (w[0] !== word[0]) continue;
      const d = editDistance(word, w, max);
      if (d > max) continue;
      const n = vocab.counts.get(w) ?? 0;
      if (!best || d < best.d || (d === best.d && n > best.n)) {
        ambiguous = best !== undefined && d === best.d && n === best.n;
        best = { w, d, n };
      } else if (d === best.d && n === best.n) ambiguous = true;
    }
  }
  return best && !ambiguous ? best.w : undefined;
}

/**
 * Rewrites the unknown words of a question to their corrections.
 * @param isKnown whether a surface word is already understood (e.g. it yields no content term, or the
 *   lexicon knows it); such words are left alone.
 * @param isWord whether a word the corpus does not know is still a real word of the language (then it is
 *   no typo: "gezeten" is not "gemeten"); asked only when a correction was found, so a costly word list is
 *   consulted (and loaded) only then.
 * @returns the corrected text (unchanged words keep their spelling) and the corrections made.
 */
export function correctSpelling(
  text: string,
  vocab: SpellingVocabulary,
  isKnown: (word: string) => boolean,
  isWord: (word: string, correction: string) => boolean = () => false,
): { text: string; corrections: { from: string; to: string }[] } {
  const corrections: { from: string; to: string }[] = [];
  const out = text.replace(/[\p{L}]+/gu, (word, at: number) => {
    const folded = foldText(word);
    if (folded.length < MIN_PREFIX || vocab.counts.has(folded) || isKnown(word)) return word;
    // A word cut off by the writer ("chron", "krachtv") is completed before it is taken for a typo, unless it
    // is written as an abbreviation ("incl.") or is part of a hyphenated word ("peri-operatief").
    const next = text[at + word.length];
    const prev = text[at - 1];
    const truncation = next !== '.' && next !== '-' && prev !== '-' ? completeWord(folded, vocab) : undefined;
    const to = truncation ?? (folded.length >= MIN_LENGTH ? correctWord(folded, vocab) : undefined);
    if (!to || isWord(word, to)) return word;
    corrections.push({ from: word, to });
    return to;
  });
  return { text: out, corrections };
}
