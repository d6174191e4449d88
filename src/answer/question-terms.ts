import type { Analyzer } from '../text/analyze.js';
import { compoundHead } from '../text/compound-head.js';
import { derivedWords } from '../text/derivation.js';
import { isDirected } from '../text/lexicon.js';
import { keysIn } from '../text/expand.js';

/** One content word of the question, with the index terms that count as the same word and its weight. */
export interface QuestionTerm {
  term: string;
  /** The term, its synonyms and translations (index terms; a lexicon phrase as its words joined by a space). */
  equivalents: string[];
  /** `equivalents` split into words once (coverage checks run for every candidate sentence). */
  parts?: string[][];
  /** Highest idf among the equivalents that occur in the corpus; the maximum idf when none does. */
  weight: number;
  /** Whether any equivalent occurs in the corpus. */
  known: boolean;
  /** A topic word (rug, rugpijn, KCE, …): weighs little and is not what the question is about. */
  topic: boolean;
}

/**
 * Words that ask for an answer rather than name its topic ("Vertel wat de bronnen zeggen over …", "Geef een
 * overzicht van …"): they are not evidence for or against the corpus answering.
 */
const REQUEST_WORDS =
  'vertel vertellen geef overzicht bron bronnen zeggen zegt zeg uitleggen leg samenvatten vat beschrijf noem ' +
  'explain tell summarize summarise give overview sources source say says describe ' +
  // "Helpt X?" asks whether X works: the verb is the question's frame (its intent), X is its content.
  // Not "werken"/"work": their stem is the noun "werk" (return to work is content).
  'helpt helpen help werkt werkzaam effectief zinvol nuttig baat effective useful goed goede good effect ' +
  // "Is X aangewezen/nodig?" asks whether X is indicated: the same frame.
  'aangewezen nodig noodzakelijk verstandig indicated necessary needed';

/**
 * "Werkt/Werken X …?" and "Wat werkt …?": there the verb asks whether something works (the question's frame).
 * Elsewhere "werken" is content ("mag ik werken", "terug aan het werk"), so only these positions are dropped.
 */
const FRAME_VERB = /^(\s*(?:wat|welke(?:\s+\p{L}+)?)?\s*)(?:werkt|werken)(?![\p{L}\p{N}])/iu;

/** The question without a frame use of "werkt/werken" (see {@link FRAME_VERB}). */
export function withoutFrameVerb(text: string): string {
  return text.replace(FRAME_VERB, '$1');
}

/**
 * The corpus's own topic: every passage is about (low) back pain, whatever word it uses, so these words
 * say little about which passage answers. Their idf misleads because the corpus mostly writes the
 * compound ("lagerugpijn"), which makes the bare parts ("rug", "lage") look rare.
 */
const TOPIC_WORDS =
  'rug rugpijn lage lagerugpijn pijn rugklachten onderrug back pain low lower ' +
  // Words that name a kind of source pick the document (retrieval), not the sentence: the answer names its
  // source. The names of the loaded sources themselves are added by the caller (`sourceTopic`).
  'richtlijn richtlijnen guideline guidelines duiding bron bronnen artikel';
/** Weight factor of a topic word (0–1). */
const TOPIC_WEIGHT = 0.25;

/** How {@link weighQuestion} reads a question. */
export interface WeighOptions {
  /** A lexicon phrase in the question ("bed rest") is one asked word instead of its words. */
  phrases?: boolean;
  /** A word whose lexicon equivalents include a topic word ("lrp", "lumbago") is a topic word too. */
  topicSynonyms?: boolean;
  /**
   * A drug class stands for its members that the corpus names ("pijnstillers" → paracetamol): whether the
   * sources speak about the question at all (default false; the ranker's coverage counts the class's own
   * words, and a member's figure must never pass for the class's: a dose of tramadol is no dose of
   * "opioïden").
   */
  classMembers?: boolean;
}

/** What weighing needs from the lexical index. */
export interface TermStats {
  df(term: string): number;
  idf(term: string): number;
}

/**
 * Weighs the question's own content words (not the expansions): coverage is then "how many of the asked
 * words does this text speak about", comparable across question lengths and independent of how many
 * synonyms the table happens to list for a word.
 */
export function weighQuestion(
  analyzer: Analyzer,
  stats: TermStats,
  text: string,
  sourceTopic: ReadonlySet<string> = new Set(),
  options: WeighOptions = {},
): QuestionTerm[] {
  // A term that occurs nowhere gets the idf of an unseen word: unknown words are the most specific ones.
  const unseenIdf = stats.idf('\u0000unseen');
  const frame = new Set(analyzer.contentTerms(REQUEST_WORDS));
  const topic = new Set([...analyzer.contentTerms(TOPIC_WORDS), ...sourceTopic]);
  const df = (t: string): number => (t.includes(' ') ? Math.min(...t.split(' ').map((w) => stats.df(w))) : stats.df(t));
  const idf = (t: string): number => (t.includes(' ') ? Math.max(...t.split(' ').map((w) => stats.idf(w))) : stats.idf(t));
  // A lexicon phrase in the question ("bed rest", "voet niet kunnen optillen") is one asked word when the
  // corpus speaks of what it means: its own words ("bed", "rest") are not what it means.
  const phrases =
    options.phrases === false ? [] : lexiconPhrases(analyzer, text).filter((p) => analyzer.equivalents(p).some((t) => df(t) > 0));
  const inPhrase = new Set(phrases.flatMap((p) => p.split(' ')));
  const words = analyzer.contentTerms(withoutFrameVerb(text)).filter((term) => !frame.has(term) && !inPhrase.has(term));
  // A separable verb split in the question ("Wanneer schat ik … in?", "aangeraden") also means the whole verb
  // ("inschatten", "aanraden"), when the corpus uses it.
  const verbs = new Map<string, string[]>();
  for (const v of analyzer.verbForms(text)) if (stats.df(v.term) > 0) verbs.set(v.of, [...(verbs.get(v.of) ?? []), v.term]);
  return [...phrases, ...words].map((term) => {
    let equivalents = [...analyzer.equivalents(term), ...(verbs.get(term) ?? [])];
    if (!equivalents.some((t) => df(t) > 0) && !term.includes(' ')) {
      // The verb of a noun the corpus uses, or the other way round ("manipuleren" for "manipulatie").
      const derived = derivedWords(term)
        .flatMap((w) => analyzer.terms(w).slice(0, 1))
        .find((t) => stats.df(t) > 0);
      // A compound the splitter did not know ("lendenkorset", "loopschema"): Dutch compounds carry their
      // meaning in the head, so the longest known suffix stands in for the word.
      const head = derived ?? compoundHead(term, (t) => stats.df(t) > 0);
      if (head) equivalents = [term, ...analyzer.equivalents(head)];
    }
    // A drug class stands for its members ("pijnstillers" → paracetamol, NSAID): sources write about the
    // particular drugs more than about the class.
    if (options.classMembers === true) {
      const members = classMembers(analyzer, equivalents).filter((t) => !equivalents.includes(t));
      if (members.some((t) => df(t) > 0)) equivalents = [...equivalents, ...members];
    }
    const inCorpus = equivalents.filter((t) => df(t) > 0);
    // "lrp", "lumbago", "back pain" name the corpus's topic under another name.
    const isTopic =
      topic.has(term) || (options.topicSynonyms !== false && equivalents.some((t) => !t.includes(' ') && topic.has(t)));
    return {
      term,
      equivalents,
      parts: equivalents.map((e) => e.split(' ')),
      topic: isTopic,
      known: inCorpus.length > 0,
      weight:
        (inCorpus.length > 0 ? Math.max(...inCorpus.map((t) => idf(t))) : unseenIdf) * (isTopic ? TOPIC_WEIGHT : 1),
    };
  });
}

/** The member keys of the drug classes among `keys` ("pijnstiller" → paracetamol, nsaid, opioïde). */
function classMembers(analyzer: Analyzer, keys: readonly string[]): string[] {
  const { lexicon } = analyzer;
  const out = new Set<string>();
  lexicon.lexicon.groups.forEach((g, i) => {
    const k = lexicon.groupKeys[i];
    if (g.kind !== 'related' || !isDirected(g) || (g.entity !== 'drug' && g.entity !== 'drug-class')) return;
    if (k?.canonical !== undefined && keys.includes(k.canonical)) for (const t of k.terms) out.add(t);
  });
  return [...out];
}

/**
 * The multi-word lexicon keys the text mentions, within one clause (a phrase does not run over a comma or a
 * full stop: "pijn, moet ik in bed" is not "pijn in bed"), longest first, none sharing a word with a longer one.
 */
function lexiconPhrases(analyzer: Analyzer, text: string): string[] {
  const found: string[] = [];
  for (const clause of text.split(/[,.;:!?()]+/)) {
    const primaries = analyzer.lexicon.analysis.primaries(clause);
    found.push(...[...keysIn(analyzer.lexicon, primaries, [])].filter((k) => k.includes(' ')));
  }
  const taken = new Set<string>();
  const out: string[] = [];
  for (const p of found.sort((a, b) => b.split(' ').length - a.split(' ').length)) {
    const words = p.split(' ');
    if (words.some((w) => taken.has(w))) continue;
    for (const w of words) taken.add(w);
    out.push(p);
  }
  return out;
}

/**
 * Whether a term set has an equivalent: a one-word term itself, a multi-word lexicon key ("radiculair pijn")
 * when it has each of its words.
 */
export function hasEquivalent(equivalent: string, present: Pick<ReadonlySet<string>, 'has'>): boolean {
  if (!equivalent.includes(' ')) return present.has(equivalent);
  return equivalent.split(' ').every((w) => present.has(w));
}

/**
 * Terms of the loaded sources' names (labels and publishers, e.g. "KCE-richtlijn", "Minerva"): a question
 * that names a source is about what it asks, not about the source's name.
 */
export function sourceNameTerms(analyzer: Analyzer, sources: Iterable<{ label: string; publisher: string }>): Set<string> {
  const out = new Set<string>();
  for (const s of sources) for (const t of analyzer.contentTerms(`${s.label} ${s.publisher}`)) out.add(t);
  return out;
}

/** idf-weighted share (0–1) of the known question terms that the term set contains (or an equivalent of). */
export function coverageOf(question: QuestionTerm[], present: Pick<ReadonlySet<string>, 'has'>): number {
  let total = 0;
  let hit = 0;
  for (const q of question) {
    if (!q.known) continue;
    total += q.weight;
    const found = q.parts
      ? q.parts.some((words) => words.every((w) => present.has(w)))
      : q.equivalents.some((t) => hasEquivalent(t, present));
    if (found) hit += q.weight;
  }
  return total > 0 ? hit / total : 0;
}

/**
 * The kind of the loaded source a question names by one of its distinctive name words ("Wat zegt het KCE?"
 * → the guideline whose publisher is the KCE): a word of the sources' labels and publishers that only
 * sources of one kind carry. Undefined when the question names none.
 * @param names from {@link sourceNameKinds}.
 */
export function namedSourceKind(analyzer: Analyzer, names: ReadonlyMap<string, string>, text: string): string | undefined {
  for (const word of text.split(/[^\p{L}\p{N}]+/u)) {
    const t = analyzer.contentTerms(word)[0];
    const kind = t === undefined ? undefined : names.get(t);
    if (kind !== undefined) return kind;
  }
  return undefined;
}

/** Name words of the loaded sources mapped to their kind; words shared by sources of several kinds are left out. */
export function sourceNameKinds(
  analyzer: Analyzer,
  sources: Iterable<{ label: string; publisher: string; kind: string }>,
): Map<string, string> {
  const kinds = new Map<string, Set<string>>();
  for (const s of sources) {
    // Whole words only: a compound's parts ("kinesitherapiepraktijk" → "therapie") are not names.
    for (const word of `${s.label} ${s.publisher}`.split(/[^\p{L}\p{N}]+/u)) {
      const t = analyzer.contentTerms(word)[0];
      if (t !== undefined && t.length >= 3) kinds.set(t, (kinds.get(t) ?? new Set()).add(s.kind));
    }
  }
  const out = new Map<string, string>();
  for (const [t, ks] of kinds) if (ks.size === 1) out.set(t, [...ks][0] as string);
  return out;
}
