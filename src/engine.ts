import type { Config } from './config.js';
import { AppError } from './errors.js';
import { ensureIndex, type LoadedIndex } from './ingest/load.js';
import type { Logger } from './logger.js';
import { loadPrompts, type Prompts } from './answer/prompts.js';
import { answer } from './answer/answer.js';
import { prepareSentences, type SentenceCache } from './answer/sentences.js';
import { loadRanker, type Ranker } from './rank/rank.js';
import { searchPassages } from './retrieve/search.js';
import type { Answer, AskInput, SearchInput, SearchResult } from './schemas.js';
import type { z } from 'zod';
import type { SourceDetailSchema, SourceInfoSchema } from './schemas.js';

/** The loaded core every adapter (CLI, HTTP, MCP) calls: an explicit value, never module state. */
export interface Engine {
  index: LoadedIndex;
  prompts: Prompts;
  config: Config;
  /** Every chunk's sentences, split and analyzed once at load. */
  sentences: SentenceCache;
  /** The learned answer ranker (model + cue data), loaded once. */
  ranker: Ranker;
}

export type SourceInfo = z.infer<typeof SourceInfoSchema>;
export type SourceDetail = z.infer<typeof SourceDetailSchema>;

/**
 * Loads (building first when missing or stale) the index and the prompt templates.
 * @param log receives a line when the index has to be (re)built.
 */
export async function createEngine(config: Config, log?: Logger): Promise<Engine> {
  const [index, prompts] = await Promise.all([
    ensureIndex({
      corpusDir: config.corpusDir,
      indexDir: config.indexDir,
      embedModel: config.embedModel,
      onRebuild: (reason) => log?.warn({ code: reason.code }, `${reason.message} Building the index now.`),
    }),
    loadPrompts(config.promptsDir),
  ]);
  return { index, prompts, config, sentences: prepareSentences(index), ranker: loadRanker() };
}

/**
 * Answers a validated question (the shared core of CLI ask, POST /api/ask and MCP answer_question).
 * Citations of a PDF carry the 1-based `page` their quote starts on.
 */
export async function ask(engine: Engine, input: AskInput): Promise<Answer> {
  const result = await answer(engine, input.question, { k: input.k, history: input.history });
  return withPages(engine, result);
}

/** Adds `page` to every citation whose document has page offsets (PDF); other citations are unchanged. */
export function withPages(engine: Engine, result: Answer): Answer {
  const paged = <T extends { file: string; start: number; page?: number }>(c: T): T => {
    const pages = engine.index.docs.get(c.file)?.pages;
    if (!pages || pages.length === 0 || c.page !== undefined) return c;
    return { ...c, page: pageAt(pages, c.start) };
  };
  return { ...result, citations: result.citations.map(paged), moreEvidence: result.moreEvidence.map(paged) };
}

/**
 * 1-based page of an offset, given ascending page start offsets (pages[0] = 0): the last page starting at
 * or before the offset.
 */
export function pageAt(pages: readonly number[], offset: number): number {
  let lo = 0;
  let hi = pages.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((pages[mid] as number) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/** Searches passages (CLI search, POST /api/search, MCP search_passages). */
export function search(engine: Engine, input: SearchInput): Promise<SearchResult> {
  return searchPassages(engine.index, input);
}

/** Metadata of every source document. */
export function listSources(engine: Engine): SourceInfo[] {
  return [...engine.index.sources.values()].map((s) => ({
    file: s.file,
    title: s.title,
    kind: s.kind,
    publisher: s.publisher,
    ...(s.date ? { date: s.date } : {}),
    authority: s.authority,
    label: s.label,
    chars: engine.index.docs.get(s.file)?.original.length ?? 0,
  }));
}

/** One source with its original text; unknown file → AppError('not_found'). */
export function getSource(engine: Engine, file: string): SourceDetail {
  const info = listSources(engine).find((s) => s.file === file);
  const doc = engine.index.docs.get(file);
  if (!info || !doc) throw new AppError('not_found', `Unknown source "${file}". GET /api/sources lists the documents.`);
  return { ...info, text: doc.original };
}
