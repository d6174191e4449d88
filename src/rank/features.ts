import { foldText } from '../text/analyze.js';
import type { SourceKind, SourceMeta } from '../types.js';
import type { QuestionIntent } from '../answer/intent.js';
import { coverageOf, hasEquivalent, type QuestionTerm } from '../answer/question-terms.js';
import type { CandidateSentence } from '../answer/sentences.js';
import { population } from '../answer/stance.js';
import { findStrength, type CueKind, type Cues } from './cues.js';

/**
 * Features of one (question, candidate sentence) pair for the learned answer ranker. Every feature is a
 * general property — field-weighted lexical match (sentence, context, heading: BM25F-style fields whose
 * weights the model learns), proximity, passage rank, and question type × sentence type — never a word of
 * a particular question or document. The order of {@link FEATURE_NAMES} is the order of the model's weights.
 */

/** The kind of answer a question's wording asks for. */
export type QuestionType = 'why' | 'how' | 'when' | 'who' | 'which' | 'quantity' | 'yesno' | 'other';

/** What the ranker knows about a question; built once per question by {@link rankQuery}. */
export interface RankQuery {
  terms: QuestionTerm[];
  /** Equivalents of each word the question is about (known, not topic, not population). */
  about: string[][];
  intent: QuestionIntent;
  type: QuestionType;
  /** The question asks what a term means ("wat wordt bedoeld met", "what does X mean"). */
  definition?: boolean | undefined;
  /** Matches a number right before what a "hoeveel X" question counts. */
  counted?: RegExp | undefined;
  /** For a follow-up: where the previous answer's bottom line sits. */
  anchor?: Anchor | undefined;
}

/** A sentence position: file and cleaned offset. */
export interface Anchor {
  file: string;
  cleanStart: number;
  /** Texts the previous answer showed (folded): a follow-up does not show them again. */
  shown: string[];
  /** Section path of the anchor sentence (headings): a new section speaks of something else. */
  section?: readonly string[] | undefined;
}

/** Characters after an anchor within which a sentence counts as "right after it" (about three sentences). */
const AFTER_ANCHOR_CHARS = 600;

// prettier-ignore
export const FEATURE_NAMES = [
  'cov_sentence', 'cov_context', 'cov_heading', 'cov_any', 'about_sentence', 'about_context', 'proximity',
  'passage_rank', 'passage_score',
  'quantity_x_number', 'quantity_x_counts', 'efficacy_x_conclusion_section', 'efficacy_x_conclusion_cue',
  'advice_x_recommendation', 'why_x_causal', 'when_x_temporal', 'who_x_person', 'how_x_method',
  'which_x_list', 'which_x_enumeration', 'yesno_x_conclusion_cue',
  'population_match', 'population_mismatch', 'named_source',
  'is_question', 'short', 'no_terminal', 'long', 'non_body', 'reference_like', 'starts_anaphor',
  'has_strength', 'list_item', 'authority', 'has_number',
  'is_anchor', 'after_anchor', 'anchor_document', 'lexical_rank', 'dense_rank',
  'passage_similarity', 'citation_like', 'definition_x_defining', 'meta_discourse',
] as const;
export type FeatureName = (typeof FEATURE_NAMES)[number];

/**
 * The direction each feature can only push a sentence (+1 towards, -1 away from being the answer, 0 either),
 * from what the feature means rather than from any question set. The trainer keeps the linear weights to
 * these signs: with five training documents a free weight also learns their quirks (a conclusion section or a
 * stated recommendation strength that happened rarely to hold a gold fact), and a new guideline's "Besluit"
 * or "sterke aanbeveling" must not count against a sentence. The trees on top stay free.
 */
// prettier-ignore
export const FEATURE_SIGNS: Readonly<Record<FeatureName, -1 | 0 | 1>> = {
  // More of the question's words, or its subject, in or around the sentence.
  cov_sentence: 1, cov_context: 1, cov_heading: 1, cov_any: 1, about_sentence: 1, about_context: 1, proximity: 1,
  // Better retrieved passage.
  passage_rank: 1, passage_score: 1, lexical_rank: 1, dense_rank: 1, passage_similarity: 1,
  // The kind of sentence the question's type asks for.
  quantity_x_number: 1, quantity_x_counts: 1, efficacy_x_conclusion_section: 1, efficacy_x_conclusion_cue: 1,
  advice_x_recommendation: 1, why_x_causal: 1, when_x_temporal: 1, who_x_person: 1, how_x_method: 1,
  which_x_list: 1, which_x_enumeration: 1, yesno_x_conclusion_cue: 1, definition_x_defining: 1,
  population_match: 1, named_source: 1, has_strength: 1, after_anchor: 1, anchor_document: 1,
  // Not a claim, another population, the previous answer again.
  population_mismatch: -1, is_question: -1, no_terminal: -1, non_body: -1, reference_like: -1, citation_like: -1,
  is_anchor: -1, meta_discourse: -1,
  // Shape and source traits that can go either way.
  short: 0, long: 0, list_item: 0, authority: 0, has_number: 0, starts_anaphor: 0,
};

const QUESTION_TYPES: [RegExp, QuestionType][] = [
  [/\b(waarom|why|hoezo|how come)\b/i, 'why'],
  [/\b(hoeveel|how many|how much|aantal|percentage|hoe vaak|hoevaak|how often)\b/i, 'quantity'],
  [/\b(wanneer|when|hoe lang|hoelang|how long|hoe snel|how soon|na hoeveel)\b/i, 'when'],
  [/\b(wie|who|whom|bij wie|naar wie)\b/i, 'who'],
  [/\b(welke|welk|which|what kind|wat voor|what types?)\b/i, 'which'],
  [/\b(hoe|how)\b/i, 'how'],
  [/^\s*(helpt|helpen|werkt|werken|is|zijn|mag|mogen|kan|kun|kunnen|moet|moeten|heeft|hebben|geeft|does|do|is|are|can|should|will|would)\b/i, 'yesno'],
];

/** The answer type a question's wording asks for (Dutch and English); 'other' for telegraphic questions. */
export function questionType(question: string): QuestionType {
  return QUESTION_TYPES.find(([pattern]) => pattern.test(question))?.[1] ?? 'other';
}

/** Section names that hold a conclusion (general structure words of guidelines and evidence summaries). */
const CONCLUSION_HEADING =
  /(?<![\p{L}\p{N}])(besluit|conclusies?|voor de praktijk|belangrijkste|samenvatting|kernboodschappen|aanbevelingen?|conclusions?|summary|recommendations?)(?![\p{L}\p{N}])(?!\s+voor\s+(verder\s+)?onderzoek)/iu;

/**
 * Whether a passage sits in a conclusion section: its own (innermost) heading names one ("Besluit", "Besluit
 * van Minerva", "Voor de praktijk", "Kernboodschappen"); a "Resultaten" under "Samenvatting" is no conclusion,
 * nor is "besluitvorming" or "Aanbevelingen voor onderzoek".
 */
export function isConclusionSection(section: readonly string[]): boolean {
  return CONCLUSION_HEADING.test(section.at(-1) ?? '');
}
const REFERENCE_LIKE = /^\(?\d+[).]\s+\p{Lu}|doi:|et al\.|https?:\/\//iu;
/** A sentence opening with a pronoun or demonstrative leans on the previous sentence for its subject. */
const ANAPHOR_START = /^(het|dit|deze|die|dat|dergelijke|zij|ze|hij|hierbij|hierdoor|daarbij|daardoor|daarnaast|bovendien|ook|it|this|these|they|such)\b/i;
const NUMBER = /\d/;
/** Journal-reference shapes: volume/issue/pages, "Syst Rev", "et al.", "doi". */
const CITATION_LIKE = /\b(issue|vol\.?|syst rev|database|et al\.?|doi|pp?\.)\b|\d{4};\s*\d+|\d+\(\d+\):\s*\d+/i;
const YEAR = /\b(19|20)\d{2}\b/;
const WORD = /[\p{L}\p{N}]+/gu;
const NEGATING_PREFIX = /(?<![\p{L}\p{N}])(niet|non|geen)-(?=\p{L})/gu;

function cueShare(words: readonly string[], set: ReadonlySet<string>): number {
  let hits = 0;
  for (const w of words) if (set.has(w)) hits++;
  return Math.min(1, hits / 2);
}

/** Fraction of the question's matched terms found close together: matched / (span of their positions). */
function proximity(terms: readonly string[], question: QuestionTerm[]): number {
  const positions: number[] = [];
  const seen = new Set<number>();
  question.forEach((q, qi) => {
    if (!q.known || q.topic) return;
    const at = terms.findIndex((t) => q.equivalents.includes(t));
    if (at >= 0 && !seen.has(qi)) {
      seen.add(qi);
      positions.push(at);
    }
  });
  if (positions.length < 2) return 0;
  const span = Math.max(...positions) - Math.min(...positions) + 1;
  return positions.length / span;
}

/** The query-independent properties of a sentence, computed once per sentence and cached. */
export interface SentenceTraits {
  folded: string;
  /** A title, a heading, a lead-in line ending in a colon or a fragment under four words: it states nothing. */
  isLabel: boolean;
  /** Term sets of the fields: the sentence, its context (previous sentence, list lead-in), its heading + title. */
  sentenceSet: ReadonlySet<string>;
  contextSet: ReadonlySet<string>;
  headingSet: ReadonlySet<string>;
  cue: Record<CueKind, number>;
  conclusionSection: boolean;
  isQuestion: boolean;
  short: boolean;
  noTerminal: boolean;
  long: boolean;
  referenceLike: boolean;
  startsAnaphor: boolean;
  strength: string | undefined;
  statesNumber: boolean;
  population: 'acute' | 'chronic' | undefined;
  /** Bibliographic apparatus ("Cochrane Database Syst Rev 2023, Issue 8.", "J Pain 2019;20:1-9"). */
  citationLike: boolean;
  /** Speaks about the text itself ("we bespreken verder in dit artikel"): a signpost, not a claim. */
  metaDiscourse: boolean;
  /** The folded words of the term a sentence opens by defining ("Mobilisatie is een …" → mobilisatie). */
  defines: readonly string[];
}

function isLabel(c: CandidateSentence, title: string | undefined): boolean {
  const norm = (x: string): string =>
    x
      .replace(/[\s.:]+/g, ' ')
      .trim()
      .toLowerCase();
  const text = norm(c.text);
  if (title !== undefined && norm(title) === text) return true;
  if (c.passage.chunk.section.some((h) => norm(h) === text)) return true;
  // A line ending in a colon ("• oefentherapie versus geen behandeling:") introduces what follows; its
  // items carry it as their lead-in.
  if (/:\s*$/.test(c.text)) return true;
  return c.text.split(/\s+/).length < 4;
}

/** Computes a sentence's {@link SentenceTraits}. */
export function sentenceTraits(c: CandidateSentence, cues: Cues, title?: string): SentenceTraits {
  const folded = foldText(c.text);
  // "niet-invasieve", "non-specific": a negating prefix of a compound is no negation cue.
  const words = folded.replace(NEGATING_PREFIX, '$1').match(WORD) ?? [];
  const cue = {} as Record<CueKind, number>;
  for (const k of Object.keys(cues.words) as CueKind[]) cue[k] = cueShare(words, cues.words[k]);
  return {
    folded,
    isLabel: isLabel(c, title),
    sentenceSet: new Set(c.terms),
    contextSet: new Set(c.context.contextTerms),
    headingSet: new Set(c.context.headingTerms),
    cue,
    conclusionSection: isConclusionSection(c.passage.chunk.section),
    isQuestion: /\?\s*$/.test(c.text),
    short: words.length < 6,
    noTerminal: !/[.!?:;"”’)\]]\s*$/.test(c.text) && !c.context.listItem,
    long: words.length > 50,
    referenceLike: REFERENCE_LIKE.test(c.text),
    startsAnaphor: ANAPHOR_START.test(c.text.replace(/^[•\-–*\d.)\s]+/, '')),
    strength: findStrength(cues, c.text) ?? findStrength(cues, c.context.leadIn),
    statesNumber: NUMBER.test(c.text.replace(/\(\d+(,\s*\d+)*\)/g, '')),
    population: population(`${c.text} ${c.context.leadIn}`),
    citationLike: CITATION_LIKE.test(c.text) && YEAR.test(c.text),
    metaDiscourse: cues.discourse.some((p) => p.test(c.text)),
    defines: foldText(cues.definingSentence.exec(c.text.replace(/\*\*/g, ''))?.[1] ?? '').match(WORD) ?? [],
  };
}

/**
 * The feature vector of one candidate, in {@link FEATURE_NAMES} order.
 * @param traits the sentence's query-independent traits ({@link sentenceTraits}).
 * @param topScore retrieval score of the best passage (for the relative passage score).
 */
export function candidateFeatures(
  query: RankQuery,
  c: CandidateSentence,
  traits: SentenceTraits,
  sources: ReadonlyMap<string, SourceMeta>,
  topScore: number,
): number[] {
  const t = traits;
  const present = t.sentenceSet;
  const context = t.contextSet;
  const heading = t.headingSet;
  const all = { has: (x: string): boolean => present.has(x) || context.has(x) || heading.has(x) };
  const names = (set: ReadonlySet<string>): number =>
    query.about.length > 0 && query.about.some((eq) => eq.some((t) => hasEquivalent(t, set))) ? 1 : 0;
  const { intent, type } = query;
  const source = sources.get(c.passage.chunk.file);
  const counts = query.counted?.test(t.folded) ?? false;
  const conclusionCue = t.cue.conclusion;
  const f: Record<FeatureName, number> = {
    cov_sentence: coverageOf(query.terms, present),
    cov_context: coverageOf(query.terms, context),
    cov_heading: coverageOf(query.terms, heading),
    cov_any: coverageOf(query.terms, all),
    about_sentence: names(present),
    about_context: names(context),
    proximity: proximity(c.terms, query.terms),
    passage_rank: 1 / (1 + c.passageRank),
    passage_score: topScore > 0 ? Math.max(0, c.passage.score) / topScore : 0,
    quantity_x_number: type === 'quantity' || intent.quantity ? (t.statesNumber ? 1 : 0) : 0,
    quantity_x_counts: counts ? 1 : 0,
    efficacy_x_conclusion_section: intent.efficacy && t.conclusionSection ? 1 : 0,
    efficacy_x_conclusion_cue: intent.efficacy ? conclusionCue : 0,
    advice_x_recommendation: intent.advice ? t.cue.recommendation : 0,
    why_x_causal: type === 'why' ? t.cue.causal : 0,
    when_x_temporal: type === 'when' ? t.cue.temporal : 0,
    who_x_person: type === 'who' ? t.cue.person : 0,
    how_x_method: type === 'how' ? t.cue.method : 0,
    which_x_list: type === 'which' && c.context.listItem ? 1 : 0,
    which_x_enumeration: type === 'which' ? t.cue.enumeration : 0,
    yesno_x_conclusion_cue: type === 'yesno' || type === 'other' ? conclusionCue : 0,
    population_match: intent.population && t.population === intent.population ? 1 : 0,
    population_mismatch: intent.population && t.population && t.population !== intent.population ? 1 : 0,
    named_source: intent.sourceKind && source?.kind === intent.sourceKind ? 1 : 0,
    is_question: t.isQuestion ? 1 : 0,
    short: t.short ? 1 : 0,
    no_terminal: t.noTerminal ? 1 : 0,
    long: t.long ? 1 : 0,
    non_body: c.passage.chunk.role !== 'body' ? 1 : 0,
    reference_like: t.referenceLike ? 1 : 0,
    starts_anaphor: t.startsAnaphor ? 1 : 0,
    has_strength: t.strength ? 1 : 0,
    list_item: c.context.listItem ? 1 : 0,
    authority: source ? authorityScore(source.kind) : 0,
    has_number: t.statesNumber ? 1 : 0,
    is_anchor: anchorIs(query.anchor, c) ? 1 : 0,
    after_anchor: afterAnchor(query.anchor, c) ? 1 : 0,
    anchor_document: query.anchor?.file === c.passage.chunk.file ? 1 : 0,
    lexical_rank: c.passage.ranks.lexical ? 1 / c.passage.ranks.lexical : 0,
    dense_rank: c.passage.ranks.dense ? 1 / c.passage.ranks.dense : 0,
    // The passage's dense similarity from retrieval (free): per-sentence embeddings cost ~2 ms a question
    // cold and did not pay for it at 100× the corpus.
    passage_similarity: Math.max(0, c.passage.similarity),
    citation_like: t.citationLike ? 1 : 0,
    // Defining words, or a sentence that opens by defining the very term asked about ("Mobilisatie is een
    // passieve …"), which counts in full.
    definition_x_defining: query.definition ? (definesAbout(query, t) ? 1 : t.cue.definition) : 0,
    meta_discourse: t.metaDiscourse ? 1 : 0,
  };
  return FEATURE_NAMES.map((n) => f[n]);
}

/** Whether the term a sentence opens by defining is one the question asks about (stems match as prefixes). */
function definesAbout(query: RankQuery, t: SentenceTraits): boolean {
  return t.defines.length > 0 && query.about.some((eq) => eq.some((term) => t.defines.some((w) => w.startsWith(term))));
}

function anchorIs(anchor: Anchor | undefined, c: CandidateSentence): boolean {
  return anchor !== undefined && anchor.file === c.passage.chunk.file && anchor.cleanStart === c.cleanStart;
}

/**
 * Whether a sentence continues the previous answer's subject: it follows the anchor closely in the same
 * section (a sentence under the next heading speaks of something else).
 */
export function continuesAnchor(anchor: Anchor | undefined, c: CandidateSentence): boolean {
  return (
    afterAnchor(anchor, c) &&
    anchor?.section !== undefined &&
    anchor.section.join('\u0000') === c.passage.chunk.section.join('\u0000')
  );
}

/** Whether a sentence follows a follow-up's anchor closely (same document, within about three sentences). */
function afterAnchor(anchor: Anchor | undefined, c: CandidateSentence): boolean {
  if (!anchor || anchor.file !== c.passage.chunk.file) return false;
  const d = c.cleanStart - anchor.cleanStart;
  return d > 0 && d <= AFTER_ANCHOR_CHARS;
}

/** Source authority as a feature in [0, 1]: the model learns how much it matters (it is not an override). */
function authorityScore(kind: SourceKind | string): number {
  switch (kind) {
    case 'guideline':
      return 1;
    case 'evidence-summary':
      return 0.75;
    case 'practice-article':
      return 0.5;
    case 'news':
      return 0.25;
    default:
      return 0.4;
  }
}
