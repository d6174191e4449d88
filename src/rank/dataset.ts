import type { AnswerContext } from '../answer/answer.js';
import { resolveFollowUp, type Turn } from '../answer/follow-up.js';
import { rankSentences } from '../answer/offline.js';
import { factRecall } from '../eval/metrics.js';
import { retrieve } from '../retrieve/retrieve.js';
import { candidateFeatures } from './features.js';
import { readQuestion, traitsOf, understandIntent, type RankedSentence } from './rank.js';
import type { LabelledPair } from './train.js';

/** A labelled question for training: what a correct answer must contain. */
export interface TrainingItem {
  id: string;
  question: string;
  history?: readonly { question: string; answer?: string | undefined }[] | undefined;
  answerable: boolean;
  facts: string[][];
  /** Files that answer it ([] when any may). */
  sources: string[];
}

/** One training question with its candidates (document order) and their feature vectors (also kept for questions without a positive). */
export interface TrainingGroup {
  item: TrainingItem;
  candidates: RankedSentence[];
  x: number[][];
}

/** Candidates per question kept for training (the best-ranked by retrieval order; bounds the data size). */
const MAX_CANDIDATES = 200;

/**
 * Turns labelled questions into (question, sentence) pairs exactly as `answer()` sees them: follow-up
 * resolution, intent, retrieval of `k` passages, the same candidate pool and features. A sentence is a
 * positive when it contains one of the question's fact phrasings (the eval's phrase match). Questions with
 * no positive candidate teach nothing about ranking and are skipped (counted in `skipped`).
 */
export async function collectPairs(
  ctx: AnswerContext,
  items: readonly TrainingItem[],
  k = 10,
): Promise<{ pairs: LabelledPair[]; groups: TrainingGroup[]; questions: number; skipped: string[] }> {
  const { index } = ctx;
  const pairs: LabelledPair[] = [];
  const groups: TrainingGroup[] = [];
  const skipped: string[] = [];
  let q = 0;
  for (const item of items) {
    if (!item.answerable || item.facts.length === 0) continue;
    // The same understanding steps as answer(): typo correction, follow-up resolution, intent.
    const history: Turn[] = (item.history ?? []).map((t) => ({
      question: readQuestion(index, ctx.ranker, t.question),
      answer: t.answer ?? '',
    }));
    const question = readQuestion(index, ctx.ranker, item.question);
    const followUp = resolveFollowUp(question, history, (t) => index.analyzer.contentTerms(t));
    const intent = understandIntent(index, ctx.ranker, followUp.query, question);
    const passages = await retrieve(index, followUp.query, { k });
    const { ranked, rankQuery } = await rankSentences(ctx, followUp.query, question, intent, passages, history);
    // Document order within passage order, independent of the current model's scores.
    const candidates = [...ranked]
      .sort((a, b) => a.passageRank - b.passageRank || a.cleanStart - b.cleanStart)
      .slice(0, MAX_CANDIDATES);
    const topScore = Math.max(0, ...candidates.map((c) => c.passage.score));
    const labelled = candidates.map((c) => ({
      x: candidateFeatures(rankQuery, c, traitsOf(ctx.ranker, c, index.sources.get(c.passage.chunk.file)?.title), index.sources, topScore),
      y: (factRecall(c.text, item.facts).recalled > 0 ? 1 : 0) as 0 | 1,
    }));
    // Every answerable question counts when the answer length is simulated; only those with a positive
    // candidate teach the ranker.
    groups.push({ item, candidates, x: labelled.map((l) => l.x) });
    if (!labelled.some((l) => l.y === 1)) {
      skipped.push(item.id);
      continue;
    }
    for (const l of labelled) pairs.push({ question: q, ...l });
    q++;
  }
  return { pairs, groups, questions: q, skipped };
}
