import { createRequire } from 'node:module';
import { createCompoundSplitter, type CompoundSplitter } from './compounds.js';
import { STOPWORDS } from './stopwords.js';
import {
  compileLexicon,
  EQUIVALENT_MIN_WEIGHT,
  expandKeys,
  keysIn,
  translationsOf,
  type CompiledLexicon,
} from './expand.js';
import { loadDefaultLexicon, type Lexicon, type RelationKind } from './lexicon.js';

/**
 * Dutch text analysis shared by indexing and querying.
 *
 * Pipeline per text: lowercase → compatibility decomposition with diacritics removed (patiënten, patiénten
 * and patienten become one word; OCR often swaps the accent) → tokens of letters/digits (decimals such as
 * "2,5" stay one token; hyphenated words give their parts and the joined form; "rug- en nekpijn" also gives
 * "rugpijn") → stopwords dropped → Snowball-Dutch stem → compounds add their parts ("lagerugpijn" →
 * "rugpijn", "lag", "rug", "pijn"). English words go through the same Dutch stemmer; they are only useful
 * through the clinical lexicon, which is analyzed with this same pipeline so both sides always agree.
 */

export interface WeightedTerm {
  term: string;
  weight: number;
}

export interface Analyzer {
  /** Index-time terms: lowercase, diacritics folded (patiënten/patiénten → patienten), stopwords removed, Snowball-Dutch stemmed; compounds also emit their parts. Order preserved, duplicates kept (for term frequency). */
  terms(text: string): string[];
  /**
   * Query-time terms: the text's terms (weight 1; English-only words lower) plus their lexicon expansions
   * (weight < 1 by relation kind, multiplied along a chain); merged by term keeping max weight. With `stats`
   * (the index's idf), an expansion's weight is also capped at idf(asked word) / idf(expansion).
   */
  queryTerms(text: string, stats?: IdfSource): WeightedTerm[];
  /** Distinct stemmed content terms of the text WITHOUT expansion (compound parts included). Empty for a question with no content words ("wat is dat?", "hoe zit het?"). Without the verb forms of {@link Analyzer.verbForms}, which may not be words. */
  contentTerms(text: string): string[];
  /**
   * Separable verbs rebuilt from their split forms, each with the content term it was rebuilt from:
   * "ingeschat" → inschatten (of "ingeschat"), "Wanneer schat ik … in?" → inschatten (of "schat"). A rebuilt
   * form may not be a word ("toegenomen" → "toenomen"), so callers keep only those an index knows; `terms`
   * and `queryTerms` include them (an unknown term matches nothing), `contentTerms` does not.
   */
  verbForms(text: string): { of: string; term: string }[];
  /**
   * All index terms that count as "the same word" as this content term (or lexicon phrase key), for coverage
   * checks: itself first, then the keys the lexicon links it to with weight ≥ {@link EQUIVALENT_MIN_WEIGHT}
   * (not over associations; a member's class counts, a class's members do not; the advice an `alternative`
   * group gives instead of the term counts: bedrust → "in beweging blijven"). A multi-word key ("radiculair pijn") is an equivalent
   * a text has when it has each of its words (see `hasEquivalent` in answer/question-terms.ts).
   */
  equivalents(term: string): string[];
  /** The lexicon compiled with this analyzer's pipeline (for entity finding, see src/understand/entities.ts). */
  readonly lexicon: CompiledLexicon;
}

/** The inverse document frequency of a term in the index being searched (> 0; highest for unseen terms). */
export interface IdfSource {
  idf(term: string): number;
}

export interface AnalyzerOptions {
  /** Clinical lexicon; default: the bundled src/text/synonyms.json (see lexicon.ts). */
  lexicon?: Lexicon;
  /** Expansion weight per relation kind (0–1), overriding `DEFAULT_KIND_WEIGHTS` in lexicon.ts. */
  kindWeights?: Partial<Record<RelationKind, number>>;
  /**
   * Weight of an original query term that the lexicon knows only as English (0–1, default 0.3). In this Dutch
   * corpus such words occur only in English titles and reference lists, which they would otherwise pull to
   * the top; their Dutch translations carry the question instead.
   */
  englishWeight?: number;
}

interface SnowballStemmer {
  stem(word: string): string;
}

const require = createRequire(import.meta.url);
// The package has no types; it exposes newStemmer(language) returning an object with stem(word).
const snowball = require('snowball-stemmers') as { newStemmer(language: string): SnowballStemmer };

/** One token group: a word, or the words of a hyphenated compound. */
interface TokenGroup {
  /** The word, or for "lage-rugpijn" the parts ["lage", "rugpijn"]. */
  segments: string[];
  /** Written as "rug-" before a coordinated compound ("rug- en nekpijn"): the head is elided. */
  elided: boolean;
  /** Punctuation (or the end of the text) follows: the last word of a clause. */
  clauseEnd?: boolean;
}

/** Analysis of one token group. */
interface GroupTerms {
  /** The group's single representative term (stem of the word or of the joined hyphen form), for phrases. */
  primary: string | undefined;
  /** All index terms of the group, distinct, primary first. */
  terms: string[];
  /** Verb forms rebuilt from a split separable verb (see `Analyzer.verbForms`), with the term each came from. */
  verbs: { of: string; term: string }[];
}

/** Letters/digits runs; a decimal number ("2,5", "39.7") is one token. */
const SEGMENT = /\p{N}+(?:[.,]\p{N}+)+(?![\p{L}\p{N}])|[\p{L}\p{N}]+/gu;
/** Text between two segments of one hyphenated word; a line break after the hyphen is a PDF line wrap. */
const HYPHEN_JOIN = /^[-\u2010\u2011](?:[ \t]*\r?\n\s*)?$/u;
const STARTS_WITH_HYPHEN = /^[-\u2010\u2011]/u;
const HAS_LETTER = /\p{L}/u;
/** Possessive/plural apostrophe-s ("programma's", "RCT's", "team's"): the stem is the word before it. */
const APOSTROPHE_S = /(?<=[\p{L}\p{N}])['\u2018\u2019`]s(?![\p{L}\p{N}])/gu;
/** How many following token groups are searched for the head of an elided compound ("rug- en nekpijn"). */
const ELISION_LOOKAHEAD = 5;
/** The stem memo is cleared when it grows beyond this many words (bounded memory in a long-running server). */
const STEM_MEMO_LIMIT = 100_000;
/**
 * Separable-verb particles: Dutch splits "inschatten" into "in te schatten" and "aanraden" into "aan te
 * raden", so a question's "inschatten" would never meet a text's "in te schatten". "om te" is left out: it is
 * mostly the purpose construction ("om te bewegen"), not "omzetten".
 */
// prettier-ignore
const SEPARABLE_PARTICLES = new Set([
  'aan', 'af', 'bij', 'door', 'in', 'mee', 'na', 'op', 'over', 'terug', 'toe', 'uit', 'voor', 'vast', 'weg', 'samen', 'los', 'thuis',
]);

/** A separable verb's participle: particle, "ge", rest ("aan-ge-raden", "in-ge-schat", "af-ge-raden"). */
const PARTICIPLE = /^(aan|af|bij|door|in|mee|na|op|over|terug|toe|uit|voor|weg)ge(\p{L}+)$/u;
/** Punctuation that ends a clause (a comma too: "Als de pijn blijft, schat je het risico in."). */
const CLAUSE_BREAK = /[.?!;:,\n]/u;
/** Words that open a question or join clauses before the finite verb ("Wanneer schat ik … in?"). */
// prettier-ignore
const BEFORE_VERB = new Set([
  'hoe', 'wanneer', 'waarom', 'wat', 'wie', 'welke', 'welk', 'waar', 'waarmee', 'hoelang', 'hoevaak', 'en', 'of', 'maar', 'dan', 'dus', 'ook',
]);

/** Lowercases and removes diacritics (NFKD also expands ligatures such as "ﬁ" and "ĳ"). */
export function foldText(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '');
}

/** Splits folded text into token groups (hyphenated words grouped, elision marked). */
function tokenize(folded: string): TokenGroup[] {
  const text = folded.replace(APOSTROPHE_S, '');
  const groups: TokenGroup[] = [];
  let current: TokenGroup | undefined;
  let prevEnd = 0;
  for (const m of text.matchAll(SEGMENT)) {
    const gap = text.slice(prevEnd, m.index);
    if (current !== undefined && HYPHEN_JOIN.test(gap)) {
      // "lage-rugpijn", and "KCE-\nrichtlijn" / "behande-\nling" wrapped at a line end.
      current.segments.push(m[0]);
    } else {
      // "rug- en nekpijn": a hyphen followed by something other than a word marks an elided head.
      if (current !== undefined) current.elided = STARTS_WITH_HYPHEN.test(gap);
      if (current !== undefined) current.clauseEnd = CLAUSE_BREAK.test(gap);
      if (current !== undefined) groups.push(current);
      current = { segments: [m[0]], elided: false };
    }
    prevEnd = m.index + m[0].length;
  }
  if (current !== undefined) current.elided = STARTS_WITH_HYPHEN.test(text.slice(prevEnd));
  if (current !== undefined) current.clauseEnd = true;
  if (current !== undefined) groups.push(current);
  return groups;
}

/**
 * Creates an analyzer. Each instance owns its stem memo (no module-level mutable state), so create one per
 * process and reuse it: every word is stemmed once.
 */
export function createAnalyzer(options: AnalyzerOptions = {}): Analyzer {
  const englishWeight = options.englishWeight ?? 0.3;
  const stemmer = snowball.newStemmer('dutch');
  const memo = new Map<string, string>();

  /** Snowball-Dutch stem of a folded word, with two plural fixes Snowball lacks. */
  const stem = (word: string): string => {
    const hit = memo.get(word);
    if (hit !== undefined) return hit;
    let w = word;
    // Snowball-Dutch leaves "-ies" and "-ieën" plurals alone (studies, injecties, therapieën), so singular
    // and plural would never meet; reduce them to the "-ie" singular first.
    if (w.length >= 6 && w.endsWith('ies')) w = w.slice(0, -1);
    else if (w.length >= 7 && w.endsWith('ieen')) w = w.slice(0, -2);
    const out = /^\p{N}/u.test(w) ? w : stemmer.stem(w);
    if (memo.size >= STEM_MEMO_LIMIT) memo.clear();
    memo.set(word, out);
    return out;
  };

  const splitter: CompoundSplitter = createCompoundSplitter(stem);

  const wordMemo = new Map<string, string[]>();
  /** Terms of one folded word, memoized: compound splitting is the costliest step and words repeat. */
  const wordTerms = (word: string): string[] => {
    const hit = wordMemo.get(word);
    if (hit !== undefined) return hit;
    const out = analyzeWord(word);
    if (wordMemo.size >= STEM_MEMO_LIMIT) wordMemo.clear();
    wordMemo.set(word, out);
    return out;
  };

  /** Terms of one folded word: its stem, then sub-compounds and parts when it is a compound. */
  const analyzeWord = (word: string): string[] => {
    if (word.length === 1 && HAS_LETTER.test(word)) return []; // bullets and OCR debris ("e", "o")
    if (STOPWORDS.has(word)) return [];
    const whole = stem(word);
    const parts = HAS_LETTER.test(word) ? splitter.split(word) : undefined;
    if (parts === undefined) return [whole];
    const out = [whole];
    // Every contiguous run of ≥ 2 parts other than the whole ("lagerugpijn" → "rugpijn").
    for (let a = 0; a < parts.length; a++) {
      let surface = '';
      for (let b = a; b < parts.length; b++) {
        const part = parts[b];
        if (part === undefined) break;
        surface += part.surface;
        if (b > a && !(a === 0 && b === parts.length - 1)) out.push(stem(surface));
        surface += part.linker;
      }
    }
    for (const p of parts) out.push(p.term);
    return out;
  };

  /** Head (last part surface) of a word when it is a compound of known parts, for elided coordination. */
  const compoundHead = (group: TokenGroup | undefined): string | undefined => {
    if (group === undefined || group.segments.length !== 1) return undefined;
    const word = group.segments[0] ?? '';
    return splitter.split(word)?.at(-1)?.surface;
  };

  const analyzeGroups = (text: string): GroupTerms[] => {
    const groups = tokenize(foldText(text));
    const out: GroupTerms[] = [];
    for (let i = 0; i < groups.length; i++) {
      const group = groups[i];
      if (group === undefined) continue;
      const segs = group.segments;
      const terms: string[] = [];
      const verbs: { of: string; term: string }[] = [];
      let primary: string | undefined;
      if (segs.length === 1) {
        const word = segs[0] ?? '';
        // "in te schatten" → also "inschatten" (see SEPARABLE_PARTICLES), as the primary: it is the verb meant.
        const particle = i >= 2 && groups[i - 1]?.segments.join('') === 'te' ? groups[i - 2]?.segments : undefined;
        if (particle?.length === 1 && SEPARABLE_PARTICLES.has(particle[0] ?? '') && word.length > 3 && word.endsWith('en')) {
          terms.push(...wordTerms(`${particle[0] ?? ''}${word}`));
        }
        terms.push(...wordTerms(word));
        primary = terms[0];
        // "aangeraden", "ingeschat": a separable verb's participle also yields the verb ("aanraden").
        const participle = PARTICIPLE.exec(word);
        if (primary !== undefined && participle?.[1] !== undefined && participle[2] !== undefined && participle[2].length >= 3) {
          for (const t of wordTerms(participle[1] + participle[2]).slice(0, 1)) verbs.push({ of: primary, term: t });
        }
        // "Wanneer schat ik het risico in?": a clause-final particle belongs to the clause's finite verb.
        if (group.clauseEnd && SEPARABLE_PARTICLES.has(word)) verbs.push(...splitVerbTerms(groups, i, word));
      } else {
        // Joined form first ("lage-rugpijn" → "lagerugpijn"), unless all parts are numbers ("0-100").
        if (segs.some((s) => HAS_LETTER.test(s))) {
          const joined = wordTerms(segs.join(''));
          primary = joined[0];
          terms.push(...joined);
        }
        for (const s of segs) terms.push(...wordTerms(s));
        primary ??= terms[0];
      }
      const last = segs.at(-1) ?? '';
      if (group.elided && HAS_LETTER.test(last)) {
        // "rug- en nekpijn": borrow the head of the next compound to rebuild "rugpijn".
        for (let j = i + 1; j <= i + ELISION_LOOKAHEAD && j < groups.length; j++) {
          const head = compoundHead(groups[j]);
          if (head === undefined) continue;
          terms.push(...wordTerms(last + head));
          break;
        }
      }
      if (terms.length > 0 || verbs.length > 0) out.push({ primary, terms: [...new Set(terms)], verbs });
    }
    return out;
  };

  /**
   * Terms of the separable verb whose particle ends the clause at `end`: the finite verb is the clause's first
   * word, or the first after a question word ("Wanneer verwijs ik door?" → doorverwijzen). Both infinitive
   * spellings are tried (verwijs → verwijzen/verwijsen, pakt → pakken/pakten), since only the one the texts use
   * can ever match.
   */
  const splitVerbTerms = (groups: TokenGroup[], end: number, particle: string): { of: string; term: string }[] => {
    let start = end;
    while (start > 0 && !groups[start - 1]?.clauseEnd) start--;
    while (start < end && BEFORE_VERB.has(groups[start]?.segments.join('') ?? '')) start++;
    const verb = groups[start]?.segments;
    if (start >= end - 1 || verb?.length !== 1) return [];
    const v = verb[0] ?? '';
    if (v.length < 3 || STOPWORDS.has(v) || !/^\p{L}+$/u.test(v)) return [];
    const bases = v.endsWith('en') ? [v] : [`${v}en`, ...(v.endsWith('t') ? [`${v.slice(0, -1)}en`] : [])];
    const spelled = bases.flatMap((b) => [b, b.replace(/s(en)$/u, 'z$1'), b.replace(/f(en)$/u, 'v$1')]);
    const of = wordTerms(v)[0];
    if (of === undefined) return [];
    return [...new Set(spelled)].flatMap((b) => wordTerms(particle + b).slice(0, 1)).map((term) => ({ of, term }));
  };

  const terms = (text: string): string[] => analyzeGroups(text).flatMap((g) => [...g.terms, ...g.verbs.map((v) => v.term)]);
  const contentTerms = (text: string): string[] => [...new Set(analyzeGroups(text).flatMap((g) => g.terms))];
  const verbForms = (text: string): { of: string; term: string }[] => analyzeGroups(text).flatMap((g) => g.verbs);

  // ---- clinical lexicon, compiled once per analyzer with this analyzer's own pipeline ----
  const primariesOf = (text: string): string[] =>
    analyzeGroups(text).flatMap((g) => (g.primary === undefined ? [] : [g.primary]));
  const lexicon = compileLexicon(
    options.lexicon ?? loadDefaultLexicon(),
    { primaries: primariesOf, terms },
    options.kindWeights,
  );

  const expansionMemo = new Map<string, Map<string, number>>();
  /** A seed's expansions, memoized: the same few words ("rugpijn") start most questions' walks. */
  const expansionsOf = (seed: string): Map<string, number> => {
    const hit = expansionMemo.get(seed);
    if (hit !== undefined) return hit;
    const out = expandKeys(lexicon, [seed]);
    if (expansionMemo.size >= STEM_MEMO_LIMIT) expansionMemo.clear();
    expansionMemo.set(seed, out);
    return out;
  };

  const queryTerms = (text: string, stats?: IdfSource): WeightedTerm[] => {
    const groups = analyzeGroups(text);
    const weights = new Map<string, number>();
    const add = (term: string, weight: number): void => {
      const prev = weights.get(term);
      if (prev === undefined || weight > prev) weights.set(term, weight);
    };
    for (const g of groups) for (const t of g.terms) add(t, lexicon.englishOnly.has(t) ? englishWeight : 1);
    for (const g of groups) for (const v of g.verbs) add(v.term, 1);
    const seq = groups.flatMap((g) => (g.primary === undefined ? [] : [g.primary]));
    for (const seed of keysIn(lexicon, seq, [...weights.keys()])) {
      // A phrase is at least as specific as its rarest word. An English word occurs only in this Dutch corpus's
      // reference lists, so its rarity says nothing: its Dutch translation is the word actually asked.
      const translations = translationsOf(lexicon, seed);
      const asked = (translations.length > 0 ? translations : [seed]).flatMap((k) => k.split(' '));
      const seedIdf = stats === undefined ? 0 : Math.max(...asked.map((t) => stats.idf(t)));
      for (const [key, w] of expansionsOf(seed)) {
        const words = key.split(' ');
        // A multi-word target ("acute lage rugpijn") adds its words, since BM25 scores terms, not phrases; but
        // together they weigh what one word would, shared by informativeness, or the words of a long name
        // ("Federaal Kenniscentrum voor de Gezondheidszorg") would each count as much as the asked word.
        const idfs = words.map((t) => (stats === undefined ? 1 : stats.idf(t)));
        const idfSum = idfs.reduce((a, b) => a + b, 0);
        words.forEach((t, i) => {
          const share = (idfs[i] ?? 0) / idfSum;
          // An expansion stands in for the asked word, so it may not count for more than that word would:
          // "rugpijn" (in every passage) must not turn into a rare "rugklachten" that outweighs the question's
          // real focus. Scaling by the idf ratio approximates scoring the word and its synonyms as one term.
          const cap = stats === undefined ? 1 : Math.min(1, seedIdf / (idfs[i] ?? 1));
          add(t, w * share * cap);
        });
      }
    }
    return [...weights].map(([term, weight]) => ({ term, weight })).filter((t) => t.weight > 0);
  };

  const equivalentsMemo = new Map<string, string[]>();
  const equivalents = (term: string): string[] => {
    const hit = equivalentsMemo.get(term);
    if (hit !== undefined) return hit;
    const out = [term];
    // Associations are not the same word, but a member's class is what sources write about it (Voltaren →
    // diclofenac → NSAID). Multi-word keys stay: "ischias" is written "radiculaire pijn" in the documents.
    for (const key of expandKeys(lexicon, [term], {
      related: 'classes',
      minWeight: EQUIVALENT_MIN_WEIGHT,
    }).keys()) {
      out.push(key);
    }
    if (equivalentsMemo.size >= STEM_MEMO_LIMIT) equivalentsMemo.clear();
    equivalentsMemo.set(term, out);
    return out;
  };

  return { terms, queryTerms, contentTerms, verbForms, equivalents, lexicon };
}
