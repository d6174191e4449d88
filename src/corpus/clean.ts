import type { CleanDoc } from '../types.js';

/**
 * OCR repair and normalization of corpus documents, with an offset map back to the original.
 *
 * The original text is never modified. Every change goes through a {@link Mapped} value: a text plus, for
 * each of its characters, the offset in the original it came from. Stages:
 *  1. characters: Unicode NFC, line breaks → "\n", other blank/invisible characters → " " or dropped;
 *  2. lines: hard-wrapped lines are joined into paragraphs (hyphenated line breaks repaired), headings and
 *     list items keep their own line, OCR bullets ("e " / "o ") become "• ";
 *  3. OCR character rules (£ → ±, patiént → patiënt, cxclusie → exclusie, …);
 *  4. runs of spaces collapse to one.
 * Output: paragraphs separated by "\n\n", lines inside a paragraph (list items, short lines) by "\n";
 * headings are always a paragraph of their own. The only whitespace left is " " and "\n".
 */

/** A text with, for each UTF-16 unit, its offset in the original; `map.length === text.length + 1`. */
interface Mapped {
  text: string;
  map: number[];
}

/** Accumulates characters and their original offsets in order (offsets must never decrease). */
class MappedBuilder {
  private readonly parts: string[] = [];
  private readonly offsets: number[] = [];

  /** Appends `s`, every unit mapped to the same original offset (inserted or replacing text). */
  pushAt(s: string, offset: number): void {
    for (let i = 0; i < s.length; i++) {
      this.parts.push(s[i] as string);
      this.offsets.push(offset);
    }
  }

  /** Copies `src.text[a, b)` with its own offsets. */
  copy(src: Mapped, a: number, b: number): void {
    for (let i = a; i < b; i++) {
      this.parts.push(src.text[i] as string);
      this.offsets.push(src.map[i] as number);
    }
  }

  /**
   * Appends `replacement` in place of `src.text[a, b)`. The common prefix and suffix keep their exact
   * offsets; the changed middle maps to the offset of the first changed original character, which keeps
   * the map monotonic and points every new character at the text it replaces.
   */
  replace(src: Mapped, a: number, b: number, replacement: string): void {
    const old = src.text.slice(a, b);
    const limit = Math.min(old.length, replacement.length);
    let p = 0;
    while (p < limit && old[p] === replacement[p]) p++;
    let s = 0;
    while (s < limit - p && old[old.length - 1 - s] === replacement[replacement.length - 1 - s]) s++;
    for (let i = 0; i < p; i++) this.pushAt(replacement[i] as string, src.map[a + i] as number);
    this.pushAt(replacement.slice(p, replacement.length - s), src.map[a + p] as number);
    for (let j = 0; j < s; j++) {
      this.pushAt(replacement[replacement.length - s + j] as string, src.map[b - s + j] as number);
    }
  }

  finish(endOffset: number): Mapped {
    return { text: this.parts.join(''), map: [...this.offsets, endOffset] };
  }
}

/** Applies `replacer` to every match of the global regex `re`, keeping the offset map consistent. */
function replaceAll(src: Mapped, re: RegExp, replacer: (match: RegExpExecArray) => string): Mapped {
  const out = new MappedBuilder();
  let last = 0;
  for (const m of src.text.matchAll(re)) {
    const a = m.index;
    const b = a + m[0].length;
    out.copy(src, last, a);
    out.replace(src, a, b, replacer(m));
    last = b;
  }
  out.copy(src, last, src.text.length);
  return out.finish(src.map[src.text.length] as number);
}

// ---------------------------------------------------------------------------------------------------------
// Character classes

/** Whitespace, control and format (invisible) characters. Tested per UTF-16 unit. */
const BLANK_RE = /^[\s\p{Cc}\p{Cf}]$/u;

/**
 * True for a single UTF-16 unit that carries no visible text: whitespace, control characters and invisible
 * format characters (zero-width space, soft hyphen, BOM…). The cleaner keeps none of these except " " and
 * "\n"; original spans returned by {@link toOriginalSpan} never start or end with one.
 */
export function isBlankChar(ch: string): boolean {
  return ch.length === 1 && BLANK_RE.test(ch);
}

/** Invisible characters that sit inside words (soft hyphen, joiners, BOM): dropped rather than spaced. */
const DROPPED_INVISIBLES = new Set(['\u00ad', '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff']);
const LINE_BREAKS = new Set(['\n', '\r', '\u000b', '\u000c', '\u0085', '\u2028', '\u2029']);

/**
 * Units that NFC may compose across: a base plus combining marks, and Hangul jamo sequences (which are
 * letters, not marks). Anything else normalizes on its own.
 */
const NFC_SEGMENT_RE =
  /[\u1100-\u1112][\u1161-\u1175][\u11a8-\u11c2]?\p{M}*|[\uac00-\ud7a3][\u11a8-\u11c2]?\p{M}*|[^\p{M}]\p{M}*|\p{M}+/gsu;

// ---------------------------------------------------------------------------------------------------------
// Stage 1: characters

function normalizeCharacters(original: string): Mapped {
  const src: Mapped = { text: original, map: Array.from({ length: original.length + 1 }, (_, i) => i) };
  const out = new MappedBuilder();
  for (const m of original.matchAll(NFC_SEGMENT_RE)) {
    const seg = m[0];
    const at = m.index;
    const first = String.fromCodePoint(seg.codePointAt(0) as number);
    const restAt = at + first.length;
    if (LINE_BREAKS.has(first)) {
      // "\r\n" is one break: drop the "\r", the "\n" follows as its own segment.
      if (!(first === '\r' && original[restAt] === '\n' && seg.length === 1)) out.pushAt('\n', at);
      out.replace(src, restAt, at + seg.length, seg.slice(first.length).normalize('NFC'));
    } else if (isBlankChar(first)) {
      if (!DROPPED_INVISIBLES.has(first)) out.pushAt(' ', at);
      out.replace(src, restAt, at + seg.length, seg.slice(first.length).normalize('NFC'));
    } else {
      out.replace(src, at, at + seg.length, seg.normalize('NFC'));
    }
  }
  return ensureNfc(out.finish(original.length));
}

/** Safety net: if segment-wise NFC missed a composition, normalize the differing window as a whole. */
function ensureNfc(src: Mapped): Mapped {
  const nfc = src.text.normalize('NFC');
  if (nfc === src.text) return src;
  const out = new MappedBuilder();
  out.replace(src, 0, src.text.length, nfc);
  return out.finish(src.map[src.text.length] as number);
}

// ---------------------------------------------------------------------------------------------------------
// Stage 2: lines, paragraphs, headings

/**
 * Headings of the corpus' document types (Minerva, KCE, practice articles), lower case, without final
 * punctuation. A line equal to one of these is always a heading, whatever its context.
 */
const KNOWN_HEADINGS: ReadonlySet<string> = new Set([
  'klinische vraag',
  'achtergrond',
  'inleiding',
  'samenvatting',
  'methodologie',
  'methode',
  'geraadpleegde bronnen',
  'geselecteerde studies',
  'bestudeerde populatie',
  'onderzoeksopzet',
  'uitkomstmeting',
  'uitkomstmeting en interventie',
  'meting van de resultaten',
  'resultaten',
  'besluit',
  'besluit van de auteurs',
  'conclusie',
  'conclusie van de auteurs',
  'financiering van de studie',
  'belangenconflicten van de auteurs',
  'belangenconflict van de auteurs',
  'bespreking',
  'beperkingen van de studie',
  'beoordeling van de methodologie',
  'beoordeling van de resultaten',
  'wat zeggen de richtlijnen voor de klinische praktijk',
  'besluit van minerva',
  'voor de praktijk',
  'referenties',
  'literatuur',
  'auteurs',
  'codering',
  'commentaar',
]);

/** Dutch personal pronouns: a line starting with one is a clause ("We denken hierbij aan"), not a title. */
const PRONOUNS: ReadonlySet<string> = new Set([
  'we',
  'wij',
  'ik',
  'je',
  'jij',
  'u',
  'ze',
  'zij',
  'hij',
  'men',
  'jullie',
]);

/**
 * Articles, prepositions, conjunctions and auxiliaries. A line ending in one is cut mid-clause (so it
 * continues on the next line) and is never a heading.
 */
const FUNCTION_WORDS: ReadonlySet<string> = new Set(
  (
    'de het een van en of met in op voor bij aan tot naar om te die dat door uit over als maar want dan zoals ' +
    'tussen zonder per onder na tegen via is zijn wordt worden werd werden kan kunnen moet moeten heeft hebben ' +
    'had hadden deze dit hun haar ons onze zich er waarbij waarin waarvan welke omdat terwijl wanneer zodat'
  ).split(' '),
);

/** Bullets the OCR read as a letter: "e " or "o " at the start of a line. */
const OCR_BULLET_RE = /^[eo] (?=[\p{L}\p{N}(])/u;
/** Typographic bullets, dashes, footnote stars and "1." / "1)" numbering at the start of a line. */
const LIST_MARKER_RE = /^(?:[•▪◦●‣∙·○■□➢►–—*-]\s|\d{1,3}[.)]\s)/u;

/** Normalizes a line for comparison with {@link KNOWN_HEADINGS}. */
function headingKey(line: string): string {
  return line
    .trim()
    .replace(/[\s:?!.]+$/u, '')
    .replace(/\s+/gu, ' ')
    .toLowerCase();
}

/** True when `line` is one of the known section headings of Minerva/KCE-style documents. */
export function isKnownHeading(line: string): boolean {
  return KNOWN_HEADINGS.has(headingKey(line));
}

/** True when the line starts with a bullet, dash, footnote star, list number or an OCR'd "e "/"o " bullet. */
export function isListItem(line: string): boolean {
  const t = line.trim();
  return LIST_MARKER_RE.test(t) || OCR_BULLET_RE.test(t);
}

/**
 * Line-shape test for a heading: a known heading, or a short (≤ 10 words, ≤ 100 chars) line that starts
 * with a capital, does not end in . , ; : or a function word, is mostly letters, is not Title Case (names,
 * links and menus are) and does not start with a personal pronoun. Context (blank lines around it, prose
 * after it) is checked by the caller.
 */
export function looksLikeHeading(line: string): boolean {
  const t = line.trim();
  if (isKnownHeading(t)) return true;
  if (t.length === 0 || t.length > 100 || isListItem(t)) return false;
  if (!/^\p{Lu}/u.test(t) || /[.,;:]$/u.test(t)) return false;
  if (/[_@]|:\/\/|www\./u.test(t)) return false;
  const words = t.split(/\s+/u);
  if (words.length > 10) return false;
  const visible = t.replace(/\s+/gu, '');
  const letters = (t.match(/\p{L}/gu) ?? []).length;
  if (letters / visible.length < 0.6 || !words.some((w) => /\p{L}{3,}/u.test(w))) return false;
  const lettered = words.filter((w) => /\p{L}/u.test(w));
  const allCaps = !/\p{Ll}/u.test(t);
  if (!allCaps && lettered.length >= 2 && lettered.every((w) => /^[^\p{L}]*\p{Lu}/u.test(w))) return false;
  if (PRONOUNS.has(lastWordOf(words.slice(0, 1)))) return false;
  if (/\p{L}$/u.test(t) && FUNCTION_WORDS.has(lastWordOf(words))) return false;
  return true;
}

function lastWordOf(words: string[]): string {
  return (words[words.length - 1] ?? '').replace(/[^\p{L}]/gu, '').toLowerCase();
}

function countTokens(s: string): number {
  return s.split(/\s+/u).filter((w) => w !== '').length;
}

interface RawLine {
  /** Trimmed content range in the stage-1 text. */
  s: number;
  e: number;
  text: string;
}

interface Piece {
  s: number;
  e: number;
  /** How this piece attaches to the previous piece of its logical line. */
  join: 'space' | 'none';
}

interface LogicalLine {
  pieces: Piece[];
  /** Text of the joined pieces (for classification only). */
  text: string;
  /** Preceded by a blank line (or first in the document). */
  startsParagraph: boolean;
  ocrBullet: boolean;
  heading: boolean;
}

/** Per-document line statistics used to tell a soft (wrapped) line break from a real one. */
interface WrapProfile {
  /** Minimum length of a line that ran up to the right margin; Infinity when the text is not hard-wrapped. */
  fullLength: number;
  /** Lower-case words and hyphenated compounds seen in the document (line-end hyphenations excluded). */
  vocabulary: ReadonlySet<string>;
}

function wrapProfile(t1: string, lines: RawLine[]): WrapProfile {
  const lengths = lines
    .filter((l) => l.e > l.s)
    .map((l) => l.e - l.s)
    .sort((a, b) => a - b);
  const p90 = lengths[Math.floor(0.9 * (lengths.length - 1))] ?? 0;
  const max = lengths[lengths.length - 1] ?? 0;
  // Hard-wrapped (PDF/OCR) text: many lines, none very long, most close to one width. Unwrapped text
  // (one paragraph per line) has long lines, so "line is full" can never be true there.
  const hardWrapped = lengths.length >= 5 && max <= 160 && p90 >= 40;
  const unbroken = t1.replace(/[\p{L}\p{N}-]*-[ ]*\n[ \n]*[\p{L}\p{N}-]*/gu, ' ');
  const vocabulary = new Set(
    (unbroken.match(/[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*/gu) ?? []).map((w) => w.toLowerCase()),
  );
  // 0.85: proportional fonts make full lines vary by ~10% around the typical width.
  return { fullLength: hardWrapped ? 0.85 * p90 : Number.POSITIVE_INFINITY, vocabulary };
}

type Join = 'space' | 'hyphen-keep' | 'hyphen-drop' | null;

/**
 * Decides whether line `b` continues line `a` (a soft, typesetting line break) and how to join them.
 * `blankBetween`: one or more blank lines separate them (OCR inserts those inside paragraphs too).
 */
function decideJoin(
  a: string,
  b: string,
  blankBetween: boolean,
  profile: WrapProfile,
  aIsHeading: boolean,
  inBareList: boolean,
): Join {
  if (isListItem(b) || isKnownHeading(b) || aIsHeading) return null;
  const full = a.length >= profile.fullLength;
  const hardWrapped = Number.isFinite(profile.fullLength);
  // A lower-case start (possibly behind an opening bracket or quote) continues a sentence.
  const startsLower = /^[([“‘"']?\p{Ll}/u.test(b);
  const endsWithFunctionWord = /\p{L}$/u.test(a) && FUNCTION_WORDS.has(lastWordOf(a.split(/\s+/u)));

  const hyphen = /(?<![\p{L}\p{N}-])([\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*)-$/u.exec(a);
  if (hyphen && /^\p{L}/u.test(b) && (!blankBetween || hardWrapped)) {
    return hyphenJoin(hyphen[1] as string, b, profile.vocabulary);
  }
  if (blankBetween) {
    if (!hardWrapped || !startsLower || /[.!?:;]$/u.test(a)) return null;
    return full || endsWithFunctionWord ? 'space' : null;
  }
  if (startsLower) {
    // After a colon or sentence end a lower-case line is usually a list item that lost its bullet,
    // unless the line above ran up to the margin; inside such a bare list the same holds for every line.
    if (inBareList || /[.!?:]$/u.test(a)) return full || endsWithFunctionWord ? 'space' : null;
    return 'space';
  }
  if (endsWithFunctionWord) return 'space';
  if (full) {
    if (/[.!?]$/u.test(a) && looksLikeHeading(b)) return null;
    return 'space';
  }
  return null;
}

/**
 * Joins a word broken at a line-end hyphen. The hyphen is kept for real compounds ("KCE-richtlijn",
 * "bio-psycho-sociale", "lage-rugpijn", "niet-specifieke", "co-auteur") and dropped for typesetting
 * hyphenation ("be-handeling"), judged from the document's own vocabulary first, then from word shape.
 */
function hyphenJoin(prefix: string, next: string, vocabulary: ReadonlySet<string>): Join {
  const suffix = /^[\p{L}\p{N}]+/u.exec(next)?.[0] ?? '';
  if (/^\p{Lu}/u.test(next)) return 'hyphen-keep';
  const hyphenated = `${prefix}-${suffix}`.toLowerCase();
  const joined = `${prefix}${suffix}`.toLowerCase();
  if (vocabulary.has(hyphenated)) return 'hyphen-keep';
  if (vocabulary.has(joined)) return 'hyphen-drop';
  const lastPart = prefix.slice(prefix.lastIndexOf('-') + 1);
  if (prefix.includes('-') || /\p{N}/u.test(prefix) || /\p{Lu}.*\p{Lu}/u.test(lastPart)) return 'hyphen-keep';
  if (
    lastPart.length >= 3 &&
    suffix.length >= 3 &&
    vocabulary.has(lastPart.toLowerCase()) &&
    vocabulary.has(suffix.toLowerCase())
  ) {
    return 'hyphen-keep';
  }
  // Vowel clash: Dutch writes a hyphen (or trema) there, so hyphenation would not have split the word.
  if (/[aeiou]$/iu.test(lastPart) && /^[aeiou]/iu.test(suffix)) return 'hyphen-keep';
  return 'hyphen-drop';
}

function splitRawLines(t1: string): RawLine[] {
  const lines: RawLine[] = [];
  let start = 0;
  while (start <= t1.length) {
    let end = t1.indexOf('\n', start);
    if (end < 0) end = t1.length;
    let s = start;
    let e = end;
    while (s < e && t1[s] === ' ') s++;
    while (e > s && t1[e - 1] === ' ') e--;
    lines.push({ s, e, text: t1.slice(s, e) });
    start = end + 1;
  }
  return lines;
}

function buildLogicalLines(t1: Mapped): LogicalLine[] {
  const raw = splitRawLines(t1.text);
  const profile = wrapProfile(t1.text, raw);
  const logical: LogicalLine[] = [];
  let current: LogicalLine | undefined;
  let lastRaw: RawLine | undefined;
  let blanks = 0;
  // Inside a list whose bullets were lost: lower-case lines after a line ending in ":" (exclusion criteria…).
  let inBareList = false;
  for (const line of raw) {
    if (line.e === line.s) {
      blanks++;
      inBareList = false;
      continue;
    }
    const join =
      current && lastRaw
        ? decideJoin(lastRaw.text, line.text, blanks > 0, profile, isKnownHeading(current.text), inBareList)
        : null;
    if (join === null) {
      const bareItem = blanks === 0 && /^\p{Ll}/u.test(line.text) && !isListItem(line.text);
      inBareList = bareItem && lastRaw !== undefined && (inBareList || /:$/u.test(lastRaw.text));
    }
    if (current && join !== null) {
      const prev = current.pieces[current.pieces.length - 1] as Piece;
      if (join === 'hyphen-drop') prev.e -= 1;
      current.pieces.push({ s: line.s, e: line.e, join: join === 'space' ? 'space' : 'none' });
      const head = join === 'hyphen-drop' ? current.text.slice(0, -1) : current.text;
      current.text = head + (join === 'space' ? ' ' : '') + line.text;
    } else {
      current = {
        pieces: [{ s: line.s, e: line.e, join: 'none' }],
        text: line.text,
        startsParagraph: logical.length === 0 || blanks > 0,
        ocrBullet: OCR_BULLET_RE.test(line.text),
        heading: false,
      };
      logical.push(current);
    }
    lastRaw = line;
    blanks = 0;
  }
  markHeadings(logical);
  return logical;
}

/**
 * A logical line is a heading when it is a known heading, or has a heading's shape, follows a paragraph
 * break or a finished sentence, and is followed by a paragraph break or by prose (≥ 6 words). The first
 * line is the document title, not a heading, unless it is a known heading.
 */
function markHeadings(lines: LogicalLine[]): void {
  lines.forEach((line, i) => {
    if (isKnownHeading(line.text)) {
      line.heading = true;
      return;
    }
    if (i === 0 || !looksLikeHeading(line.text)) return;
    const prev = lines[i - 1] as LogicalLine;
    const next = lines[i + 1];
    const afterBreak = line.startsParagraph || prev.heading || /[.!?]$/u.test(prev.text);
    const beforeBreak =
      next === undefined || next.startsParagraph || (countTokens(next.text) >= 6 && !isListItem(next.text));
    line.heading = afterBreak && beforeBreak;
  });
}

function emitLines(t1: Mapped, lines: LogicalLine[]): Mapped {
  const out = new MappedBuilder();
  lines.forEach((line, i) => {
    const prev = lines[i - 1];
    if (prev) {
      const lastPiece = prev.pieces[prev.pieces.length - 1] as Piece;
      const paragraph = line.heading || prev.heading || line.startsParagraph;
      out.pushAt(paragraph ? '\n\n' : '\n', t1.map[lastPiece.e] as number);
    }
    line.pieces.forEach((piece, k) => {
      if (k > 0 && piece.join === 'space') {
        const before = line.pieces[k - 1] as Piece;
        out.pushAt(' ', t1.map[before.e] as number);
      }
      if (k === 0 && line.ocrBullet) {
        // "e volwassenen" → "• volwassenen": the bullet keeps the offset of the misread letter.
        out.pushAt('•', t1.map[piece.s] as number);
        out.copy(t1, piece.s + 1, piece.e);
      } else {
        out.copy(t1, piece.s, piece.e);
      }
    });
  });
  return out.finish(t1.map[t1.text.length] as number);
}

// ---------------------------------------------------------------------------------------------------------
// Stage 3: OCR character rules

interface OcrRule {
  /** Why the rule exists (documentation). */
  why: string;
  re: RegExp;
  replace: (m: RegExpExecArray) => string;
}

/** Generic OCR repairs, applied in order. Each is a pattern, never a whole word or sentence from the corpus. */
const OCR_RULES: readonly OcrRule[] = [
  { why: '"±" read as "£" (39,7 punten (£ 21,1))', re: /£/gu, replace: () => '±' },
  {
    why: '"±" read as "+" before a spread in parentheses: "(+ 9,1)"',
    re: /\(\+ (?=\d[\d ,.]*\))/gu,
    replace: () => '(± ',
  },
  {
    why: '"≥" read as "=" at the start of a parenthesis: "(=5 dagen per week)"',
    re: /\(=(?=\d)/gu,
    replace: () => '(≥',
  },
  { why: 'minus sign read as a dash: "tot —5,27"', re: /(?<=[\s(])[—–](?=\d)/gu, replace: () => '-' },
  { why: 'space before a decimal comma: "4 ,9 dagen"', re: /(?<=\d) ,(?=\d)/gu, replace: () => ',' },
  {
    why: '"ë" read as "é" after i: patiént(en), efficiént, financiéle ("één", "café", "Université" stay)',
    re: /(?<=\p{L})ié(?=[nlr])/gu,
    replace: () => 'ië',
  },
  {
    why: 'trema lost on ge+i past participles: geidentificeerd, geindividualiseerd, geirriteerd ("geijkt" stays)',
    re: /(?<!\p{L})([Gg]e)i(?=[ndrmslt]\p{Ll}*eerde?n?(?!\p{L}))/gu,
    replace: (m) => `${m[1] as string}ï`,
  },
  {
    why: 'trema lost in -oïde(n): opioiden, niet-steroiden',
    re: /(?<=\p{Ll}{2})oide(n?)(?!\p{L})/gu,
    replace: (m) => `oïde${m[1] as string}`,
  },
  {
    why: '"e" read as "c" before x at word start: cxclusiecriteria',
    re: /(?<!\p{L})cx(?=\p{Ll})/gu,
    replace: () => 'ex',
  },
  {
    why: '"e" read as "c" in the Dutch -atie ending: stratificatic, randomisatic (stems with no English -atic word)',
    re: /(?<=\p{L}{2}(?:ic|is|iz|ul|nt)at)ic(?!\p{L})/gu,
    replace: () => 'ie',
  },
];

// ---------------------------------------------------------------------------------------------------------
// Public API

/**
 * Cleans one corpus document: NFC, OCR repairs, joined hard-wrapped lines, normalized whitespace.
 * `map[i]` is the original offset of cleaned character i (length text.length + 1, last = original.length,
 * non-decreasing). Deterministic and pure; the original is returned untouched.
 */
export function cleanDocument(file: string, original: string): CleanDoc {
  const t1 = normalizeCharacters(original);
  let text = emitLines(t1, buildLogicalLines(t1));
  for (const rule of OCR_RULES) text = replaceAll(text, rule.re, rule.replace);
  text = replaceAll(text, / {2,}/gu, () => ' ');
  text = ensureNfc(text);
  return { file, original, text: text.text, map: Int32Array.from(text.map) };
}

/**
 * Maps the cleaned span [cleanStart, cleanEnd) to the original text: [map[cleanStart], map[cleanEnd]),
 * trimmed of blank characters on both sides, so `original.slice(start, end)` is the source of that
 * cleaned text and never starts or ends with whitespace. An all-blank span yields an empty span.
 * Throws RangeError when the span is not inside the cleaned text.
 */
export function toOriginalSpan(
  doc: CleanDoc,
  cleanStart: number,
  cleanEnd: number,
): { start: number; end: number } {
  if (
    !Number.isInteger(cleanStart) ||
    !Number.isInteger(cleanEnd) ||
    cleanStart < 0 ||
    cleanEnd < cleanStart ||
    cleanEnd > doc.text.length
  ) {
    throw new RangeError(
      `Span [${cleanStart}, ${cleanEnd}) is outside the cleaned text of ${doc.file} (length ${doc.text.length}).`,
    );
  }
  let start = doc.map[cleanStart] as number;
  let end = doc.map[cleanEnd] as number;
  while (start < end && isBlankChar(doc.original[start] as string)) start++;
  while (end > start && isBlankChar(doc.original[end - 1] as string)) end--;
  return { start, end };
}
