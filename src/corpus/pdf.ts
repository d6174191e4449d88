import { TextBuilder, type HeadingSpan } from './text-builder.js';

/** What {@link extractPdf} returns. */
export interface PdfExtract {
  text: string;
  headings: HeadingSpan[];
  /** pages[i] = offset in `text` where page i + 1 starts (ascending, pages[0] = 0). */
  pages: number[];
  /** Document title from the PDF's Info dictionary, when it looks like a title (not "Microsoft Word - x"). */
  title?: string;
  /** Author from the Info dictionary. */
  author?: string;
  /** Creation date from the Info dictionary (YYYY-MM-DD). */
  date?: string;
}

/** Why a PDF gives no text: password-protected, or pages without a text layer (a scan). */
export class UnreadablePdfError extends Error {}

interface Item {
  str: string;
  hasEOL: boolean;
  transform: number[];
  width: number;
  height: number;
}

interface Line {
  text: string;
  y: number;
  size: number;
}

/**
 * PDF → text with page offsets, through Mozilla's pdfjs-dist (legacy build, the one for Node; no worker
 * file, no eval, no system fonts — nothing outside the file is read). Text items are grouped into lines by
 * baseline; a vertical gap larger than 1.6 × the usual line spacing starts a new paragraph; a short line set
 * clearly larger than the body text (≥ 1.2 × the size most characters are set in) is a heading. Pages are separated by a
 * paragraph break and their start offsets recorded so a citation can name its page.
 * Throws {@link UnreadablePdfError} for an encrypted PDF or one with no text at all (scanned).
 */
export async function extractPdf(bytes: Uint8Array): Promise<PdfExtract> {
  // Imported on demand: pdfjs is ~2 MB of JavaScript that a corpus without PDFs never needs.
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const task = getDocument({
    data: new Uint8Array(bytes), // pdfjs transfers (detaches) the buffer it gets
    isEvalSupported: false,
    useSystemFonts: false,
    disableFontFace: true,
    stopAtErrors: false,
    verbosity: 0,
  });
  let pdf: Awaited<typeof task.promise>;
  try {
    pdf = await task.promise;
  } catch (e) {
    const name = (e as { name?: string }).name;
    if (name === 'PasswordException') throw new UnreadablePdfError('PDF is password-protected (encrypted)');
    throw new UnreadablePdfError(`PDF cannot be parsed: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    const pages: Line[][] = [];
    for (let p = 1; p <= pdf.numPages; p++) {
      const page = await pdf.getPage(p);
      const content = await page.getTextContent();
      pages.push(toLines(content.items.filter((i): i is Item & typeof i => 'str' in i) as unknown as Item[]));
      page.cleanup();
    }
    // The body size is the one most characters are set in (a median of lines would tip to heading sizes
    // on short documents).
    const charsBySize = new Map<number, number>();
    for (const l of pages.flat()) {
      const size = Math.round(l.size * 10) / 10;
      charsBySize.set(size, (charsBySize.get(size) ?? 0) + l.text.trim().length);
    }
    if (![...charsBySize.values()].some((n) => n > 0))
      throw new UnreadablePdfError('PDF has no text layer (scanned image?); OCR it first');
    const bodySize = [...charsBySize].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0] ?? 0;

    dropRunningLines(pages);
    const out = new TextBuilder();
    const pageStarts: number[] = [];
    for (const lines of pages) {
      pageStarts.push(out.length === 0 ? 0 : out.length + 2); // the paragraph break the next block adds
      writePage(out, lines, bodySize);
    }
    const { text, headings } = out.finish();
    // A page without text would claim an offset past the end; clamp so every page start is in range.
    const starts = pageStarts.map((s) => Math.min(s, text.length));
    const meta = await pdf.getMetadata().catch(() => undefined);
    const info = (meta?.info ?? {}) as Record<string, unknown>;
    const title = typeof info.Title === 'string' ? cleanTitle(info.Title) : undefined;
    const author = typeof info.Author === 'string' && info.Author.trim() ? info.Author.trim() : undefined;
    const date = typeof info.CreationDate === 'string' ? pdfDate(info.CreationDate) : undefined;
    return {
      text,
      headings,
      pages: starts,
      ...(title ? { title } : {}),
      ...(author ? { author } : {}),
      ...(date ? { date } : {}),
    };
  } finally {
    await pdf.destroy();
  }
}

/** Groups text items into lines: same baseline (within 40% of the font size) and no end-of-line mark. */
/** Typographic ligatures (ﬁ, ﬂ, …) as letters, so "ﬁets" is found as "fiets". */
const LIGATURES: Readonly<Record<string, string>> = {
  '\ufb00': 'ff',
  '\ufb01': 'fi',
  '\ufb02': 'fl',
  '\ufb03': 'ffi',
  '\ufb04': 'ffl',
  '\ufb05': 'st',
  '\ufb06': 'st',
};

function toLines(items: Item[]): Line[] {
  const lines: Line[] = [];
  let cur: { parts: string[]; y: number; size: number; endX: number } | undefined;
  for (const it of items) {
    const x = it.transform[4] ?? 0;
    const y = it.transform[5] ?? 0;
    const size = Math.abs(it.height || (it.transform[3] ?? 0));
    // pdf.js bridges a wide horizontal gap with one space item: that gap separates columns, not words.
    if (cur && it.str.trim() === '' && it.width > 2.5 * Math.max(size, cur.size, 1)) {
      lines.push({ text: cur.parts.join(''), y: cur.y, size: cur.size });
      cur = undefined;
      continue;
    }
    // A new line on another baseline, or on the same baseline far to the right (the next column).
    const otherColumn = cur !== undefined && x - cur.endX > 2.5 * Math.max(size, cur.size, 1);
    if (cur && it.str !== '' && (Math.abs(y - cur.y) > 0.4 * Math.max(size, cur.size, 1) || otherColumn)) {
      lines.push({ text: cur.parts.join(''), y: cur.y, size: cur.size });
      cur = undefined;
    }
    if (it.str !== '') {
      if (!cur) cur = { parts: [], y, size, endX: x };
      const prev = cur.parts[cur.parts.length - 1];
      // Items are glyph runs; a horizontal gap between runs is a space the PDF did not encode.
      if (prev !== undefined && !/\s$/u.test(prev) && !/^\s/u.test(it.str) && x - cur.endX > 0.15 * size)
        cur.parts.push(' ');
      cur.parts.push(it.str.replace(/[\ufb00-\ufb06]/gu, (c) => LIGATURES[c] ?? c));
      cur.size = Math.max(cur.size, size);
      cur.endX = x + it.width;
    }
    if (it.hasEOL && cur) {
      lines.push({ text: cur.parts.join(''), y: cur.y, size: cur.size });
      cur = undefined;
    }
  }
  if (cur) lines.push({ text: cur.parts.join(''), y: cur.y, size: cur.size });
  return lines.filter((l) => l.text.trim() !== '');
}

/**
 * Removes running headers and footers: a line among the first or last two of a page whose text (digits
 * ignored, so "pagina 3 van 20" matches "pagina 4 van 20") recurs on more than half of the pages, when
 * there are at least three pages. Page numbers alone are dropped the same way.
 */
function dropRunningLines(pages: Line[][]): void {
  if (pages.length < 3) return;
  const key = (l: Line) => l.text.replace(/\d+/gu, '#').replace(/\s+/gu, ' ').trim().toLowerCase();
  const edges = (lines: Line[]) => new Set([...lines.slice(0, 2), ...lines.slice(-2)].map(key));
  const counts = new Map<string, number>();
  for (const lines of pages) for (const k of edges(lines)) counts.set(k, (counts.get(k) ?? 0) + 1);
  const running = new Set([...counts].filter(([, n]) => n > pages.length / 2).map(([k]) => k));
  if (running.size === 0) return;
  pages.forEach((lines, p) => {
    const edge = new Set([...lines.slice(0, 2), ...lines.slice(-2)]);
    pages[p] = lines.filter((l) => !(edge.has(l) && running.has(key(l))));
  });
}

/** Writes one page: headings alone, lines joined into paragraphs, a larger gap starts a new paragraph. */
function writePage(out: TextBuilder, lines: Line[], bodySize: number): void {
  const gaps: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    const gap = (lines[i - 1] as Line).y - (lines[i] as Line).y;
    if (gap > 0) gaps.push(gap);
  }
  gaps.sort((a, b) => a - b);
  const spacing = gaps[Math.floor(gaps.length / 2)] ?? bodySize * 1.2;
  let para: string[] = [];
  const flush = () => {
    if (para.length > 0) out.paragraph(para.join('\n'), true);
    para = [];
  };
  lines.forEach((line, i) => {
    const words = line.text.trim().split(/\s+/u).length;
    if (line.size >= 1.2 * bodySize && words <= 14 && /\p{L}/u.test(line.text)) {
      flush();
      out.heading(line.text, line.size >= 1.6 * bodySize ? 1 : 2);
      return;
    }
    const prev = lines[i - 1];
    // A large gap down, or a jump back up (the top of the next column), ends the paragraph.
    if (prev && (prev.y - line.y > 1.6 * spacing || line.y > prev.y + 0.5 * bodySize)) flush();
    para.push(line.text);
  });
  flush();
}

function cleanTitle(raw: string): string | undefined {
  const t = raw.replace(/\s+/gu, ' ').trim();
  if (
    t.length < 4 ||
    /^(microsoft word|untitled|document\d*|naamloos)\b/iu.test(t) ||
    /\.(docx?|pdf|indd|odt)$/iu.test(t)
  )
    return undefined;
  return t;
}

/** "D:20250620120000+02'00'" → "2025-06-20". */
function pdfDate(raw: string): string | undefined {
  const m = /^D:(\d{4})(\d{2})?(\d{2})?/u.exec(raw);
  if (!m) return undefined;
  return [m[1], m[2], m[3]].filter(Boolean).join('-');
}
