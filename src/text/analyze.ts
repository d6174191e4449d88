import { createRequire } from 'node:module';
import { createCompoundSplitter, type CompoundSplitter } from './compounds.js';
import { STOPWORDS } from './stopwords.js';
import { loadDefaultSynonyms, type SynonymTable } from './synonyms.js';

/**
 * Dutch text analysis shared by indexing and querying.
 *
 * Pipeline per text: lowercase → compatibility decomposition with diacritics removed (patiënten, patiénten
 * and patienten become one word; OCR often swaps the accent) → tokens of letters/digits (decimals such as
 * "2,5" stay one token; hyphenated words give their parts and the joined form; "rug- en nekpijn" also gives
 * "rugpijn") → stopwords dropped → Snowball-Dutch stem → compounds add their parts ("lagerugpijn" →
 * "rugpijn", "lag", "rug", "pijn"). English words go through the same Dutch stemmer; they are only useful
 * through the synonym table, which is analyzed with this same pipeline so both sides always agree.
 */

export interface WeightedTerm {
  term: string;
  weight: number;
}

export interface Analyzer {
  /** Index-time terms: lowercase, diacritics folded (patiënten/patiénten → patienten), stopwords removed, Snowball-Dutch stemmed; compounds also emit their parts. Order preserved, duplicates kept (for term frequency). */
  terms(text: string): string[];
  /** Query-time terms: the text's terms plus synonym and English→Dutch expansions (expansions weight < 1, e.g. 0.6; originals 1); merged by term keeping max weight. */
  queryTerms(text: string): WeightedTerm[];
  /** Distinct stemmed content terms of the text WITHOUT expansion (compound parts included). Empty for a question with no content words ("wat is dat?", "hoe zit het?"). */
  contentTerms(text: string): string[];
  /** All index terms that count as "the same word" as this content term: itself, its synonym group members, for coverage checks. */
  equivalents(term: string): string[];
}

export interface AnalyzerOptions {
  /** Synonym table; default: the bundled src/text/synonyms.json. */
  synonyms?: SynonymTable;
  /** Weight of a synonym or translation expansion (0–1, default 0.6). */
  expansionWeight?: number;
  /** Weight of an expansion triggered by a `related` (narrower) term (0–1, default 0.4). */
  relatedWeight?: number;
  /**
   * Weight of an original query term that the table knows only as English (0–1, default 0.3). In this Dutch
   * corpus such words occur only in English titles and reference lists, which they would otherwise pull to
   * the top; their Dutch translations (at `expansionWeight`) carry the question instead.
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
}

/** Analysis of one token group. */
interface GroupTerms {
  /** The group's single representative term (stem of the word or of the joined hyphen form), for phrases. */
  primary: string | undefined;
  /** All index terms of the group, distinct, primary first. */
  terms: string[];
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
      if (current !== undefined) groups.push(current);
      current = { segments: [m[0]], elided: false };
    }
    prevEnd = m.index + m[0].length;
  }
  if (current !== undefined) current.elided = STARTS_WITH_HYPHEN.test(text.slice(prevEnd));
  if (current !== undefined) groups.push(current);
  return groups;
}

/**
 * Creates an analyzer. Each instance owns its stem memo (no module-level mutable state), so create one per
 * process and reuse it: every word is stemmed once.
 */
export function createAnalyzer(options: AnalyzerOptions = {}): Analyzer {
  const expansionWeight = options.expansionWeight ?? 0.6;
  const relatedWeight = options.relatedWeight ?? 0.4;
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
      let primary: string | undefined;
      if (segs.length === 1) {
        terms.push(...wordTerms(segs[0] ?? ''));
        primary = terms[0];
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
      if (terms.length > 0) out.push({ primary, terms: [...new Set(terms)] });
    }
    return out;
  };

  const terms = (text: string): string[] => analyzeGroups(text).flatMap((g) => g.terms);
  const contentTerms = (text: string): string[] => [...new Set(terms(text))];

  // ---- synonym table, compiled once per analyzer with this analyzer's own pipeline ----
  const table = options.synonyms ?? loadDefaultSynonyms();
  type Kind = 'nl' | 'en' | 'related';
  interface Trigger {
    group: number;
    kind: Kind;
  }
  /** Dutch expansion targets per group: the primaries of its `nl` entries. */
  const targets: string[][] = [];
  /** Single-term entries: term → groups it triggers. */
  const single = new Map<string, Trigger[]>();
  /** Phrase entries by first primary: the full primary sequence and what it triggers. */
  const phrases = new Map<string, { seq: string[]; trigger: Trigger }[]>();
  /** Single-term Dutch members per group, for `equivalents`. */
  const nlSingles: string[][] = [];
  /** Terms of English entries that are no Dutch entry's term ("pain", "back"; not "sport", "placebo"). */
  const englishOnly = new Set<string>();
  const dutch = new Set<string>();

  const primariesOf = (text: string): string[] =>
    analyzeGroups(text).flatMap((g) => (g.primary === undefined ? [] : [g.primary]));

  table.groups.forEach((group, gi) => {
    const tgt = new Set<string>();
    const singles = new Set<string>();
    for (const kind of ['nl', 'en', 'related'] as const) {
      for (const entry of group[kind]) {
        const seq = primariesOf(entry);
        const first = seq[0];
        if (first === undefined) continue; // entry made only of stopwords: nothing to match
        const trigger = { group: gi, kind };
        if (kind === 'nl') seq.forEach((t) => (tgt.add(t), dutch.add(t)));
        if (kind === 'en') seq.forEach((t) => englishOnly.add(t));
        if (seq.length === 1) {
          const list = single.get(first) ?? [];
          list.push(trigger);
          single.set(first, list);
          if (kind === 'nl') singles.add(first);
        } else {
          const list = phrases.get(first) ?? [];
          list.push({ seq, trigger });
          phrases.set(first, list);
        }
      }
    }
    targets.push([...tgt]);
    nlSingles.push([...singles]);
  });
  for (const t of dutch) englishOnly.delete(t);

  const queryTerms = (text: string): WeightedTerm[] => {
    const groups = analyzeGroups(text);
    const weights = new Map<string, number>();
    const add = (term: string, weight: number): void => {
      const prev = weights.get(term);
      if (prev === undefined || weight > prev) weights.set(term, weight);
    };
    const fired = new Map<number, number>(); // group → strongest trigger weight
    const fire = (t: Trigger): void => {
      const w = t.kind === 'related' ? relatedWeight : expansionWeight;
      fired.set(t.group, Math.max(fired.get(t.group) ?? 0, w));
    };
    for (const g of groups) for (const t of g.terms) add(t, englishOnly.has(t) ? englishWeight : 1);
    // Single-term entries match any term, including compound parts ("rugoperaties" → "operatie").
    for (const term of weights.keys()) for (const t of single.get(term) ?? []) fire(t);
    // Phrase entries match consecutive primaries; stopwords are already gone ("terug naar het werk").
    const seq = groups.flatMap((g) => (g.primary === undefined ? [] : [g.primary]));
    seq.forEach((first, i) => {
      for (const p of phrases.get(first) ?? []) {
        if (p.seq.every((t, k) => seq[i + k] === t)) fire(p.trigger);
      }
    });
    for (const [group, w] of fired) for (const t of targets[group] ?? []) add(t, w);
    return [...weights].map(([term, weight]) => ({ term, weight }));
  };

  const equivalents = (term: string): string[] => {
    const out = new Set<string>([term]);
    for (const t of single.get(term) ?? []) {
      if (t.kind === 'related') continue; // narrower terms are not the same word
      for (const m of nlSingles[t.group] ?? []) out.add(m);
    }
    return [...out];
  };

  return { terms, queryTerms, contentTerms, equivalents };
}
