/**
 * Sentence verifier for drafted (LLM) answers: a sentence survives only when it cites existing passages,
 * shares enough content words with them, and every number it states occurs in them. It cannot prove a
 * sentence true, but it removes the typical failures: uncited claims, invented citations, off-topic
 * sentences and altered numbers (doses, durations, percentages).
 */

/** A drafted sentence and the passage numbers it cites (`[n]` markers). */
export interface DraftSentence {
  text: string;
  cites: number[];
}

/** A numbered passage the draft may cite. */
export interface Passage {
  n: number;
  text: string;
}

/** Why a sentence was dropped. */
export type DropReason = 'uncited' | 'unknown-citation' | 'no-overlap' | 'number-not-in-source';

/** Options of {@link verifySentences}. */
export interface VerifyOptions {
  /**
   * Share (0–1) of the sentence's distinct content terms that must occur in its cited passages
   * (default 0.5). At least one term must always match.
   */
  minOverlap?: number;
  /**
   * Terms that count as the same word as a sentence term (synonyms, English→Dutch translations), e.g. the
   * analyzer's `equivalents`. Default: the term itself only. Needed when the draft is English and the
   * passages Dutch.
   */
  equivalents?: (term: string) => string[];
}

/** Result of {@link verifySentences}: kept sentences in draft order, dropped ones with the first failed check. */
export interface VerifyResult {
  kept: DraftSentence[];
  dropped: { sentence: DraftSentence; reason: DropReason }[];
}

/** Default share of a sentence's content terms that its cited passages must contain. */
export const DEFAULT_MIN_OVERLAP = 0.5;

/** Citation markers: "[1]", "[1, 2]", "[1-3]", "[passage 2]", "[bron 2]". */
const CITATION_MARKER =
  /\[\s*(?:passage|passages|bron|bronnen|source|sources|p\.?)?\s*\d+(?:\s*[,;–-]\s*\d+)*\s*\]/giu;

/**
 * Checks each drafted sentence against the passages it cites, in this order: it cites something
 * (`uncited`), every cited number exists (`unknown-citation`), every number in the sentence occurs in a
 * cited passage (`number-not-in-source`, compared after {@link numbersIn} normalization), and at least
 * `minOverlap` of its distinct content terms (min 1), or one of their `equivalents`, occur in the union of
 * the cited passages (`no-overlap`). Digits and number words do not count as terms (they are checked as
 * numbers).
 *
 * @param contentTerms the analyzer's content terms of a text; citation markers are removed before analysis.
 */
export function verifySentences(
  draft: DraftSentence[],
  passages: Passage[],
  contentTerms: (t: string) => string[],
  options: VerifyOptions = {},
): VerifyResult {
  const minOverlap = options.minOverlap ?? DEFAULT_MIN_OVERLAP;
  const equivalents = options.equivalents ?? ((t: string) => [t]);
  const byNumber = new Map(passages.map((p) => [p.n, p]));
  const kept: DraftSentence[] = [];
  const dropped: VerifyResult['dropped'] = [];
  for (const sentence of draft) {
    const reason = check(sentence, byNumber, contentTerms, minOverlap, equivalents);
    if (reason === undefined) kept.push(sentence);
    else dropped.push({ sentence, reason });
  }
  return { kept, dropped };
}

function check(
  sentence: DraftSentence,
  byNumber: Map<number, Passage>,
  contentTerms: (t: string) => string[],
  minOverlap: number,
  equivalents: (term: string) => string[],
): DropReason | undefined {
  if (sentence.cites.length === 0) return 'uncited';
  const cited = sentence.cites.map((n) => byNumber.get(n));
  if (cited.some((p) => p === undefined)) return 'unknown-citation';
  const sources = cited.filter((p): p is Passage => p !== undefined).map((p) => p.text);
  const text = stripCitations(sentence.text);

  const sourceNumbers = new Set(sources.flatMap((s) => numberReadings(s)));
  const unsupported = numberTokens(text).some((readings) => !readings.some((r) => sourceNumbers.has(r)));
  if (unsupported) return 'number-not-in-source';

  // Numbers were checked above; as terms they would only penalize "twaalf" against a passage's "12".
  const terms = [...new Set(contentTerms(withoutNumbers(text)))];
  const sourceTerms = new Set(sources.flatMap((s) => contentTerms(s)));
  const shared = terms.filter(
    (t) => sourceTerms.has(t) || equivalents(t).some((e) => sourceTerms.has(e)),
  ).length;
  // ceil: with 3 terms and 0.5, two must match; max(1, …): a sentence with no content terms never passes.
  if (shared < Math.max(1, Math.ceil(minOverlap * terms.length))) return 'no-overlap';
  return undefined;
}

/** The text with digits and number words blanked out. */
function withoutNumbers(text: string): string {
  return text
    .replace(/\d+(?:[.,]\d+)*%?/gu, ' ')
    .replace(/\p{L}+/gu, (w) =>
      NUMBER_WORDS.has(w.toLowerCase()) || compoundValue(w.toLowerCase()) !== undefined ? ' ' : w,
    );
}

/** Removes citation markers ("[1]", "[2, 3]") so their digits are neither numbers nor terms. */
export function stripCitations(text: string): string {
  return text.replace(CITATION_MARKER, ' ');
}

/**
 * Dutch and English number words. "een"/"one" are left out: far more often an article or pronoun than a
 * count ("één" with accents is always a count).
 */
// prettier-ignore
const NUMBER_WORDS: ReadonlyMap<string, number> = new Map([
  ['één', 1], ['twee', 2], ['drie', 3], ['vier', 4], ['vijf', 5], ['zes', 6], ['zeven', 7], ['acht', 8], ['negen', 9],
  ['tien', 10], ['elf', 11], ['twaalf', 12], ['dertien', 13], ['veertien', 14], ['vijftien', 15], ['zestien', 16],
  ['zeventien', 17], ['achttien', 18], ['negentien', 19], ['twintig', 20], ['dertig', 30], ['veertig', 40],
  ['vijftig', 50], ['zestig', 60], ['zeventig', 70], ['tachtig', 80], ['negentig', 90], ['honderd', 100],
  ['duizend', 1000],
  ['two', 2], ['three', 3], ['four', 4], ['five', 5], ['six', 6], ['seven', 7], ['eight', 8], ['nine', 9], ['ten', 10],
  ['eleven', 11], ['twelve', 12], ['thirteen', 13], ['fourteen', 14], ['fifteen', 15], ['sixteen', 16],
  ['seventeen', 17], ['eighteen', 18], ['nineteen', 19], ['twenty', 20], ['thirty', 30], ['forty', 40], ['fifty', 50],
  ['sixty', 60], ['seventy', 70], ['eighty', 80], ['ninety', 90], ['hundred', 100], ['thousand', 1000],
]);
const DUTCH_UNITS = ['een', 'twee', 'drie', 'vier', 'vijf', 'zes', 'zeven', 'acht', 'negen'];
const DUTCH_TENS: Record<string, number> = {
  twintig: 20,
  dertig: 30,
  veertig: 40,
  vijftig: 50,
  zestig: 60,
  zeventig: 70,
  tachtig: 80,
  negentig: 90,
};
/** "vijfentwintig", "drieëntwintig". */
const DUTCH_COMPOUND = new RegExp(
  `^(${DUTCH_UNITS.join('|')})(?:en|ën)(${Object.keys(DUTCH_TENS).join('|')})$`,
  'u',
);

/**
 * Numbers a text states, normalized: decimal comma or point ("2,5" = "2.5" → "2.5"), thousands separators
 * ("2 674", "2.674", "1.000.000" → "2674", "1000000"), leading zeros dropped, and Dutch/English number
 * words as digits ("twaalf" → "12", "vijfentwintig" → "25"). Citation markers ("[3]") are ignored. A lone
 * separator followed by exactly three digits ("2.674") is read as thousands here (the corpus is Dutch); the
 * verifier also accepts the decimal reading.
 */
export function numbersIn(text: string): string[] {
  return numberTokens(stripCitations(text)).map((readings) => readings[0] ?? '');
}

/** Each number of a text with its possible readings (first = preferred). */
function numberTokens(text: string): string[][] {
  const out: string[][] = [];
  // Digits glued by spaces into thousands groups: "2 674", "12 300" (a leading group of 1–3 digits).
  const joined = text.replace(/(?<![\d.,])\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d])/gu, (m) =>
    m.replace(/[ \u00a0\u202f]/gu, ''),
  );
  for (const m of joined.matchAll(/\d+(?:[.,]\d+)*/gu)) out.push(readings(m[0]));
  for (const m of joined
    .normalize('NFC')
    .toLowerCase()
    .matchAll(/[\p{L}]+/gu)) {
    const word = m[0];
    const value = NUMBER_WORDS.get(word) ?? compoundValue(word);
    if (value !== undefined) out.push([String(value)]);
  }
  return out;
}

/** All readings of every number in a text (for the source side of the comparison). */
function numberReadings(text: string): string[] {
  return numberTokens(stripCitations(text)).flat();
}

function compoundValue(word: string): number | undefined {
  const m = DUTCH_COMPOUND.exec(word);
  if (!m) return undefined;
  return DUTCH_UNITS.indexOf(m[1] ?? '') + 1 + (DUTCH_TENS[m[2] ?? ''] ?? 0);
}

/** Readings of one numeric token, e.g. "2,5" → ["2.5"], "2.674" → ["2674", "2.674"], "1.234,5" → ["1234.5"]. */
function readings(token: string): string[] {
  const separators = token.match(/[.,]/g) ?? [];
  if (separators.length === 0) return [canonical(token)];
  const distinct = new Set(separators);
  if (distinct.size === 2) {
    // "1.234,5" / "1,234.5": the last separator is the decimal one.
    const last = separators[separators.length - 1] ?? '.';
    const other = last === '.' ? ',' : '.';
    return [canonical(token.split(other).join('').replace(last, '.'))];
  }
  const parts = token.split(/[.,]/);
  const groupsOfThree = parts.slice(1).every((p) => p.length === 3);
  if (separators.length > 1) return groupsOfThree ? [canonical(parts.join(''))] : parts.map(canonical);
  const decimal = canonical(`${parts[0]}.${parts[1]}`);
  return groupsOfThree ? [canonical(parts.join('')), decimal] : [decimal];
}

/** Canonical form: no leading zeros in the integer part, no trailing zeros in the fraction. */
function canonical(n: string): string {
  const [int = '0', frac] = n.split('.');
  const i = int.replace(/^0+(?=\d)/, '');
  const f = frac?.replace(/0+$/, '');
  return f ? `${i}.${f}` : i;
}
