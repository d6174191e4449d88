import type { LoadedIndex } from '../ingest/load.js';
import { retrieve, type RetrievedChunk } from '../retrieve/retrieve.js';
import { foldText } from '../text/analyze.js';
import type { SourceKind } from '../types.js';
import type { QuestionIntent } from './intent.js';
import { weighQuestion, type QuestionTerm } from './question-terms.js';
import {
  completeLeadIns,
  countPattern,
  scoreSentences,
  selectSentences,
  type ScoredSentence,
} from './select.js';
import { candidateSentences, type CandidateSentence, type SentenceCache } from './sentences.js';

/** What choosing sentences needs: the loaded index and, when prepared, its sentences. */
export interface ChooseContext {
  index: LoadedIndex;
  sentences?: SentenceCache | undefined;
}

export interface ChooseOptions {
  /** Most sentences in the answer (before a lead-in's completion). */
  maxSentences: number;
  /** Sentences that must not be chosen (already shown). */
  exclude?: (sentence: CandidateSentence) => boolean;
}

/**
 * The offline composer's choice of sentences for a question: the retrieved passages, plus the passages
 * that state a count a "hoeveel X" question asks for and the best passages of a source the question names
 * (or of the guideline for "wat moet ik doen"); scored, filtered to what the question is about, and a
 * selected lead-in completed by its next sentence. An empty result means the corpus does not answer.
 */
export async function chooseSentences(
  ctx: ChooseContext,
  query: string,
  intent: QuestionIntent,
  passages: RetrievedChunk[],
  options: ChooseOptions,
): Promise<ScoredSentence[]> {
  const { index } = ctx;
  const questionTerms = weighQuestion(index.analyzer, index.bm25, query);
  const focus = intent.quantityFocus
    ? index.analyzer.contentTerms(intent.quantityFocus).flatMap((t) => index.analyzer.equivalents(t))
    : [];
  const pool = [
    ...passages,
    ...countingPassages(index, passages, focus),
    ...(await sourcePassages(
      index,
      query,
      passages,
      intent.sourceKind ?? (intent.advice ? 'guideline' : undefined),
    )),
  ];
  const exclude = options.exclude ?? (() => false);
  const candidates = statements(index, candidateSentences(index, pool, ctx.sentences)).filter(
    (c) => !exclude(c),
  );
  const scored = scoreSentences(candidates, questionTerms, intent, focus, index.sources);
  const { maxSentences } = options;
  const mustMention = aboutTerms(questionTerms);
  // "Wat zegt het KCE …?" is answered from the KCE first; other sources only fill up a thin answer.
  const named = intent.sourceKind
    ? selectSentences(
        scored.filter((c) => index.sources.get(c.passage.chunk.file)?.kind === intent.sourceKind),
        { maxSentences, mustMention },
      )
    : [];
  const chosen =
    named.length >= 2
      ? named
      : [
          ...named,
          ...selectSentences(
            scored.filter((c) => !named.includes(c)),
            { maxSentences: maxSentences - named.length, mustMention },
          ),
        ];
  return completeLeadIns(chosen, scored, mustMention);
}

/**
 * The best passages of one kind of source that retrieval ranked below others: the named source for "Wat
 * zegt het KCE …?", the guideline for "Wat moet ik doen …?" (recommendations answer it).
 */
async function sourcePassages(
  index: LoadedIndex,
  query: string,
  passages: RetrievedChunk[],
  kind: SourceKind | undefined,
): Promise<RetrievedChunk[]> {
  if (!kind) return [];
  const have = new Set(passages.map((p) => p.chunk.id));
  const wide = await retrieve(index, query, { k: 30 });
  return wide
    .filter((p) => !have.has(p.chunk.id) && index.sources.get(p.chunk.file)?.kind === kind)
    .slice(0, 3);
}

/** Population words qualify a question ("bij chronische pijn"); they are not what it is about. */
const POPULATION = /^(acut|acuut|subacut|chronisch|chronic|langdur)/;

/** The words a question is about: known, not the corpus topic, not a population qualifier. */
function aboutTerms(question: QuestionTerm[]): string[][] {
  return question.filter((q) => q.known && !q.topic && !POPULATION.test(q.term)).map((q) => q.equivalents);
}

/** Drops a document's title and its section headings: they name a topic, they do not state anything. */
function statements(index: LoadedIndex, candidates: CandidateSentence[]): CandidateSentence[] {
  const norm = (t: string): string =>
    t
      .replace(/[\s.:]+/g, ' ')
      .trim()
      .toLowerCase();
  return candidates.filter((c) => {
    const text = norm(c.text);
    const title = index.sources.get(c.passage.chunk.file)?.title;
    return (
      (title === undefined || norm(title) !== text) && !c.passage.chunk.section.some((h) => norm(h) === text)
    );
  });
}

/**
 * For "Hoeveel X …?": the passages of the best-matching documents that state a number right before X
 * ("40 deelnemers"). Retrieval finds the document; the count often sits in a methods passage that shares
 * few words with the question.
 */
function countingPassages(index: LoadedIndex, passages: RetrievedChunk[], focus: string[]): RetrievedChunk[] {
  const counted = countPattern(focus);
  if (!counted) return [];
  const files = new Set(passages.slice(0, 3).map((p) => p.chunk.file));
  const have = new Set(passages.map((p) => p.chunk.id));
  return index.chunks
    .filter(
      (c) => files.has(c.file) && !have.has(c.id) && c.role === 'body' && counted.test(foldText(c.text)),
    )
    .map((chunk) => ({
      chunk,
      score: 0,
      ranks: { lexical: null, dense: null },
      lexicalScore: 0,
      similarity: 0,
      matched: [],
    }));
}
