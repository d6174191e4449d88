import { promises as fs } from 'node:fs';
import path from 'node:path';
import { PDFDocument, StandardFonts, type PDFFont, type PDFPage } from 'pdf-lib';

/** Folder with the Dutch fixture documents written for the tests (.txt, .md, .html). */
export const LIBRARY_DIR = path.resolve(import.meta.dirname, '../fixtures/library');
/** Folder with the PDF specs (title, author, pages of headings and paragraphs) rendered by {@link renderPdf}. */
export const PDF_SPEC_DIR = path.resolve(import.meta.dirname, '../fixtures/pdf');

type Block = { heading: string } | { text: string };
interface PdfSpec {
  title?: string;
  author?: string;
  pages: Block[][];
}

/**
 * Renders a PDF spec with pdf-lib: headings in 16 pt bold, paragraphs in 11 pt wrapped at the margin, one
 * spec page per PDF page — so the extractor sees real headings (by font size), hard-wrapped lines and
 * page boundaries.
 */
export async function renderPdf(spec: PdfSpec): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  if (spec.title) doc.setTitle(spec.title);
  if (spec.author) doc.setAuthor(spec.author);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  for (const blocks of spec.pages) {
    const page = doc.addPage([595, 842]);
    let y = 780;
    for (const block of blocks) {
      if ('heading' in block) {
        y -= 10;
        page.drawText(block.heading, { x: 60, y, size: 16, font: bold });
        y -= 26;
      } else {
        y = drawWrapped(page, block.text, font, 11, y);
        y -= 12;
      }
    }
  }
  return doc.save();
}

function drawWrapped(page: PDFPage, text: string, font: PDFFont, size: number, y: number): number {
  const maxWidth = 475;
  let line = '';
  for (const word of text.split(/\s+/u)) {
    const next = line ? `${line} ${word}` : word;
    if (font.widthOfTextAtSize(next, size) > maxWidth && line) {
      page.drawText(line, { x: 60, y, size, font });
      y -= size * 1.35;
      line = word;
    } else line = next;
  }
  if (line) {
    page.drawText(line, { x: 60, y, size, font });
    y -= size * 1.35;
  }
  return y;
}

/** A PDF whose only page holds a drawn shape and no text — what a scanned document looks like to a parser. */
export async function renderScannedPdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.addPage([595, 842]).drawRectangle({ x: 50, y: 50, width: 400, height: 600, borderWidth: 2 });
  return doc.save();
}

/**
 * Writes the fixture library into `target`: the text, Markdown and HTML documents as they are, every PDF
 * spec rendered to `<name>.pdf`, and — with `unreadable` — a scanned PDF without text and a .docx, which
 * must be listed as skipped. No sources.json: all metadata is derived.
 */
export async function writeFixtureLibrary(
  target: string,
  options: { unreadable?: boolean } = {},
): Promise<string[]> {
  await fs.mkdir(target, { recursive: true });
  const written: string[] = [];
  for (const name of await fs.readdir(LIBRARY_DIR)) {
    await fs.copyFile(path.join(LIBRARY_DIR, name), path.join(target, name));
    written.push(name);
  }
  for (const name of await fs.readdir(PDF_SPEC_DIR)) {
    const spec = JSON.parse(await fs.readFile(path.join(PDF_SPEC_DIR, name), 'utf8')) as PdfSpec;
    const out = name.replace(/\.json$/u, '.pdf');
    await fs.writeFile(path.join(target, out), await renderPdf(spec));
    written.push(out);
  }
  if (options.unreadable) {
    await fs.mkdir(path.join(target, 'scans'), { recursive: true });
    await fs.writeFile(path.join(target, 'scans', 'verwijsbrief-scan.pdf'), await renderScannedPdf());
    await fs.writeFile(path.join(target, 'notities.docx'), 'PK\u0003\u0004 not really a docx');
    written.push('scans/verwijsbrief-scan.pdf', 'notities.docx');
  }
  return written.sort();
}
