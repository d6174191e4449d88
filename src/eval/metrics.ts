import type { Recommendation } from './gold.js';

/**
 * Pure evaluation metrics (no I/O, no state): retrieval quality by file, fact recall, number support,
 * stance agreement, percentiles and per-category aggregation. Every metric value is a rate in [0, 1];
 * `null` means "not applicable to this question" and is left out of means.
 */

/** Metric values of one question, keyed by metric name; null = not applicable (e.g. hit@k when unanswerable). */
export type MetricValues = Record<string, number | null>;
/** Mean of each metric over the questions where it applies. */
export type MetricMeans = Record<string, number>;

/** Display labels of the metric names the evaluation runner is expected to use (others are shown raw). */
export const METRIC_LABELS: Readonly<Record<string, string>> = {
  'hit@k': 'Hit@k',
  mrr: 'MRR',
  'ndcg@k': 'nDCG@k',
  factRecall: 'Fact recall',
  numbersSupported: 'Numbers supported',
  stanceAgreement: 'Stance agreement',
  refusalCorrect: 'Refusal correct',
  redFlagHandled: 'Red flag handled',
  citationsVerbatim: 'Citations verbatim',
  'hit@1': 'Hit@1',
  'hit@5': 'Hit@5',
  'ndcg@10': 'nDCG@10',
  fullyCorrect: 'Fully correct',
  sourceCited: 'Expected source cited',
  leadFact: 'Fact in bottom line',
  medianWords: 'Median words',
};

/** One cited passage as shown with an answer. */
export interface RowCitation {
  n: number;
  file: string;
  quote: string;
}

/** Everything recorded for one gold question in a run. */
export interface PerQuestionRow {
  id: string;
  question: string;
  category: string;
  lang: 'nl' | 'en';
  answerable: boolean;
  /** Answer text as shown to the user. */
  answer: string;
  refused: boolean;
  citations: RowCitation[];
  metrics: MetricValues;
  /** Human-readable reasons this question failed (empty = passed). */
  failed: string[];
  /** End-to-end latency of the answer in milliseconds. */
  latencyMs?: number;
  /** Split the question belongs to: 'tune' / 'test' (split by id), or a label for a file scored whole. */
  split?: string;
  /** Words of the answer without [n] markers; null when refused or unanswerable (see answerWords). */
  words?: number | null;
}

/** Aggregated metrics of one system. */
export interface SystemSummary {
  /** Short name shown in charts, e.g. "BM25-only baseline". */
  label?: string;
  overall: MetricMeans;
  byCategory: Record<string, MetricMeans>;
  /** Median answer length in words over answerable, non-refused questions (null when there are none). */
  medianWords?: number | null;
}

/** Ours and the baseline on the questions of one split. */
export interface SplitSummary {
  /** Questions in the split. */
  n: number;
  ours: SystemSummary;
  baseline: SystemSummary;
}

/** A full evaluation report (written to eval/report.json and rendered to eval/report.html). */
export interface Report {
  /** ISO 8601 timestamp. */
  generatedAt: string;
  /** Path of the gold file that was scored. */
  gold: string;
  /** Short name of the evaluated system (default "rugwijs"). */
  system?: string;
  overall: MetricMeans;
  byCategory: Record<string, MetricMeans>;
  /** Same aggregate shape for the comparison system. */
  baseline: SystemSummary;
  /** Answer latency percentiles in milliseconds. */
  latency: { p50: number; p95: number };
  /** Retrieval-only metrics of each ranker on the same questions (hybrid, lexical, dense, MiniSearch). */
  retrievers?: Record<string, MetricMeans>;
  /** Median answer length in words of ours (answerable, non-refused questions). */
  medianWords?: number | null;
  /** Ours and the baseline per split ('gold', 'tune', 'test', …), keyed by the rows' `split`. */
  splits?: Record<string, SplitSummary>;
  rows: PerQuestionRow[];
}

// ---------------------------------------------------------------------------------------------------
// Retrieval metrics (binary relevance by file)
// ---------------------------------------------------------------------------------------------------

/**
 * Relevance of each position of a ranked list of chunk files. A file counts as relevant only at its
 * FIRST occurrence: later chunks of an already-found file add nothing (they occupy a rank but gain 0),
 * so k keeps meaning "the first k passages" while a document can be found only once.
 */
function gains(rankedFiles: readonly string[], expected: readonly string[]): number[] {
  const want = new Set(expected);
  const seen = new Set<string>();
  return rankedFiles.map((file) => {
    if (seen.has(file)) return 0;
    seen.add(file);
    return want.has(file) ? 1 : 0;
  });
}

/**
 * Hit@k: 1 when any of the first k ranked chunk files is an expected file, else 0.
 * @param rankedFiles file of each retrieved chunk, best first (may repeat files).
 * @param expected corpus files that answer the question.
 * @param k cutoff (positive integer).
 * @returns null when `expected` is empty (retrieval is not applicable to unanswerable questions).
 */
export function hitAtK(
  rankedFiles: readonly string[],
  expected: readonly string[],
  k: number,
): number | null {
  assertK(k);
  if (expected.length === 0) return null;
  return gains(rankedFiles, expected)
    .slice(0, k)
    .some((g) => g > 0)
    ? 1
    : 0;
}

/**
 * Reciprocal rank: 1 / (1-based position of the first chunk from an expected file), 0 when none is found
 * (within the first k when k is given).
 * @returns null when `expected` is empty.
 */
export function reciprocalRank(
  rankedFiles: readonly string[],
  expected: readonly string[],
  k?: number,
): number | null {
  if (k !== undefined) assertK(k);
  if (expected.length === 0) return null;
  const g = gains(rankedFiles, expected).slice(0, k ?? rankedFiles.length);
  const first = g.findIndex((x) => x > 0);
  return first < 0 ? 0 : 1 / (first + 1);
}

/**
 * nDCG@k with binary relevance by file: DCG = Σ_{i≤k} rel_i / log2(i + 1) over chunk positions i (1-based),
 * where rel_i = 1 only at the first occurrence of an expected file; the ideal DCG puts min(|expected|, k)
 * relevant files at the top. Range [0, 1].
 * @returns null when `expected` is empty.
 */
export function ndcgAtK(
  rankedFiles: readonly string[],
  expected: readonly string[],
  k: number,
): number | null {
  assertK(k);
  const distinct = new Set(expected);
  if (distinct.size === 0) return null;
  const dcg = gains(rankedFiles, expected)
    .slice(0, k)
    .reduce((sum, g, i) => sum + g / Math.log2(i + 2), 0);
  let ideal = 0;
  for (let i = 0; i < Math.min(distinct.size, k); i++) ideal += 1 / Math.log2(i + 2);
  return dcg / ideal;
}

function assertK(k: number): void {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
}

// ---------------------------------------------------------------------------------------------------
// Text matching
// ---------------------------------------------------------------------------------------------------

/**
 * Normalization used for every phrase match: Unicode NFD with combining marks removed (so "patiënten",
 * "patiénten" — OCR damage — and "patienten" are equal), lower case, typographic quotes and dashes
 * folded to ASCII, every whitespace run (incl. no-break spaces and line breaks) collapsed to one space.
 */
export function normalizeText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[‘’‚‛`´]/g, "'")
    .replace(/[“”„‟]/g, '"')
    .replace(/[‐‑‒–—―−]/g, '-')
    .replace(/\s+/g, ' ')
    .trim();
}

// ---------------------------------------------------------------------------------------------------
// Bottom line and length
// ---------------------------------------------------------------------------------------------------

/** The first citation marker "[1" of an answer: what comes before it is the bottom line. */
const FIRST_MARKER = /\[\s*\d/;

/**
 * The bottom line of an answer: its text before the first `[n]` citation marker (the whole text when it has
 * none, e.g. a refusal). A red-flag notice that opens the answer is part of it.
 */
export function bottomLine(answer: string): string {
  const at = answer.search(FIRST_MARKER);
  return at < 0 ? answer : answer.slice(0, at);
}

/**
 * leadFact: 1 when some alternative of some fact group occurs in the bottom line (the answer before its
 * first [n] marker), else 0 — did the answer open with what it had to say? Same matching as factRecall.
 * @returns null when there are no facts (unanswerable questions).
 */
export function leadFact(answer: string, facts: readonly (readonly string[])[]): number | null {
  if (facts.length === 0) return null;
  return factRecall(bottomLine(answer), [facts.flat()]).recalled;
}

/**
 * Words of an answer as the reader sees them: the text without [n] citation markers, counting every
 * whitespace-separated token that holds a letter or digit ("–" or a lone ":" is not a word).
 */
export function answerWords(answer: string): number {
  return (answer.replace(CITATION_MARKER, ' ').match(/\S*[\p{L}\d]\S*/gu) ?? []).length;
}

/** Median of the non-null values (R-7 percentile 50); null when there are none. */
export function medianOf(values: readonly (number | null | undefined)[]): number | null {
  const present = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  return present.length === 0 ? null : percentile(present, 50);
}

const DIGIT = /\d/;

/**
 * Whether normalized `needle` occurs in normalized `hay`. Alphabetic edges may match inside a word (so a
 * stem such as "beweg" matches "bewegen"), but a numeric edge must not continue as a number: "7" does not
 * match inside "37" or "7,5", and "12" does not match "12,5".
 */
function containsPhrase(hay: string, needle: string): boolean {
  if (needle === '') return false;
  const startsNum = DIGIT.test(needle[0] ?? '');
  const endsNum = DIGIT.test(needle[needle.length - 1] ?? '');
  for (let at = hay.indexOf(needle); at >= 0; at = hay.indexOf(needle, at + 1)) {
    const before = hay.slice(Math.max(0, at - 2), at);
    const after = hay.slice(at + needle.length, at + needle.length + 2);
    if (startsNum && (/\d$/.test(before) || /\d[.,]$/.test(before))) continue;
    if (endsNum && (/^\d/.test(after) || /^[.,]\d/.test(after))) continue;
    return true;
  }
  return false;
}

/**
 * Fact recall: how many fact groups have at least one alternative in the answer (after `normalizeText`
 * on both sides; numeric edges must not continue as a number, see above).
 * @param answer answer text as shown.
 * @param facts groups of alternative phrasings.
 */
export function factRecall(
  answer: string,
  facts: readonly (readonly string[])[],
): { recalled: number; total: number } {
  const hay = normalizeText(answer);
  const recalled = facts.filter((group) =>
    group.some((alt) => containsPhrase(hay, normalizeText(alt))),
  ).length;
  return { recalled, total: facts.length };
}

// ---------------------------------------------------------------------------------------------------
// Numbers
// ---------------------------------------------------------------------------------------------------

/** Citation markers such as [1], [2, 3], [1–3]; they are references, not claims. */
const CITATION_MARKER = /\[\s*\d+(?:\s*[,;–-]\s*\d+)*\s*\]/g;
/** Dutch thousands grouping with spaces: "2 674", "1 146 000" (also no-break and narrow spaces). */
const SPACE_GROUPED = /(?<![\d.,])(\d{1,3})((?:[ \u00a0\u202f]\d{3})+)(?![\d])/g;
/** A number not glued to letters (so "TRPV1", "VO2max", "M54", "1ste" are names, not quantities). */
const NUMBER = /(?<![\p{L}\d])\d+(?:[.,]\d+)*(?![\p{L}\d])/gu;

/**
 * Numbers stated in a text, as canonical decimal strings in order of occurrence (duplicates kept).
 * Decisions:
 * - "2,5" and "2.5" are the same number ("2.5"); "2,50" → "2.5"; leading zeros dropped.
 * - A number with several separators ("1.146.000") is thousands-grouped; so are space-grouped numbers
 *   ("2 674" → "2674"). A single "." or "," is always read as a decimal comma/point.
 * - The sign is dropped ("-19,35" → "19.35"): answers often say "daling van 19,35".
 * - "70%" → "70"; ranges "0-100" give both ends.
 * - Citation markers like [1] or [2, 3] are ignored; digits glued to letters (TRPV1, VO2max, 1ste) are
 *   not numbers. Years ARE kept: a wrong year is a wrong fact.
 * - Number words ("drie", "twaalf") are not extracted.
 */
export function numbersIn(text: string): string[] {
  const cleaned = text
    .replace(CITATION_MARKER, ' ')
    // OCR splits decimals ("4 ,9" in the original PDF text); the quote keeps it verbatim, it is still 4,9.
    .replace(/(\d) ([.,])(\d)/g, '$1$2$3')
    .replace(SPACE_GROUPED, (_m, head: string, rest: string) => head + rest.replace(/[ \u00a0\u202f]/g, ''));
  const out: string[] = [];
  for (const match of cleaned.matchAll(NUMBER)) {
    const raw = match[0];
    const separators = raw.match(/[.,]/g)?.length ?? 0;
    const plain = separators > 1 ? raw.replace(/[.,]/g, '') : raw.replace(',', '.');
    out.push(String(Number(plain)));
  }
  return out;
}

/**
 * Whether every number in every answer sentence (citation markers excluded) occurs among the numbers of
 * that sentence's own cited quotes. A sentence with numbers but no quotes is unsupported; a sentence
 * without numbers is always fine.
 */
export function supportedNumbers(sentences: readonly { text: string; quotes: readonly string[] }[]): boolean {
  return sentences.every((s) => {
    const claimed = numbersIn(s.text);
    if (claimed.length === 0) return true;
    const available = new Set(s.quotes.flatMap((q) => numbersIn(q)));
    return claimed.every((n) => available.has(n));
  });
}

// ---------------------------------------------------------------------------------------------------
// Stance
// ---------------------------------------------------------------------------------------------------

/** Sentence split good enough for phrase checks: after . ! ? ; followed by space, and at line breaks. */
function roughSentences(text: string): string[] {
  return text
    .split(/(?<=[.!?;])\s+|\n+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/**
 * The answer sentences that contain one of the recommendation's opposite phrases (normalized match), for
 * failure reasons. Empty when the answer agrees.
 */
export function stanceViolations(answer: string, rec: Pick<Recommendation, 'oppositePhrases'>): string[] {
  const phrases = rec.oppositePhrases.map(normalizeText).filter((p) => p.length > 0);
  return roughSentences(answer).filter((sentence) => {
    const hay = normalizeText(sentence);
    return phrases.some((p) => containsPhrase(hay, p));
  });
}

/** Stance agreement: true when no answer sentence contains one of the recommendation's opposite phrases. */
export function stanceAgreement(answer: string, rec: Pick<Recommendation, 'oppositePhrases'>): boolean {
  return stanceViolations(answer, rec).length === 0;
}

/** 1 when the system refused exactly the unanswerable questions, else 0. */
export function refusalCorrect(answerable: boolean, refused: boolean): number {
  return answerable === refused ? 0 : 1;
}

// ---------------------------------------------------------------------------------------------------
// Aggregation
// ---------------------------------------------------------------------------------------------------

/**
 * p-th percentile with linear interpolation between closest ranks (the common "R-7"/NumPy default).
 * Non-finite values are ignored.
 * @param values samples (e.g. latencies in ms); order does not matter.
 * @param p percentile in [0, 100].
 * @returns NaN when there is no finite value.
 */
export function percentile(values: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be within [0, 100], got ${p}`);
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const pos = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (pos - lo);
}

function means(rows: readonly PerQuestionRow[]): MetricMeans {
  const sum = new Map<string, { total: number; n: number }>();
  for (const row of rows) {
    for (const [name, value] of Object.entries(row.metrics)) {
      // null (not applicable) and non-finite values must not drag a mean toward 0.
      if (value === null || !Number.isFinite(value)) continue;
      const acc = sum.get(name) ?? { total: 0, n: 0 };
      acc.total += value;
      acc.n += 1;
      sum.set(name, acc);
    }
  }
  const out: MetricMeans = {};
  for (const [name, { total, n }] of [...sum.entries()].sort(([a], [b]) => a.localeCompare(b)))
    out[name] = total / n;
  return out;
}

/**
 * Means of every metric overall and per group (category by default), over the rows where the metric is
 * not null. A metric that applies to no row of a group is absent from that group's record.
 * @param by row field to group on: 'category' (default) or 'lang'.
 */
export function summarize(
  rows: readonly PerQuestionRow[],
  by: 'category' | 'lang' = 'category',
): { overall: MetricMeans; groups: Record<string, MetricMeans> } {
  const grouped = new Map<string, PerQuestionRow[]>();
  for (const row of rows) {
    const key = row[by];
    const list = grouped.get(key) ?? [];
    list.push(row);
    grouped.set(key, list);
  }
  const groups: Record<string, MetricMeans> = {};
  for (const [key, list] of [...grouped.entries()].sort(([a], [b]) => a.localeCompare(b)))
    groups[key] = means(list);
  return { overall: means(rows), groups };
}
