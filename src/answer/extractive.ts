import type { SourceMeta } from '../types.js';
import { polarity } from './stance.js';

/** Frame phrases (from prompts/, in the answer's language) the extractive composer needs. */
export interface FramePhrases {
  /** Attribution opening a source's first sentence, e.g. "Volgens de KCE-richtlijn (2017)". */
  attribution: (source: SourceMeta) => string;
  /** Opening used when the next source disagrees with what came before, e.g. "De bronnen verschillen hier:". */
  contrast: (source: SourceMeta) => string;
}

/**
 * Attributes sentences in the order given (best first — relevance, not authority, decides what comes
 * first): the first sentence of each source gets its attribution, and a source whose conclusion is the
 * opposite of an earlier one's is introduced as a disagreement.
 */
export function composeInOrder<T extends ScoredSentenceLike>(
  ordered: T[],
  sources: Map<string, SourceMeta>,
  frame: FramePhrases,
): { text: string; sentence: T }[] {
  const seen = new Map<string, number>();
  const stances: number[] = [];
  return ordered.map((sentence) => {
    const file = sentence.passage.chunk.file;
    const source = sources.get(file);
    if (seen.has(file) || !source) return { text: sentence.text, sentence };
    const stance = polarity(sentence.text);
    const disagrees = stance !== 0 && stances.some((s) => s !== 0 && s !== stance);
    seen.set(file, stance);
    stances.push(stance);
    return { text: `${disagrees ? frame.contrast(source) : frame.attribution(source)}: ${sentence.text}`, sentence };
  });
}

/** What {@link composeInOrder} reads of a sentence. */
export interface ScoredSentenceLike {
  text: string;
  passage: { chunk: { file: string } };
}
