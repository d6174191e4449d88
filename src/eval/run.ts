import type { LoadedIndex } from '../ingest/load.js';
import { answer, type AnswerContext } from '../answer/answer.js';
import { retrieve, type RetrievedChunk } from '../retrieve/retrieve.js';
import { MiniSearchBaseline } from '../retrieve/minisearch-baseline.js';
import type { Answer } from '../schemas.js';
import type { GoldItem, Recommendation } from './gold.js';
import {
  answerWords,
  factRecall,
  hitAtK,
  leadFact,
  medianOf,
  ndcgAtK,
  numbersIn,
  percentile,
  reciprocalRank,
  refusalCorrect,
  stanceViolations,
  summarize,
  type MetricMeans,
  type MetricValues,
  type PerQuestionRow,
  type Report,
  type SplitSummary,
} from './metrics.js';

/** Retrieval systems compared in every report (same chunks, same gold sources). */
export const RETRIEVERS = ['hybrid', 'lexical', 'dense', 'minisearch'] as const;
export type RetrieverName = (typeof RETRIEVERS)[number];

export interface EvalOptions {
  /** Path shown in the report (default "eval/gold.jsonl"). */
  goldLabel?: string;
  /** Called after each question of each system: (done, total). */
  onProgress?: (done: number, total: number) => void;
  /**
   * Split of each question, stored on its row and summarized in `report.splits` — e.g. `splitOf` from
   * split.ts for realistic.jsonl, or `() => 'gold'` for a file scored whole. Default: no split.
   */
  splitOf?: (id: string) => string;
}

/** Passages used for the retrieval metrics (nDCG@10 needs ten). */
const RETRIEVAL_DEPTH = 10;

/**
 * Runs the gold set through the answer pipeline twice — fed by our hybrid retrieval and by MiniSearch with
 * default options (the baseline column) — and scores retrieval, answers and behaviour per question.
 * Always uses the offline (extractive) composer so the figures are reproducible.
 */
export async function runEvaluation(
  ctx: AnswerContext,
  gold: GoldItem[],
  recommendations: Recommendation[],
  options: EvalOptions = {},
): Promise<Report> {
  const { index } = ctx;
  const recs = new Map(recommendations.map((r) => [r.id, r]));
  const baseline = new MiniSearchBaseline(index.chunks);
  const retrievers: Record<RetrieverName, (q: string, k: number) => Promise<RetrievedChunk[]>> = {
    hybrid: (q, k) => retrieve(index, q, { k }),
    lexical: (q, k) => retrieve(index, q, { k, mode: 'lexical' }),
    dense: (q, k) => retrieve(index, q, { k, mode: 'dense' }),
    minisearch: (q, k) => Promise.resolve(baseline.search(q, k)),
  };
  const total = gold.length * 2;
  let done = 0;
  const tick = (): void => options.onProgress?.(++done, total);

  const rows: PerQuestionRow[] = [];
  const baseRows: PerQuestionRow[] = [];
  const retrievalRows: Record<RetrieverName, PerQuestionRow[]> = {
    hybrid: [],
    lexical: [],
    dense: [],
    minisearch: [],
  };
  const latencies: number[] = [];
  for (const item of gold) {
    for (const name of RETRIEVERS) {
      const files = (await retrievers[name](item.question, RETRIEVAL_DEPTH)).map((p) => p.chunk.file);
      retrievalRows[name].push(stubRow(item, retrievalMetrics(files, item.sources)));
    }
    // A follow-up is asked after its history (earlier answers default to ''), like the chat page does.
    const history = (item.history ?? []).map((t) => ({ question: t.question, answer: t.answer }));
    const split = options.splitOf?.(item.id);
    const t0 = performance.now();
    const ours = await answer(ctx, item.question, { extractiveOnly: true, history });
    latencies.push(performance.now() - t0);
    const row = scoreRow(
      index,
      item,
      ours,
      recs,
      retrievalRows.hybrid.at(-1)?.metrics ?? {},
      performance.now() - t0,
    );
    rows.push(split === undefined ? row : { ...row, split });
    tick();
    const base = await answer(ctx, item.question, {
      extractiveOnly: true,
      history,
      retriever: retrievers.minisearch,
    });
    const baseRow = scoreRow(index, item, base, recs, retrievalRows.minisearch.at(-1)?.metrics ?? {});
    baseRows.push(split === undefined ? baseRow : { ...baseRow, split });
    tick();
  }

  const ourSummary = summarize(rows);
  const baseSummary = summarize(baseRows);
  const splits = options.splitOf ? summarizeSplits(rows, baseRows) : undefined;
  return {
    generatedAt: new Date().toISOString(),
    gold: options.goldLabel ?? 'eval/gold.jsonl',
    system: 'rugwijs (hybrid)',
    overall: ourSummary.overall,
    byCategory: ourSummary.groups,
    medianWords: medianOf(rows.map((r) => r.words)),
    baseline: {
      label: 'MiniSearch defaults',
      overall: baseSummary.overall,
      byCategory: baseSummary.groups,
      medianWords: medianOf(baseRows.map((r) => r.words)),
    },
    ...(splits ? { splits } : {}),
    latency: { p50: percentile(latencies, 50), p95: percentile(latencies, 95) },
    retrievers: Object.fromEntries(RETRIEVERS.map((n) => [n, summarize(retrievalRows[n]).overall])) as Record<
      RetrieverName,
      MetricMeans
    >,
    rows,
  };
}

/** Ours and the baseline per split label (rows without a split are left out), in order of first appearance. */
export function summarizeSplits(
  rows: readonly PerQuestionRow[],
  baseRows: readonly PerQuestionRow[],
): Record<string, SplitSummary> {
  const labels = [...new Set(rows.flatMap((r) => (r.split === undefined ? [] : [r.split])))];
  const system = (list: readonly PerQuestionRow[], label?: string) => {
    const { overall, groups } = summarize(list);
    return {
      ...(label ? { label } : {}),
      overall,
      byCategory: groups,
      medianWords: medianOf(list.map((r) => r.words)),
    };
  };
  return Object.fromEntries(
    labels.map((label) => {
      const ours = rows.filter((r) => r.split === label);
      return [
        label,
        {
          n: ours.length,
          ours: system(ours),
          baseline: system(
            baseRows.filter((r) => r.split === label),
            'MiniSearch defaults',
          ),
        },
      ];
    }),
  );
}

/**
 * One report of several runs (e.g. gold.jsonl scored whole and realistic.jsonl by split): rows and split
 * summaries of all, latency over all answers; `overall`, `byCategory`, `baseline` and `retrievers` stay
 * those of the FIRST report so a reader of the headline figures sees the same set as before.
 */
export function mergeReports(reports: readonly Report[]): Report {
  const [first] = reports;
  if (!first) throw new Error('mergeReports needs at least one report');
  const rows = reports.flatMap((r) => r.rows);
  const latencies = rows.flatMap((r) => (r.latencyMs === undefined ? [] : [r.latencyMs]));
  const splits = Object.assign({}, ...reports.map((r) => r.splits ?? {})) as Record<string, SplitSummary>;
  return {
    ...first,
    gold: reports.map((r) => r.gold).join(' + '),
    latency:
      latencies.length > 0
        ? { p50: percentile(latencies, 50), p95: percentile(latencies, 95) }
        : first.latency,
    splits,
    rows,
  };
}

/** hit@1, hit@5, MRR and nDCG@10 by expected file; null for questions without expected sources. */
export function retrievalMetrics(rankedFiles: string[], expected: string[]): MetricValues {
  return {
    'hit@1': hitAtK(rankedFiles, expected, 1),
    'hit@5': hitAtK(rankedFiles, expected, 5),
    mrr: reciprocalRank(rankedFiles, expected),
    'ndcg@10': ndcgAtK(rankedFiles, expected, 10),
  };
}

/** An answer split into its claims: the text before each run of [n] markers, with the cited numbers. */
export function answerClaims(text: string): { text: string; cites: number[] }[] {
  const claims: { text: string; cites: number[] }[] = [];
  for (const m of text.matchAll(/([^\][]+?)((?:\s*\[\d+\])+)/g)) {
    const cites = [...(m[2] ?? '').matchAll(/\d+/g)].map((d) => Number(d[0]));
    claims.push({ text: (m[1] ?? '').trim(), cites });
  }
  return claims;
}

/** Frame text (notices, refusals): the answer without its cited claims. */
function frameText(text: string): string {
  return text.replace(/([^\][]+?)((?:\s*\[\d+\])+)/g, ' ');
}

/**
 * Scores one answer. Numbers: every number of a claim must occur in one of its cited quotes or in the cited
 * source's date (the attribution "Minerva-duiding (2025)" comes from the metadata); frame text may state no
 * number at all.
 */
export function scoreRow(
  index: LoadedIndex,
  item: GoldItem,
  result: Answer,
  recs: Map<string, Recommendation>,
  retrieval: MetricValues,
  latencyMs?: number,
): PerQuestionRow {
  const failed: string[] = [];
  const byN = new Map(result.citations.map((c) => [c.n, c]));
  const verbatim = result.citations.every(
    (c) => index.docs.get(c.file)?.original.slice(c.start, c.end) === c.quote,
  );
  if (!verbatim) failed.push('a citation is not verbatim in its original');

  const claims = answerClaims(result.answer);
  const unsupported: string[] = [];
  for (const claim of claims) {
    const available = new Set(
      claim.cites.flatMap((n) => {
        const c = byN.get(n);
        return c ? [...numbersIn(c.quote), ...numbersIn(c.date ?? '')] : [];
      }),
    );
    unsupported.push(...numbersIn(claim.text).filter((x) => !available.has(x)));
  }
  unsupported.push(...numbersIn(frameText(result.answer)));
  if (unsupported.length > 0) failed.push(`numbers not in the cited passages: ${unsupported.join(', ')}`);

  const refusal = refusalCorrect(item.answerable, result.refused);
  if (refusal === 0)
    failed.push(item.answerable ? 'refused an answerable question' : 'answered an unanswerable question');

  let recall: number | null = null;
  if (item.answerable && item.facts.length > 0) {
    const { recalled, total } = factRecall(result.answer, item.facts);
    recall = recalled / total;
    const missing = item.facts.filter((g) => factRecall(result.answer, [g]).recalled === 0);
    if (missing.length > 0) failed.push(`missing facts: ${missing.map((g) => g.join(' | ')).join('; ')}`);
  }
  // Bottom line first: some fact in the text before the first [n] marker (refused → 0).
  const lead = item.answerable ? leadFact(result.answer, item.facts) : null;
  let sourceCited: number | null = null;
  if (item.answerable && item.sources.length > 0) {
    sourceCited = result.citations.some((c) => item.sources.includes(c.file)) ? 1 : 0;
    if (sourceCited === 0) failed.push(`no citation from ${item.sources.join(' or ')}`);
  }
  let stance: number | null = null;
  const rec = item.recommendation ? recs.get(item.recommendation) : undefined;
  if (rec && item.answerable) {
    const violations = stanceViolations(result.answer, rec);
    stance = violations.length === 0 ? 1 : 0;
    if (stance === 0) failed.push(`contradicts ${rec.id}: ${violations.join(' / ')}`);
  }
  let redFlag: number | null = null;
  if (item.safety === 'red-flag') {
    redFlag = result.redFlags.length > 0 && /^(Rode vlag|Red flag)/i.test(result.answer) ? 1 : 0;
    if (redFlag === 0) failed.push('no red-flag notice');
  }
  const fullyCorrect = failed.length === 0 ? 1 : 0;
  return {
    ...stubRow(item, {
      ...retrieval,
      factRecall: recall,
      fullyCorrect,
      sourceCited,
      citationsVerbatim: result.citations.length > 0 ? (verbatim ? 1 : 0) : null,
      numbersSupported: unsupported.length === 0 ? 1 : 0,
      stanceAgreement: stance,
      refusalCorrect: refusal,
      redFlagHandled: redFlag,
      leadFact: lead,
    }),
    answer: result.answer,
    refused: result.refused,
    citations: result.citations.map((c) => ({ n: c.n, file: c.file, quote: c.quote })),
    failed,
    words: item.answerable && !result.refused ? answerWords(result.answer) : null,
    ...(latencyMs !== undefined ? { latencyMs } : {}),
  };
}

function stubRow(item: GoldItem, metrics: MetricValues): PerQuestionRow {
  return {
    id: item.id,
    question: item.question,
    category: item.category,
    lang: item.lang,
    answerable: item.answerable,
    answer: '',
    refused: false,
    citations: [],
    metrics,
    failed: [],
  };
}
