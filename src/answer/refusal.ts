import type { LoadedIndex } from '../ingest/load.js';
import type { RetrievedChunk } from '../retrieve/retrieve.js';
import type { QuestionIntent } from './intent.js';
import { statesDoseOrCost } from './intent.js';
import { coverageOf, hasEquivalent, weighQuestion } from './question-terms.js';
import { mentionsBack, mentionsOtherCondition } from './domain.js';
import { candidateSentences, type CandidateSentence, type SentenceCache } from './sentences.js';
import { normalize, type Normalized } from '../understand/normalize.js';
import {
  aboutMedication,
  askedFigure,
  corpusView,
  fallbackEntities,
  figureFrameWords,
  looksLikeCondition,
  questionFrameWords,
  judgeAnswerability,
  lexiconEntityFinder,
  statesFigure,
  type Answerability,
  type CorpusView,
  type EntityFinder,
  type NamedEntity,
} from '../understand/answerability.js';

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
  /** Whether the treatment a yes/no question asks about, or the thing it asks to choose or explain (`efficacyFocus`, `choiceFocus`), is unknown to the corpus. */
  focusUnknown: boolean;
}

export interface RefusalThresholds {
  /** Refuse below this coverage (0–1). */
  minCoverage: number;
  /** Refuse a question that does not name the back when unknown words carry at least this weight share (0–1). */
  maxUnknownWeight: number;
  /** The same for a question that names the back: its unknown words are mostly everyday verbs (0–1). */
  maxUnknownWeightAnchored: number;
  /** Coverage above which a question that does not name the back still has its subject in the corpus (0–1). */
  subjectCoverage: number;
}

/** Calibrated on the tune split of eval/realistic.jsonl (grid over minCoverage, maxUnknownWeight, the anchored limit and subjectCoverage; best accuracy, ties to the earlier value). */
export const DEFAULT_REFUSAL_THRESHOLDS: RefusalThresholds = {
  minCoverage: 0.3,
  maxUnknownWeight: 0.45,
  maxUnknownWeightAnchored: 0.8,
  subjectCoverage: 0.6,
};

/**
 * How many top passages coverage is measured on. 3 and 5 score the same on the tune split of
 * eval/realistic.jsonl; 5 because the composer draws on the top passages beyond the first three.
 */
export const EVIDENCE_PASSAGES = 5;

/** Computes the normalized evidence for a question against its retrieved passages. */
export function measureEvidence(
  index: LoadedIndex,
  question: string,
  passages: RetrievedChunk[],
  intent?: QuestionIntent,
  cache?: SentenceCache,
): Evidence {
  // Word by word, as the refusal thresholds were calibrated (DEFAULT_REFUSAL_THRESHOLDS): the ranker's phrase
  // and topic-synonym reading changes which words count as evidence.
  const terms = weighQuestion(index.analyzer, index.bm25, question, undefined, {
    phrases: false,
    topicSynonyms: false,
    classMembers: true,
  });
  if (terms.length === 0) return { coverage: 0, known: 0, unknownWeight: 1, agreement: false, unknownTerms: [], focusUnknown: false };
  const top = passages.slice(0, EVIDENCE_PASSAGES);
  const passageTerms = new Set(
    top.flatMap((p) => cache?.get(p.chunk.id)?.flatMap((x) => x.terms) ?? index.analyzer.terms(p.chunk.text)),
  );
  const total = terms.reduce((a, t) => a + t.weight, 0);
  // Not evidence of another topic: a compound's part the splitter left unknown ("stiller" of "pijnstiller"),
  // a compound of two known words ("lowrisk"), a word that frames the question ("raadt … aan"), a word of a
  // known phrase.
  const frame = new Set(index.analyzer.contentTerms(questionFrameWords()));
  // A word of a phrase the lexicon knows ("stay" and "bed" of "stay in bed") is read as part of that phrase.
  const phraseWords = new Set(
    weighQuestion(index.analyzer, index.bm25, question, undefined, { topicSynonyms: false })
      .filter((t) => t.known && t.term.includes(' '))
      .flatMap((t) => t.term.split(' ')),
  );
  const known = (w: string): boolean => index.bm25.df(w) > 0 || terms.some((o) => o.known && o.term === w);
  const partOfKnown = (t: (typeof terms)[number]): boolean =>
    !t.known &&
    (frame.has(t.term) ||
      phraseWords.has(t.term) ||
      terms.some((o) => o.known && o.term !== t.term && o.term.endsWith(t.term)) ||
      [...Array(Math.max(0, t.term.length - 5)).keys()].some((i) => known(t.term.slice(0, i + 3)) && known(t.term.slice(i + 3))));
  const unknownTerms = terms.filter((t) => !t.known && !partOfKnown(t)).map((t) => t.term);
  const unknown = terms.filter((t) => !t.known && !partOfKnown(t)).reduce((a, t) => a + t.weight, 0);
  const lexTop = new Set(passages.filter((p) => p.ranks.lexical !== null && p.ranks.lexical <= 3).map((p) => p.chunk.id));
  const agreement = passages.some((p) => p.ranks.dense !== null && p.ranks.dense <= 3 && lexTop.has(p.chunk.id));
  return {
    coverage: coverageOf(terms, passageTerms),
    known: terms.filter((t) => t.known).length / terms.length,
    unknownWeight: total > 0 ? unknown / total : 1,
    agreement,
    unknownTerms,
    // A compound's parts are terms too ("pijnstiller" → pijn, stiller): only a part no known word explains counts.
    focusUnknown: [intent?.efficacyFocus, intent?.choiceFocus].some(
      (focus) => focus !== undefined && index.analyzer.contentTerms(focus).some((f) => unknownTerms.includes(f)),
    ),
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
  namesSource = false,
): RefusalReason | undefined {
  if (passages.length === 0) return 'not-in-corpus';
  if (intent.doseOrCost && !passages.slice(0, 3).some((p) => statesDoseOrCost(p.chunk.text))) return 'dose-or-cost';
  // The question need not name the back when its subject is in the corpus: its known content words carry
  // most of its weight and the top passages cover them.
  const anchored =
    mentionsBack(question) ||
    namesSource ||
    (evidence.coverage >= thresholds.subjectCoverage && evidence.unknownWeight < thresholds.maxUnknownWeight && !mentionsOtherCondition(question));
  if (!anchored && mentionsOtherCondition(question)) return 'out-of-domain';
  const maxUnknown = anchored ? thresholds.maxUnknownWeightAnchored : thresholds.maxUnknownWeight;
  if (evidence.unknownWeight >= maxUnknown) return 'out-of-domain';
  // "Helpt homeopathie bij rugpijn?": the back is named, but the treatment asked about is a word the corpus
  // never uses — answering with what it does say about back pain would be guessing.
  if (evidence.focusUnknown) return 'unknown-subject';
  if (evidence.coverage < thresholds.minCoverage) return 'not-in-corpus';
  return undefined;
}

/**
 * The corpus as answerability sees it (body chunk texts, folded once); build it once per loaded index and
 * pass it to {@link judgeQuestion} — building it costs a pass over the whole corpus.
 */
export function buildCorpusView(index: LoadedIndex): CorpusView {
  return corpusView(
    index.chunks.filter((c) => c.role === 'body').map((c) => c.text),
    undefined,
    (form) => {
      const terms = index.analyzer.contentTerms(form);
      return terms.length > 0 && terms.every((t) => index.bm25.df(t) > 0);
    },
  );
}

/**
 * The answerability decision for a question (src/understand/answerability.ts): named entities the corpus
 * does not cover, populations it does not cover, figures (dose, frequency, waiting time, price) no retrieved
 * sentence about the question's subject states.
 * @param finder the entity finder (the clinical lexicon); without one, populations and words the question
 *   marks as names (capitalised, quoted), plus any word the corpus only names in an exclusion list.
 * @param focus what the question asks about as written (efficacy or choice focus): a treatment it names
 *   that the corpus lacks always refuses it.
 */
export function judgeQuestion(
  index: LoadedIndex,
  question: Normalized,
  language: 'nl' | 'en',
  passages: RetrievedChunk[],
  cache?: SentenceCache,
  finder?: EntityFinder,
  view?: CorpusView,
  focus: readonly string[] = [],
): Answerability {
  const corpus = view ?? buildCorpusView(index);
  // The lexicon's entities (when the analyzer carries one) plus populations and names the question quotes.
  const find = finder ?? (index.analyzer.lexicon ? lexiconEntityFinder(index.analyzer.lexicon) : undefined);
  // The table's populations come first: they carry a name in the answer's language for the caveat.
  const fallback = fallbackEntities(question, language);
  const hasPopulation = fallback.some((e) => e.type === 'population');
  const entities: NamedEntity[] = [];
  for (const e of [...fallback, ...(find ? find(question) : [])]) {
    if (hasPopulation && e.type === 'population' && !fallback.includes(e)) continue;
    if (!entities.some((x) => x.surface.toLowerCase() === e.surface.toLowerCase())) entities.push(e);
  }
  // A word the corpus names only in an exclusion list ("spondylitis", "zwangerschap") is not covered,
  // whatever the lexicon knows of it.
  const named = new Set(entities.flatMap((e) => e.forms.map((f) => f.toLowerCase())));
  let previous: NamedEntity | undefined;
  for (const [i, t] of question.tokens.entries()) {
    const excluded =
      t.text.length >= 5 &&
      !/\d/.test(t.text) &&
      !named.has(t.text) &&
      // A word ending like a disease name (or next to one); the finder's typed entities are judged anyway.
      (looksLikeCondition(t.text) || previous !== undefined) &&
      corpus.mention(t.text) === 'excluded-only' &&
      !entities.some((e) => e.type === 'population' && e.forms.some((f) => f.includes(t.text)));
    if (!excluded) {
      previous = undefined;
      continue;
    }
    // Neighbouring words form one name ("spondylitis ankylopoetica").
    if (previous && question.tokens[i - 1]?.text === previous.surface.split(' ').at(-1)) {
      previous.surface += ` ${t.text}`;
      previous.forms.push(t.text);
    } else {
      previous = { surface: t.text, type: 'condition', forms: [t.text] };
      entities.push(previous);
    }
    named.add(t.text);
  }
  // "Brufen 600", "brufen 400 of 600", "2 Dafalgan": a number next to a named drug asks for a dose.
  const figure = askedFigure(question) ?? (numberNextToDrug(question, entities) ? 'dose' : undefined);
  let figureStated = false;
  if (figure) {
    const frame = new Set(index.analyzer.contentTerms(figureFrameWords()));
    // Without class members (the default): a tramadol dose is no answer to "hoeveel opioïden …".
    const subject = weighQuestion(index.analyzer, index.bm25, question.plain).filter(
      (t) => !t.topic && !frame.has(t.term),
    );
    // A figure of something the corpus never names is stated nowhere, whatever figures other sentences give.
    figureStated = subject.every((t) => t.known) && candidateSentences(index, passages.slice(0, 5), cache).some(
      (s) => statesFigure(figure, s.text) && (subject.length === 0 || subject.some((q) => q.equivalents.some((e) => hasEquivalent(e, { has: (w: string) => s.terms.includes(w) })))),
    );
  }
  return judgeAnswerability({ entities, corpus, figure, figureStated, aboutMedication: aboutMedication(question), focus, text: question.plain });
}

/**
 * The sections nearest to a refused question: the first body sentence of each of the top passages, one
 * per section, so a refusal can point where to check (cited as `nearest`, never as a claim).
 */
export function nearestSections(
  index: LoadedIndex,
  passages: RetrievedChunk[],
  cache?: SentenceCache,
  max = 3,
): CandidateSentence[] {
  const seen = new Set<string>();
  const out: CandidateSentence[] = [];
  for (const p of passages) {
    if (p.chunk.role !== 'body') continue;
    const key = `${p.chunk.file}#${p.chunk.section.join('>')}`;
    if (seen.has(key)) continue;
    const first = candidateSentences(index, [p], cache).find((s) => s.text.split(/\s+/).length >= 5);
    if (!first) continue;
    seen.add(key);
    out.push(first);
    if (out.length >= max) break;
  }
  return out;
}

/** Whether a number stands within two words of a drug the question names. */
function numberNextToDrug(question: Normalized, entities: readonly NamedEntity[]): boolean {
  const tokens = question.tokens.map((t) => t.text);
  return entities
    .filter((e) => e.type === 'drug' || e.type === 'drug-class')
    .some((e) => {
      const first = normalizeWord(e.surface);
      return tokens.some((t, i) => t === first && tokens.slice(Math.max(0, i - 2), i + 3).some((n) => /^\d+([.,]\d+)?$/.test(n)));
    });
}

function normalizeWord(text: string): string {
  return normalize(text).tokens[0]?.text ?? '';
}
