import { foldText } from '../text/analyze.js';
import type { SourceMeta } from '../types.js';
import { population } from './stance.js';
import { coverageOf, type QuestionTerm } from './question-terms.js';
import type { CandidateSentence } from './sentences.js';
import type { QuestionIntent } from './intent.js';

/** Section names that hold a document's conclusion (preferred for "does it work?" questions). */
const CONCLUSION_SECTION = /besluit|conclusie|voor de praktijk|belangrijkste|conclusion/i;
/** Sentences that are mostly citation apparatus or too short to stand alone. */
const REFERENCE_LIKE = /^\(?\d+[).]|doi:|et al\.|https?:\/\//i;
const HAS_NUMBER = /\d/;
/** Wording of a recommendation (for "wat moet ik doen" questions). */
const RECOMMENDS = /\b(aanbe(veel|vel|vol)\w*|advies|advise\w*|raad\w*|moet(en)?|best|optie|is aangewezen|recommend\w*|should)\b/i;
/** Fewer words than this is a label, not a statement. */
const MIN_WORDS = 4;

export interface SelectOptions {
  /** Maximum sentences in the answer (default 4). */
  maxSentences?: number;
  /** Maximum sentences taken from one passage (default 2). */
  maxPerPassage?: number;
  /** A sentence must score at least this fraction of the best one (default 0.5). */
  relativeFloor?: number;
  /** Absolute minimum term coverage of a selected sentence (default 0.15). */
  minCoverage?: number;
  /** Term-set Jaccard above which a sentence counts as redundant (default 0.5). */
  redundancy?: number;
  /**
   * What the question is about: each entry is one word's equivalents; a sentence must name at least one
   * of them (a counting sentence is exempt). Default: no constraint.
   */
  mustMention?: readonly (readonly string[])[];
}

export interface ScoredSentence extends CandidateSentence {
  score: number;
  /** idf-weighted share of the question's content words (or an equivalent) the sentence contains (0–1). */
  coverage: number;
  /** States the count a "hoeveel X" question asks for ("40 deelnemers"); exempt from the coverage floor. */
  counts: boolean;
}

/**
 * Scores every candidate sentence against the question's content words: idf-weighted coverage, plus
 * the passage's retrieval rank, plus intent preferences (conclusion sections for efficacy, numbers for
 * "hoeveel", more when it names what is counted), minus penalties for questions, fragments and reference
 * apparatus.
 * @param focus index terms (with equivalents) of what a quantity question counts; [] when none.
 * @param sources source metadata, to prefer the source a question names (`intent.sourceKind`).
 */
export function scoreSentences(
  candidates: CandidateSentence[],
  question: QuestionTerm[],
  intent: QuestionIntent,
  focus: string[] = [],
  sources?: ReadonlyMap<string, SourceMeta>,
): ScoredSentence[] {
  const counted = countPattern(focus);
  return candidates.map((c) => {
    const present = new Set(c.terms);
    const coverage = coverageOf(question, present);
    const words = c.text.split(/\s+/).length;
    let score = coverage + 0.12 / (1 + c.passageRank);
    const section = c.passage.chunk.section.join(' ');
    if (intent.efficacy && CONCLUSION_SECTION.test(section)) score += 0.12;
    const statesNumber = HAS_NUMBER.test(c.text.replace(/\(\d+(,\s*\d+)*\)/g, ''));
    if (intent.quantity && statesNumber) score += 0.2;
    // "Hoeveel deelnemers …?" is answered by the sentence that counts deelnemers, whatever else it says.
    const counts = intent.quantity && (counted?.test(foldText(c.text)) ?? false);
    if (counts) score += 0.8;
    // "… bij chronische pijn?": a sentence only about acute pain answers another question.
    const speaksOf = population(c.text);
    if (intent.population && speaksOf && speaksOf !== intent.population) score -= 0.25;
    // "Wat moet ik doen …?": recommendations answer it, the guideline's first.
    if (intent.advice && RECOMMENDS.test(c.text)) score += 0.25;
    if (intent.advice && sources?.get(c.passage.chunk.file)?.kind === 'guideline') score += 0.15;
    // "Wat zegt het KCE …?": the named source answers first.
    if (intent.sourceKind && sources?.get(c.passage.chunk.file)?.kind === intent.sourceKind) score += 0.25;
    // A question in the source ("Is oefentherapie effectief …?") is a heading, not an answer.
    if (/\?\s*$/.test(c.text)) score -= 0.5;
    if (words < 6) score -= 0.3;
    // A keyword line or caption (no closing punctuation, no bullet) is not a statement.
    if (!/[.!?:;"”’)\]]\s*$/.test(c.text) && !/^[•\-–*]/.test(c.text)) score -= 0.3;
    if (words > 80) score -= 0.1;
    if (c.passage.chunk.role !== 'body' || REFERENCE_LIKE.test(c.text)) score -= 0.6;
    return { ...c, score, coverage, counts };
  });
}

/**
 * Matches a number right before what is counted: "40 deelnemers", "2 674 deelnemers" (space-grouped
 * thousands), "23 gerandomiseerde studies". Undefined when there is nothing to count.
 * @param focus index terms (stems) of what is counted; matched as word prefixes of folded text.
 */
export function countPattern(focus: string[]): RegExp | undefined {
  const stems = focus.map((t) => t.replace(/[^\p{L}\p{N}]/gu, '')).filter((t) => t.length >= 3);
  if (stems.length === 0) return undefined;
  return new RegExp(`\\d(?:[\\d.,]|\\s(?=\\d))*\\s+(?:\\p{L}+\\s+)?(?:${stems.join('|')})`, 'u');
}

/** Greedy selection with redundancy removal (maximal marginal relevance on term sets). */
export function selectSentences(scored: ScoredSentence[], options: SelectOptions = {}): ScoredSentence[] {
  const max = options.maxSentences ?? 4;
  const perPassage = options.maxPerPassage ?? 2;
  const floor = options.relativeFloor ?? 0.5;
  const minCoverage = options.minCoverage ?? 0.15;
  const redundancy = options.redundancy ?? 0.5;
  const mustMention = options.mustMention ?? [];
  const ranked = [...scored].sort((a, b) => b.score - a.score || a.start - b.start);
  const best = ranked[0]?.score ?? 0;
  const picked: ScoredSentence[] = [];
  const perChunk = new Map<string, number>();
  for (const s of ranked) {
    if (picked.length >= max) break;
    if (s.score < best * floor || (s.coverage < minCoverage && !s.counts)) continue;
    // A sentence that names none of what the question asks about is filler, however much topic it shares.
    if (mustMention.length > 0 && !s.counts && !mustMention.some((eq) => eq.some((t) => s.terms.includes(t)))) continue;
    // A bullet label or heading ("• werkhervatting") says nothing by itself.
    if (s.text.split(/\s+/).length < MIN_WORDS) continue;
    if ((perChunk.get(s.passage.chunk.id) ?? 0) >= perPassage) continue;
    if (picked.some((p) => jaccard(p.terms, s.terms) > redundancy)) continue;
    picked.push(s);
    perChunk.set(s.passage.chunk.id, (perChunk.get(s.passage.chunk.id) ?? 0) + 1);
  }
  return picked;
}

/**
 * Adds the sentence that completes a selected lead-in ("Zo was één behandeling het meest effectief voor
 * acute pijn." → "NSAID-geneesmiddelen, waaronder …"): the next sentence of the same passage, when it
 * names a question word the lead-in lacks and is not selected already. Each addition comes right after its
 * lead-in; at most `max` additions.
 * @param about equivalents of each word the question is about (see `SelectOptions.mustMention`).
 */
export function completeLeadIns(
  selected: ScoredSentence[],
  all: ScoredSentence[],
  about: readonly (readonly string[])[],
  max = 1,
): ScoredSentence[] {
  const out: ScoredSentence[] = [];
  let added = 0;
  const names = (c: ScoredSentence, eq: readonly string[]): boolean => eq.some((t) => c.terms.includes(t));
  for (const s of selected) {
    out.push(s);
    if (added >= max) continue;
    const next = all
      .filter((c) => c.passage.chunk.id === s.passage.chunk.id && c.cleanStart > s.cleanStart)
      .sort((a, b) => a.cleanStart - b.cleanStart)[0];
    if (!next || selected.includes(next) || out.includes(next) || next.passage.chunk.role !== 'body') continue;
    if (about.some((eq) => names(next, eq) && !names(s, eq))) {
      out.push(next);
      added++;
    }
  }
  return out;
}

/** Jaccard similarity of two term lists as sets. */
export function jaccard(a: string[], b: string[]): number {
  const sa = new Set(a);
  const sb = new Set(b);
  if (sa.size === 0 && sb.size === 0) return 1;
  let inter = 0;
  for (const t of sa) if (sb.has(t)) inter++;
  return inter / (sa.size + sb.size - inter);
}
