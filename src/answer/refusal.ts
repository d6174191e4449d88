import type { LoadedIndex } from '../ingest/load.js';
import type { RetrievedChunk } from '../retrieve/retrieve.js';
import type { QuestionIntent } from './intent.js';
import { statesDoseOrCost } from './intent.js';
import { coverageOf, weighQuestion } from './question-terms.js';
import { mentionsBack, mentionsOtherCondition } from './domain.js';
import type { SentenceCache } from './sentences.js';

/** Why a question is not answered from the corpus. */
export type RefusalReason =
  | 'no-content'
  | 'injection'
  | 'out-of-domain'
  | 'not-in-corpus'
  | 'unknown-subject'
  | 'dose-or-cost';

/** Normalized evidence that the corpus answers a question (each 0–1, comparable across query lengths). */
export interface Evidence {
  /** idf-weighted share of the question's content terms (or an equivalent) found in the top passages. */
  coverage: number;
  /** Share of the question's content terms that occur anywhere in the corpus. */
  known: number;
  /** idf weight share of content terms that occur nowhere in the corpus (unknown words are salient). */
  unknownWeight: number;
  /** Whether lexical and dense rankers agree on at least one of their top-3 passages. */
  agreement: boolean;
  /** Content terms of the question that occur nowhere in the corpus (not even as a compound head). */
  unknownTerms: string[];
  /** Whether the treatment a yes/no question asks about (`QuestionIntent.efficacyFocus`) is unknown to the corpus. */
  focusUnknown: boolean;
}

export interface RefusalThresholds {
  /** Refuse below this coverage (0–1). */
  minCoverage: number;
  /** Refuse a question that does not name the back when unknown words carry at least this weight share (0–1). */
  maxUnknownWeight: number;
  /** The same for a question that names the back: its unknown words are mostly everyday verbs (0–1). */
  maxUnknownWeightAnchored: number;
}

/** Calibrated on the unanswerable questions of eval/gold.jsonl (see docs/decisions.md). */
export const DEFAULT_REFUSAL_THRESHOLDS: RefusalThresholds = {
  minCoverage: 0.4,
  maxUnknownWeight: 0.34,
  maxUnknownWeightAnchored: 0.8,
};

/** Computes the normalized evidence for a question against its retrieved passages. */
export function measureEvidence(
  index: LoadedIndex,
  question: string,
  passages: RetrievedChunk[],
  intent?: QuestionIntent,
  cache?: SentenceCache,
): Evidence {
  const terms = weighQuestion(index.analyzer, index.bm25, question);
  if (terms.length === 0) return { coverage: 0, known: 0, unknownWeight: 1, agreement: false, unknownTerms: [], focusUnknown: false };
  const top = passages.slice(0, 3);
  const passageTerms = new Set(
    top.flatMap((p) => cache?.get(p.chunk.id)?.flatMap((x) => x.terms) ?? index.analyzer.terms(p.chunk.text)),
  );
  const total = terms.reduce((a, t) => a + t.weight, 0);
  const unknown = terms.filter((t) => !t.known).reduce((a, t) => a + t.weight, 0);
  const lexTop = new Set(passages.filter((p) => p.ranks.lexical !== null && p.ranks.lexical <= 3).map((p) => p.chunk.id));
  const agreement = passages.some((p) => p.ranks.dense !== null && p.ranks.dense <= 3 && lexTop.has(p.chunk.id));
  return {
    coverage: coverageOf(terms, passageTerms),
    known: terms.filter((t) => t.known).length / terms.length,
    unknownWeight: total > 0 ? unknown / total : 1,
    agreement,
    unknownTerms: terms.filter((t) => !t.known).map((t) => t.term),
    focusUnknown: intent?.efficacyFocus
      ? index.analyzer.contentTerms(intent.efficacyFocus).some((f) => terms.some((t) => t.term === f && !t.known))
      : false,
  };
}

/**
 * Decides whether to refuse. Raw BM25 scores grow with query length, so the decision uses the normalized
 * evidence only, plus the one question type this corpus never answers unless a passage states it: doses
 * and prices.
 */
export function decideRefusal(
  evidence: Evidence,
  intent: QuestionIntent,
  passages: RetrievedChunk[],
  question: string,
  thresholds: RefusalThresholds = DEFAULT_REFUSAL_THRESHOLDS,
): RefusalReason | undefined {
  if (passages.length === 0) return 'not-in-corpus';
  if (intent.doseOrCost && !passages.slice(0, 3).some((p) => statesDoseOrCost(p.chunk.text))) return 'dose-or-cost';
  const anchored = mentionsBack(question);
  if (!anchored && mentionsOtherCondition(question)) return 'out-of-domain';
  const maxUnknown = anchored ? thresholds.maxUnknownWeightAnchored : thresholds.maxUnknownWeight;
  if (evidence.unknownWeight >= maxUnknown) return 'out-of-domain';
  // "Helpt homeopathie bij rugpijn?": the back is named, but the treatment asked about is a word the corpus
  // never uses — answering with what it does say about back pain would be guessing.
  if (evidence.focusUnknown) return 'unknown-subject';
  if (evidence.coverage < thresholds.minCoverage) return 'not-in-corpus';
  return undefined;
}
