import { loadConfig } from '../src/config.js';
import { ask, createEngine, type Engine } from '../src/engine.js';
import type { GoldItem } from '../src/eval/gold.js';
import { hitAtK, reciprocalRank } from '../src/eval/metrics.js';
import { buildIndex } from '../src/ingest/build.js';
import { loadIndex, type LoadedIndex } from '../src/ingest/load.js';
import { MiniSearchBaseline } from '../src/retrieve/minisearch-baseline.js';
import { retrieve, type RetrievedChunk } from '../src/retrieve/retrieve.js';
import { median, round, summarize, timeEach, type LatencySummary } from './stats.js';

/** Passages per query in the timing runs: the default of POST /api/search (src/retrieve/search.ts). */
export const SEARCH_K = 5;
/** Ranked list length used for MRR (hit@1 only looks at the first). */
export const QUALITY_K = 10;

export interface IngestTiming {
  chunks: number;
  documents: number;
  /** Every run in ms, the first one in a fresh process (cold JIT). */
  runsMs: number[];
  /** Median over the runs (ms). */
  ms: number;
}

/** Times `buildIndex` (force: true, the corpus-trained embedder) `runs` times into `indexDir`. */
export async function timeIngest(corpusDir: string, indexDir: string, runs: number): Promise<IngestTiming> {
  const runsMs: number[] = [];
  let chunks = 0;
  let documents = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const report = await buildIndex({ corpusDir, indexDir, force: true });
    runsMs.push(round(performance.now() - t0, 1));
    chunks = report.chunks;
    documents = report.documents;
  }
  return { chunks, documents, runsMs, ms: median(runsMs) };
}

/** Loads the index in this process, returning it with the time taken (ms). */
export async function timeLoad(corpusDir: string, indexDir: string): Promise<{ index: LoadedIndex; ms: number }> {
  const t0 = performance.now();
  const index = await loadIndex({ corpusDir, indexDir });
  return { index, ms: round(performance.now() - t0, 1) };
}

/** Engine with the extractive composer only (no LLM configured), reading the given corpus and index. */
export function extractiveEngine(corpusDir: string, indexDir: string): Promise<Engine> {
  // An empty env: the bench must not pick up an LLM endpoint or token from the caller's shell.
  return createEngine(loadConfig({}, { corpusDir, indexDir }));
}

/** retrieve() latency (hybrid, k = SEARCH_K) over the questions, `rounds` times after a warm-up round. */
export async function timeRetrieve(index: LoadedIndex, questions: readonly string[], rounds: number): Promise<LatencySummary> {
  return summarize(await timeEach(questions, rounds, (q) => retrieve(index, q, { k: SEARCH_K })));
}

/** ask() latency (extractive composer) over the questions, `rounds` times after a warm-up round. */
export async function timeAnswer(engine: Engine, questions: readonly string[], rounds: number): Promise<LatencySummary> {
  return summarize(await timeEach(questions, rounds, (q) => ask(engine, { question: q })));
}

/** Retrieval quality and speed of one system. */
export interface RetrieverFigures {
  /** Mean hit@1 by file over answerable gold questions. */
  hitAt1: number;
  /** Mean reciprocal rank within the first QUALITY_K passages. */
  mrr: number;
  /** Per-query latency (ms), k = SEARCH_K. */
  latency: LatencySummary;
}

export interface RetrieverComparison {
  questions: number;
  ours: RetrieverFigures;
  minisearch: RetrieverFigures & { buildMs: number };
  /** ours / minisearch: > 1 means ours is higher (better for quality, slower for latency). */
  ratio: { hitAt1: number; mrr: number; p50: number; p95: number };
}

function quality(gold: readonly GoldItem[], ranked: (q: string) => RetrievedChunk[]): { hitAt1: number; mrr: number } {
  let hit = 0;
  let rr = 0;
  for (const item of gold) {
    const files = ranked(item.question).map((r) => r.chunk.file);
    hit += hitAtK(files, item.sources, 1) ?? 0;
    rr += reciprocalRank(files, item.sources, QUALITY_K) ?? 0;
  }
  return { hitAt1: round(hit / gold.length, 4), mrr: round(rr / gold.length, 4) };
}

/**
 * Our hybrid retrieval against MiniSearch with default options on the same chunks
 * (src/retrieve/minisearch-baseline.ts), on the answerable gold questions.
 */
export async function compareWithMiniSearch(index: LoadedIndex, answerable: readonly GoldItem[], rounds: number): Promise<RetrieverComparison> {
  const questions = answerable.map((g) => g.question);
  const t0 = performance.now();
  const baseline = new MiniSearchBaseline(index.chunks);
  const buildMs = round(performance.now() - t0, 1);

  const ourLists = new Map<string, RetrievedChunk[]>();
  for (const q of questions) ourLists.set(q, await retrieve(index, q, { k: QUALITY_K }));
  const ours = { ...quality(answerable, (q) => ourLists.get(q) ?? []), latency: await timeRetrieve(index, questions, rounds) };
  const mini = {
    ...quality(answerable, (q) => baseline.search(q, QUALITY_K)),
    latency: summarize(await timeEach(questions, rounds, (q) => baseline.search(q, SEARCH_K))),
    buildMs,
  };
  const ratio = (a: number, b: number) => (b === 0 ? Number.NaN : round(a / b, 2));
  return {
    questions: questions.length,
    ours,
    minisearch: mini,
    ratio: {
      hitAt1: ratio(ours.hitAt1, mini.hitAt1),
      mrr: ratio(ours.mrr, mini.mrr),
      p50: ratio(ours.latency.p50, mini.latency.p50),
      p95: ratio(ours.latency.p95, mini.latency.p95),
    },
  };
}

/** MiniSearch (default options) query latency on an index's chunks, for the growth table. */
export async function timeMiniSearch(index: LoadedIndex, questions: readonly string[], rounds: number): Promise<LatencySummary> {
  const baseline = new MiniSearchBaseline(index.chunks);
  return summarize(await timeEach(questions, rounds, (q) => baseline.search(q, SEARCH_K)));
}
