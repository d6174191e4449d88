import { isKnownHeading, looksLikeHeading, toOriginalSpan } from '../corpus/clean.js';
import { AppError } from '../errors.js';
import { splitSentences } from '../text/sentences.js';
import type { Chunk, ChunkRole, CleanDoc } from '../types.js';

/** Size and overlap of chunks, in words (whitespace-separated tokens containing a letter or digit). */
export interface ChunkOptions {
  /** A section with fewer body words is merged with the next section of the same top-level section. */
  minWords: number;
  /** Hard upper bound per chunk; a longer sentence is cut at word boundaries. */
  maxWords: number;
  /** Sentences repeated at the start of the next chunk when a section is split by size. */
  overlapSentences: number;
}

/**
 * Defaults: { minWords: 60, maxWords: 180, overlapSentences: 1 } (the brief proposed maxWords 350).
 * Measured on eval/gold.jsonl (107 answerable questions, BM25 over chunkIndexText, fact strings found in
 * the retrieved text): with 180 the facts found in the first 300 / 600 retrieved words are 59.9% / 69.7%,
 * with 350 57.9% / 64.5%, while facts in the top-5 chunks stay equal (68.4% vs 67.8%); 120 or 150 gave no
 * further gain. 180 Dutch words (~250–300 tokens) also fit the window of small sentence-embedding models.
 * Most corpus subsections are 50–300 words, so a chunk is one subsection or half of a long one.
 * minWords 60 merges only heading-only and one-line sections ("Methodologie", "Financiering"); 40–80
 * changed nothing measurable. One overlapping sentence keeps a claim and its qualifier together.
 */
export const DEFAULT_CHUNK_OPTIONS: ChunkOptions = Object.freeze({
  minWords: 60,
  maxWords: 180,
  overlapSentences: 1,
});

/** Number of words in `text`: whitespace-separated tokens that contain at least one letter or digit. */
export function countWords(text: string): number {
  let n = 0;
  for (const token of text.matchAll(/\S+/gu)) if (/[\p{L}\p{N}]/u.test(token[0])) n++;
  return n;
}

/** Top-level sections of Minerva/KCE documents (lower case). Any other heading nests under a container. */
const TOP_LEVEL_HEADINGS: ReadonlySet<string> = new Set([
  'klinische vraag',
  'besluit',
  'achtergrond',
  'inleiding',
  'samenvatting',
  'bespreking',
  'besluit van minerva',
  'voor de praktijk',
  'conclusie',
  'referenties',
  'literatuur',
  'auteurs',
  'codering',
  'commentaar',
  'aanverwante artikelen',
]);

/** Top-level sections whose following headings are their subsections (["Samenvatting", "Resultaten"]). */
const CONTAINER_HEADINGS: ReadonlySet<string> = new Set(['samenvatting', 'bespreking']);

const REFERENCE_HEADING_RE =
  /^(?:referenties|referentielijst|literatuur|literatuurlijst|bronvermelding|bibliografie|references)$/u;
const AUTHOR_HEADING_RE =
  /^(?:auteurs?|financiering|belangenconflict|codering|commentaar|aanverwante artikelen|correspondentie|affiliatie|coi\b)/u;
/** A line that looks like a bibliographic reference (DOI, PMID, URL, "2018;391:2356", "et al."). */
const CITATION_LINE_RE = /\b(?:doi|pmid|pmcid)\b|https?:\/\/|\bet al\.|\b(?:19|20)\d{2}\s*[;:(]\s*\d/iu;

interface Unit {
  /** Cleaned-text span. */
  start: number;
  end: number;
  words: number;
  heading: boolean;
  section: Section;
}

interface Section {
  /** Heading path; [] for the text before the first heading (title, dateline, lead). */
  path: string[];
  role: ChunkRole;
  /** Key of the top-level section (lower case), '' for the preamble. */
  top: string;
  units: Unit[];
}

interface Block {
  units: Unit[];
  role: ChunkRole;
  top: string;
}

/**
 * Splits a cleaned document into retrievable chunks along its structure.
 *
 * - Headings (a paragraph of one heading-shaped line, see corpus/clean.ts) open sections; "Samenvatting"
 *   and "Bespreking" nest the headings that follow (["Samenvatting", "Resultaten"]). The first paragraph is
 *   the title and belongs to the preamble (section []).
 * - A section with fewer than `minWords` body words is merged with the next one when both are in the same
 *   top-level section and have the same role (a short preamble merges with the first section). The merged
 *   chunk takes the path of its first section that has body text; the merged headings stay in its text.
 * - Chunks end on sentence boundaries, never cross a top-level section or a role change and never exceed
 *   `maxWords` (a longer sentence is cut at word boundaries). A section longer than `maxWords` is split
 *   into near-equal chunks that repeat the last `overlapSentences` sentence(s) of the previous chunk.
 * - Role: 'references' under Referenties/Literatuur (or when most lines are citations), 'authors' under
 *   Auteurs, Financiering, Belangenconflict(en), Codering, Commentaar; otherwise 'body'.
 * - id = `<file stem>#<ordinal>` in document order; start/end are ORIGINAL offsets (via toOriginalSpan),
 *   cleanStart/cleanEnd offsets into `doc.text`; text = doc.text.slice(cleanStart, cleanEnd).
 *
 * Throws AppError('config_error') for invalid options.
 */
export function chunkDocument(doc: CleanDoc, options: ChunkOptions = DEFAULT_CHUNK_OPTIONS): Chunk[] {
  validateOptions(options);
  const sections = buildSections(doc, options.maxWords);
  for (const section of sections) {
    if (section.role === 'body' && mostlyCitations(doc.text, section)) section.role = 'references';
  }
  const stem = doc.file.replace(/\.[^.]*$/u, '');
  const chunks: Chunk[] = [];
  for (const block of mergeSections(sections, options.minWords)) {
    for (const units of packBlock(block, options)) {
      const first = units[0] as Unit;
      const last = units[units.length - 1] as Unit;
      const { start, end } = toOriginalSpan(doc, first.start, last.end);
      // Path of the first sentence that is real section text (not a heading, not the title block).
      const owner = units.find((u) => !u.heading && u.section.top !== '') ?? first;
      chunks.push({
        id: `${stem}#${chunks.length}`,
        file: doc.file,
        section: [...owner.section.path],
        role: block.role,
        text: doc.text.slice(first.start, last.end),
        start,
        end,
        cleanStart: first.start,
        cleanEnd: last.end,
      });
    }
  }
  return chunks;
}

function validateOptions(o: ChunkOptions): void {
  const ok =
    Number.isInteger(o.minWords) &&
    Number.isInteger(o.maxWords) &&
    Number.isInteger(o.overlapSentences) &&
    o.minWords >= 0 &&
    o.maxWords >= 1 &&
    o.minWords <= o.maxWords &&
    o.overlapSentences >= 0;
  if (!ok) {
    throw new AppError(
      'config_error',
      `Invalid chunk options ${JSON.stringify(o)}: need integers 0 ≤ minWords ≤ maxWords, maxWords ≥ 1, overlapSentences ≥ 0.`,
    );
  }
}

function sectionKey(heading: string): string {
  return heading
    .trim()
    .replace(/[\s:?!.]+$/u, '')
    .replace(/\s+/gu, ' ')
    .toLowerCase();
}

function roleOf(path: string[]): ChunkRole {
  const keys = path.map(sectionKey);
  if (keys.some((k) => REFERENCE_HEADING_RE.test(k))) return 'references';
  if (keys.some((k) => AUTHOR_HEADING_RE.test(k))) return 'authors';
  return 'body';
}

/**
 * Paragraphs → sections of units (heading lines and sentences, long ones cut to `maxWords`). Plain text:
 * headings by shape and the known section names. Parsed documents (HTML, Markdown, PDF): the parser's
 * headings open sections nested by level (an h3 under the h2 before it); the first paragraph, when it is
 * a heading, is the document title and stays in the preamble.
 */
function buildSections(doc: CleanDoc, maxWords: number): Section[] {
  const text = doc.text;
  const preamble: Section = { path: [], role: 'body', top: '', units: [] };
  const sections: Section[] = [preamble];
  let current = preamble;
  let container: string | undefined;
  let paragraphIndex = 0;
  const parsed = new Map((doc.headings ?? []).map((h) => [h.start, h.level]));
  /** Open parser headings, outermost first. */
  const stack: { heading: string; level: number }[] = [];
  for (const para of paragraphs(text)) {
    const body = text.slice(para.start, para.end);
    const oneLine = !body.includes('\n');
    const level = oneLine ? parsed.get(doc.map[para.start] as number) : undefined;
    const byShape =
      oneLine && (isKnownHeading(body) || (!doc.headingsExplicit && paragraphIndex > 0 && looksLikeHeading(body)));
    const first = paragraphIndex === 0;
    paragraphIndex++;
    if (level !== undefined && first) {
      // The document's title: part of the preamble, not a section of its own.
      addUnits(current, text, para.start, para.end, true, maxWords);
    } else if (level !== undefined) {
      const heading = body.trim();
      while (stack.length > 0 && (stack[stack.length - 1] as { level: number }).level >= level) stack.pop();
      stack.push({ heading, level });
      const path = stack.map((s) => s.heading);
      container = undefined;
      current = { path, role: roleOf(path), top: sectionKey(path[0] as string), units: [] };
      sections.push(current);
      addUnits(current, text, para.start, para.end, true, maxWords);
    } else if (byShape) {
      const heading = body.trim();
      const key = sectionKey(heading);
      let path: string[];
      if (TOP_LEVEL_HEADINGS.has(key)) {
        path = [heading];
        container = CONTAINER_HEADINGS.has(key) ? heading : undefined;
      } else if (stack.length > 0) {
        path = [...stack.map((s) => s.heading), heading];
      } else {
        path = container === undefined ? [heading] : [container, heading];
      }
      current = { path, role: roleOf(path), top: sectionKey(path[0] as string), units: [] };
      sections.push(current);
      addUnits(current, text, para.start, para.end, true, maxWords);
    } else {
      for (const s of splitSentences(body)) {
        addUnits(current, text, para.start + s.start, para.start + s.end, false, maxWords);
      }
    }
  }
  return sections.filter((s) => s.units.length > 0);
}

/** Paragraph spans: text between runs of two or more line breaks, trimmed. */
function paragraphs(text: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let start = 0;
  for (const m of text.matchAll(/\n\s*\n/gu)) {
    pushTrimmed(out, text, start, m.index);
    start = m.index + m[0].length;
  }
  pushTrimmed(out, text, start, text.length);
  return out;
}

function pushTrimmed(out: { start: number; end: number }[], text: string, a: number, b: number): void {
  while (a < b && /\s/u.test(text[a] as string)) a++;
  while (b > a && /\s/u.test(text[b - 1] as string)) b--;
  if (b > a) out.push({ start: a, end: b });
}

/** Adds [start, end) as one unit, or as several word-bounded pieces when it has more than `maxWords` words. */
function addUnits(
  section: Section,
  text: string,
  start: number,
  end: number,
  heading: boolean,
  maxWords: number,
): void {
  const span = text.slice(start, end);
  const words = countWords(span);
  if (words <= maxWords) {
    section.units.push({ start, end, words, heading, section });
    return;
  }
  const pieces = Math.ceil(words / maxWords);
  const perPiece = Math.ceil(words / pieces);
  let pieceStart = -1;
  let pieceEnd = start;
  let count = 0;
  for (const token of span.matchAll(/\S+/gu)) {
    const tokenStart = start + token.index;
    const isWord = /[\p{L}\p{N}]/u.test(token[0]);
    if (isWord && count === perPiece) {
      section.units.push({ start: pieceStart, end: pieceEnd, words: count, heading, section });
      pieceStart = -1;
      count = 0;
    }
    if (pieceStart < 0) pieceStart = tokenStart;
    pieceEnd = tokenStart + token[0].length;
    if (isWord) count++;
  }
  if (pieceStart >= 0)
    section.units.push({ start: pieceStart, end: pieceEnd, words: count, heading, section });
}

function mostlyCitations(text: string, section: Section): boolean {
  const lines = section.units
    .filter((u) => !u.heading)
    .flatMap((u) => text.slice(u.start, u.end).split('\n'))
    .filter((l) => l.trim() !== '');
  if (lines.length < 3) return false;
  return lines.filter((l) => CITATION_LINE_RE.test(l)).length >= 0.6 * lines.length;
}

function bodyWords(units: Unit[]): number {
  return units.reduce((n, u) => n + (u.heading ? 0 : u.words), 0);
}

/** Merges short sections into the next one of the same top-level section and role (see chunkDocument). */
function mergeSections(sections: Section[], minWords: number): Block[] {
  const blocks: Block[] = [];
  for (const section of sections) {
    const cur = blocks[blocks.length - 1];
    if (
      cur !== undefined &&
      cur.role === section.role &&
      (cur.top === section.top || cur.top === '') &&
      bodyWords(cur.units) < minWords
    ) {
      cur.units.push(...section.units);
      cur.top = section.top;
    } else {
      blocks.push({ units: [...section.units], role: section.role, top: section.top });
    }
  }
  return blocks;
}

/** Packs a block's units into chunks of at most `maxWords`, near-equal in size, with sentence overlap. */
function packBlock(block: Block, options: ChunkOptions): Unit[][] {
  const { maxWords, overlapSentences } = options;
  const total = block.units.reduce((n, u) => n + u.words, 0);
  // Aim for equal parts so a section of 1.1 × maxWords is not split into a full chunk plus a scrap;
  // re-aimed at every chunk start because sentences overshoot the target unevenly.
  const equalPart = (words: number): number => words / Math.max(1, Math.ceil(words / maxWords));
  let target = equalPart(total);
  const chunks: Unit[][] = [];
  let cur: Unit[] = [];
  let curWords = 0;
  // Words of `cur` that are new (not repeated overlap), and words from the current unit to the block end.
  let freshWords = 0;
  let remaining = total;
  for (const unit of block.units) {
    const overflow = curWords + unit.words > maxWords;
    // Close at the target only when enough is left for a real next chunk (no trailing scraps).
    const reachedTarget = freshWords >= target && remaining >= target / 2 && bodyWords(cur) > 0;
    if (cur.length > 0 && (overflow || reachedTarget)) {
      // A heading at the end of a chunk belongs with the text it introduces.
      const carried: Unit[] = [];
      while (cur.length > 1 && (cur[cur.length - 1] as Unit).heading && bodyWords(cur.slice(0, -1)) > 0) {
        carried.unshift(cur.pop() as Unit);
      }
      const carriedWords = carried.reduce((n, u) => n + u.words, 0);
      const keepCarried = carriedWords + unit.words <= maxWords;
      if (!keepCarried) cur.push(...carried);
      chunks.push(cur);
      const next = keepCarried ? carried : [];
      const overlap = next.length === 0 ? overlapUnits(cur, unit, overlapSentences, maxWords) : [];
      cur = [...overlap, ...next];
      curWords = cur.reduce((n, u) => n + u.words, 0);
      freshWords = curWords - overlap.reduce((n, u) => n + u.words, 0);
      target = equalPart(remaining + curWords);
    }
    cur.push(unit);
    curWords += unit.words;
    freshWords += unit.words;
    remaining -= unit.words;
  }
  if (cur.length > 0) chunks.push(cur);
  return chunks;
}

/**
 * The last `count` sentences of `previous` to repeat before `next`: only body sentences of the same section
 * as `next`, never the whole previous chunk, and only as many as fit under `maxWords` together with `next`.
 */
function overlapUnits(previous: Unit[], next: Unit, count: number, maxWords: number): Unit[] {
  const picked: Unit[] = [];
  for (let i = previous.length - 1; i >= 1 && picked.length < count; i--) {
    const u = previous[i] as Unit;
    if (u.heading || u.section !== next.section) break;
    picked.unshift(u);
  }
  let words = picked.reduce((n, u) => n + u.words, 0);
  while (picked.length > 0 && words + next.words > maxWords) words -= (picked.shift() as Unit).words;
  return picked;
}
