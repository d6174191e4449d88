import type { LoadedIndex } from '../ingest/load.js';
import type { QuestionIntent } from '../answer/intent.js';
import {
  hasEquivalent,
  namedSourceKind,
  sourceNameKinds,
  sourceNameTerms,
  weighQuestion,
  type QuestionTerm,
} from '../answer/question-terms.js';
import { detectIntent } from '../answer/intent.js';
import type { SourceKind } from '../types.js';
import type { CandidateSentence } from '../answer/sentences.js';
import { countPattern, jaccard } from '../answer/select.js';
import { candidateFeatures, continuesAnchor, questionType, sentenceTraits, type RankQuery, type SentenceTraits } from './features.js';
import { loadCues, type Cues } from './cues.js';
import type { CorpusView } from '../understand/answerability.js';
import { buildSpellingVocabulary, correctSpelling, type SpellingVocabulary } from '../understand/spelling.js';
import { isDutchWord, loadDutchWords, type DutchWords } from '../understand/dutch-words.js';
import { STOPWORDS } from '../text/stopwords.js';
import { loadDefaultLexicon, membersOf } from '../text/lexicon.js';
import { loadRankModel, modelProbability, type RankModel } from './model.js';
import { normalize } from '../understand/normalize.js';

/**
 * Sentence-level answer ranking: every sentence and list item of the candidate passages is scored by the
 * learned model over general features; the answer opens with the best-supported sentence, then at most two
 * that add something; the rest of what clears a lower bar is returned as further evidence.
 */

/** What ranking needs besides the index: the discourse cues and the trained model. */
export interface Ranker {
  cues: Cues;
  model: RankModel;
  /**
   * Query-independent traits per sentence (`file:cleanStart`), filled on first use. It belongs to this
   * value (one per loaded index), not to the module; bounded by the number of sentences in the corpus.
   */
  traits: Map<string, SentenceTraits>;
  /** Terms of the loaded sources' names, computed on first use (see `sourceNameTerms`). */
  sourceTopic?: Set<string>;
  /** Known words for typo correction (corpus + lexicon), built on first use. */
  spelling?: SpellingVocabulary;
  /** General Dutch words (a valid word is no typo), loaded the first time a correction is considered. */
  dutch?: DutchWords;
  /** Distinctive name words of the loaded sources → kind, built on first use. */
  sourceNames?: Map<string, string>;
  /** The corpus as answerability sees it (folded body texts, remembered look-ups), built on first use. */
  corpusView?: CorpusView;
}

/**
 * The question's intent: from its wording (`detectIntent` on the resolved query and on the question as
 * asked), and the kind of a loaded source it names ("volgens het KCE").
 */
export function understandIntent(index: LoadedIndex, ranker: Ranker, query: string, question: string): QuestionIntent {
  const intent = { ...detectIntent(query), ...detectIntent(question) };
  ranker.sourceNames ??= sourceNameKinds(index.analyzer, index.sources.values());
  const named = namedSourceKind(index.analyzer, ranker.sourceNames, question);
  return named ? { ...intent, sourceKind: named as SourceKind } : intent;
}

/**
 * The question with its typos corrected against the corpus and lexicon vocabulary (see
 * `understand/spelling.ts`); words the analysis already understands are left alone.
 */
export function correctQuestion(index: LoadedIndex, ranker: Ranker, text: string): string {
  ranker.spelling ??= buildSpellingVocabulary(
    [...index.docs.values()].map((d) => d.text),
    loadDefaultLexicon().groups.flatMap((g) => membersOf(g)),
  );
  const known = (word: string): boolean => {
    const terms = index.analyzer.contentTerms(word);
    return terms.length === 0 || terms.some((t) => index.analyzer.equivalents(t).some((e) => index.bm25.df(e) > 0));
  };
  // A word of the language is no typo, unless the correction is a function word: a rare dictionary word
  // one letter from "wanneer" ("wanner") is that question word mistyped.
  const dutch = (word: string, to: string): boolean => !STOPWORDS.has(to) && isDutchWord(word, (ranker.dutch ??= loadDutchWords()));
  return correctSpelling(text, ranker.spelling, known, dutch).text;
}

/**
 * A question as every later step reads it: normalised (markup stripped, colloquial spellings standard), then
 * typo-corrected. `answer()` (its history turns) and training both read questions this way.
 */
export function readQuestion(index: LoadedIndex, ranker: Ranker, text: string): string {
  return correctQuestion(index, ranker, normalize(text).plain || text);
}

/** Loads the shipped cue data and trained model (validated; throws AppError 'config_error'). */
export function loadRanker(model: RankModel = loadRankModel()): Ranker {
  return { cues: loadCues(), model, traits: new Map() };
}

/** The cached traits of a candidate sentence. */
export function traitsOf(ranker: Ranker, c: CandidateSentence, title?: string): SentenceTraits {
  const key = `${c.passage.chunk.file}:${c.cleanStart}`;
  let t = ranker.traits.get(key);
  if (!t) {
    t = sentenceTraits(c, ranker.cues, title);
    ranker.traits.set(key, t);
  }
  return t;
}

export interface RankedSentence extends CandidateSentence {
  /** Model probability that the sentence answers the question (0–1). */
  p: number;
  /** Whether the sentence names what the question is about (or sits under a line that does). */
  onFocus: boolean;
  /** Strength/certainty the source states for it, verbatim; undefined when none. */
  strength?: string;
}

/** Population words qualify a question ("bij chronische pijn"); they are not what it is about. */
const POPULATION = /^(acut|acuut|subacut|chronisch|chronic|langdur)/;

/** The words a question is about: known, not the corpus topic, not a population qualifier. */
export function aboutTerms(question: QuestionTerm[]): string[][] {
  return question.filter((q) => q.known && !q.topic && !POPULATION.test(q.term)).map((q) => q.equivalents);
}

/**
 * Builds the ranker's view of a question.
 * @param query the (follow-up resolved) retrieval text.
 * @param asked the question as the user typed it (its wording decides the question type).
 */
export function rankQuery(
  index: LoadedIndex,
  ranker: Ranker,
  query: string,
  asked: string,
  intent: QuestionIntent,
): RankQuery {
  ranker.sourceTopic ??= sourceNameTerms(index.analyzer, index.sources.values());
  const terms = weighQuestion(index.analyzer, index.bm25, query, ranker.sourceTopic);
  const focus = intent.quantityFocus
    ? index.analyzer.contentTerms(intent.quantityFocus).flatMap((t) => index.analyzer.equivalents(t))
    : [];
  return {
    terms,
    about: aboutTerms(terms),
    intent,
    type: questionType(asked),
    definition: ranker.cues.definitionQuestion.some((p) => p.test(asked)),
    counted: countPattern(focus),
  };
}

/** Scores every candidate with the model, best first (ties: earlier passage, then document order). */
export function rankCandidates(
  index: LoadedIndex,
  ranker: Ranker,
  query: RankQuery,
  candidates: CandidateSentence[],
): RankedSentence[] {
  const topScore = Math.max(0, ...candidates.map((c) => c.passage.score));
  // The sentence's cached term sets (traits), not a new set per candidate: this runs for every candidate.
  const names = (set: ReadonlySet<string>): boolean => query.about.some((eq) => eq.some((t) => hasEquivalent(t, set)));
  return candidates
    .map((c) => ({ c, traits: traitsOf(ranker, c, index.sources.get(c.passage.chunk.file)?.title) }))
    .filter(({ traits }) => !traits.isLabel)
    .map(({ c, traits }) => {
      const x = candidateFeatures(query, c, traits, index.sources, topScore);
      const strength = traits.strength;
      // A list item or a pronoun sentence speaks about what its lead-in / previous sentence names.
      const onFocus =
        query.about.length === 0 ||
        names(traits.sentenceSet) ||
        (query.counted?.test(traits.folded) ?? false) ||
        (c.context.listItem && names(traits.contextSet)) ||
        // Right after the previous answer's bottom line the document still speaks of its subject ("Waarom niet?").
        continuesAnchor(query.anchor, c);
      return { ...c, p: modelProbability(ranker.model, x), onFocus, ...(strength ? { strength } : {}) };
    })
    .sort((a, b) => b.p - a.p || a.passageRank - b.passageRank || a.cleanStart - b.cleanStart);
}

/** Probability difference under which two sentences count as equally good (then authority decides). */
const NEAR_TIE = 0.02;
/** Term-set Jaccard above which a sentence repeats one already chosen. */
const REDUNDANT = 0.5;

export interface Selection {
  /** The bottom line first, then at most `maxExtra` sentences that add something. */
  shown: RankedSentence[];
  /** Further relevant sentences, best first, not shown in the answer text. */
  more: RankedSentence[];
}

/**
 * Chooses the answer's sentences from ranked candidates: the best on-focus sentence (a near-tie goes to
 * the more authoritative source), then up to `maxExtra` more that clear the model's extra threshold and do
 * not repeat what is chosen; then up to `maxMore` for further evidence.
 * @param authority lower = more authoritative (source metadata); used only for near-ties.
 */
export function selectAnswer(
  ranked: RankedSentence[],
  model: RankModel,
  authority: (file: string) => number,
  options: {
    maxExtra?: number;
    maxMore?: number;
    /** Words the shown sentences may total; an extra that would pass it is left to `more` (default: the model's). */
    maxWords?: number;
    exclude?: (c: CandidateSentence) => boolean;
  } = {},
): Selection {
  const maxExtra = options.maxExtra ?? 2;
  const maxWords = options.maxWords ?? model.maxWords;
  const words = (c: CandidateSentence): number => c.text.split(/\s+/).length;
  const maxMore = options.maxMore ?? 4;
  const exclude = options.exclude ?? (() => false);
  const eligible = ranked.filter((c) => c.onFocus && !exclude(c));
  const top = eligible[0];
  if (!top) return { shown: [], more: [] };
  const tied = eligible.filter((c) => top.p - c.p <= NEAR_TIE);
  const lead = [...tied].sort(
    (a, b) => authority(a.passage.chunk.file) - authority(b.passage.chunk.file) || b.p - a.p,
  )[0] as RankedSentence;
  const shown: RankedSentence[] = [lead];
  const same = (a: CandidateSentence, b: CandidateSentence): boolean =>
    a.passage.chunk.file === b.passage.chunk.file && a.cleanStart === b.cleanStart;
  const repeats = (c: RankedSentence, list: RankedSentence[]): boolean =>
    list.some((s) => same(s, c) || jaccard(s.terms, c.terms) > REDUNDANT);
  let total = words(lead);
  for (const c of eligible) {
    if (shown.length > maxExtra) break;
    if (c.p < model.extraThreshold || repeats(c, shown) || total + words(c) > maxWords) continue;
    shown.push(c);
    total += words(c);
  }
  const more: RankedSentence[] = [];
  for (const c of eligible) {
    if (more.length >= maxMore) break;
    if (c.p < model.moreThreshold || repeats(c, [...shown, ...more])) continue;
    more.push(c);
  }
  return { shown, more };
}
