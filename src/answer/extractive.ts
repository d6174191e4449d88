import type { SourceMeta } from '../types.js';
import type { ScoredSentence } from './select.js';
import { polarity, population } from './stance.js';

/** Frame phrases (from prompts/, in the answer's language) the extractive composer needs. */
export interface FramePhrases {
  /** Attribution opening a source's first sentence, e.g. "Volgens de KCE-richtlijn (2017)". */
  attribution: (source: SourceMeta) => string;
  /** Opening used when the next source disagrees with what came before, e.g. "De bronnen verschillen hier:". */
  contrast: (source: SourceMeta) => string;
}

/** One composed sentence: display text (repaired OCR, attribution) and the candidate it quotes. */
export interface ComposedSentence {
  text: string;
  sentence: ScoredSentence;
}

/**
 * Orders selected sentences coherently and attributes them: sources by authority (guideline > evidence
 * summary > practice article > news), within a source in document order; the first sentence of each
 * source gets its attribution, and a source whose conclusion is the opposite of an earlier one's is
 * introduced as a disagreement so both sides stay visible and cited.
 */
export function composeExtractive(
  selected: ScoredSentence[],
  sources: Map<string, SourceMeta>,
  frame: FramePhrases,
): ComposedSentence[] {
  const byFile = new Map<string, ScoredSentence[]>();
  for (const s of selected) byFile.set(s.passage.chunk.file, [...(byFile.get(s.passage.chunk.file) ?? []), s]);
  const groups = [...byFile.entries()]
    .map(([file, list]) => ({ file, list: list.sort((a, b) => a.cleanStart - b.cleanStart), best: Math.max(...list.map((s) => s.score)) }))
    .sort((a, b) => authority(sources, a.file) - authority(sources, b.file) || b.best - a.best);

  const out: ComposedSentence[] = [];
  const seenStances: { polarity: number; population: string | undefined }[] = [];
  for (const group of groups) {
    const source = sources.get(group.file);
    group.list.forEach((sentence, i) => {
      let text = sentence.text;
      if (i === 0 && source) {
        const stance = { polarity: groupPolarity(group.list), population: groupPopulation(group.list) };
        // Only opposite conclusions are a disagreement; a source about another population (acute vs chronic)
        // with the same conclusion is attributed plainly — its sentence names the population itself.
        const disagrees = seenStances.some(
          (s) => s.polarity !== 0 && stance.polarity !== 0 && s.polarity !== stance.polarity,
        );
        seenStances.push(stance);
        text = `${disagrees ? frame.contrast(source) : frame.attribution(source)}: ${text}`;
      }
      out.push({ text, sentence });
    });
  }
  return out;
}

function authority(sources: Map<string, SourceMeta>, file: string): number {
  return sources.get(file)?.authority ?? 99;
}

function groupPolarity(list: ScoredSentence[]): number {
  const sum = list.reduce((acc, s) => acc + polarity(s.text), 0);
  return Math.sign(sum);
}

function groupPopulation(list: ScoredSentence[]): string | undefined {
  const pops = new Set(list.map((s) => population(s.text)).filter((p) => p !== undefined));
  return pops.size === 1 ? [...pops][0] : undefined;
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
