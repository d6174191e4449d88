import { extractHtml } from './html.js';
import { extractMarkdown } from './markdown.js';
import { extractPdf, UnreadablePdfError } from './pdf.js';
import type { HeadingSpan } from './text-builder.js';

/**
 * Version of text extraction and metadata derivation. The build stores their output, so a change to
 * either (a parser fix, a new date rule) must rebuild indexes made by the old code: bump this.
 */
export const EXTRACTOR_VERSION = 'extract-2';

/** Document formats the corpus accepts, by file extension. */
export type DocFormat = 'text' | 'markdown' | 'html' | 'pdf';

const FORMAT_BY_EXTENSION: Readonly<Record<string, DocFormat>> = {
  '.txt': 'text',
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.html': 'html',
  '.htm': 'html',
  '.pdf': 'pdf',
};

/** The format of a file name, or undefined for an extension the corpus does not read. */
export function formatOf(fileName: string): DocFormat | undefined {
  const ext = /\.[^./\\]+$/u.exec(fileName.toLowerCase())?.[0] ?? '';
  return FORMAT_BY_EXTENSION[ext];
}

/** Extensions listed in messages ("supported: .txt, .md, …"). */
export const SUPPORTED_EXTENSIONS = Object.keys(FORMAT_BY_EXTENSION);

/** Text extracted from one document, plus what the document says about itself. */
export interface Extracted {
  format: DocFormat;
  /** The text citations quote (for .txt the file itself, byte for byte). */
  text: string;
  /**
   * Headings found by the parser ([start, end) in `text`); undefined for plain text, where the chunker
   * recognises headings by their shape.
   */
  headings?: HeadingSpan[];
  /** PDF only: offset in `text` where each page starts. */
  pages?: number[];
  /** Metadata the file itself carries (HTML meta tags, PDF Info, Markdown front matter). */
  hints: { title?: string; publisher?: string; date?: string; kind?: string };
}

/** A file that cannot be read as a document; it is listed with this reason, never silently skipped. */
export class UnreadableError extends Error {}

/**
 * Extracts the text of one corpus file by its extension. Text files must be valid UTF-8 (a BOM is kept so
 * offsets stay offsets into the file). Throws {@link UnreadableError} with a one-line reason for an
 * unsupported extension, invalid UTF-8, an encrypted or scanned PDF, or a document without any text.
 */
export async function extractDocument(fileName: string, bytes: Uint8Array): Promise<Extracted> {
  const format = formatOf(fileName);
  if (!format) {
    throw new UnreadableError(`unsupported format (supported: ${SUPPORTED_EXTENSIONS.join(', ')})`);
  }
  let result: Extracted;
  if (format === 'pdf') {
    try {
      const pdf = await extractPdf(bytes);
      result = {
        format,
        text: pdf.text,
        headings: pdf.headings,
        pages: pdf.pages,
        hints: {
          ...(pdf.title ? { title: pdf.title } : {}),
          ...(pdf.author ? { publisher: pdf.author } : {}),
          ...(pdf.date ? { date: pdf.date } : {}),
        },
      };
    } catch (e) {
      if (e instanceof UnreadablePdfError) throw new UnreadableError(e.message);
      throw new UnreadableError(`PDF cannot be read: ${e instanceof Error ? e.message : String(e)}`);
    }
  } else {
    const source = format === 'html' ? decodeHtml(bytes) : decodeUtf8(bytes);
    if (format === 'text') {
      result = { format, text: source, hints: {} };
    } else if (format === 'markdown') {
      const md = extractMarkdown(source);
      const fm = md.frontMatter;
      result = {
        format,
        text: md.text,
        headings: md.headings,
        hints: pick({ title: fm.title, publisher: fm.publisher ?? fm.author, date: fm.date, kind: fm.kind }),
      };
    } else {
      const html = extractHtml(source);
      result = {
        format,
        text: html.text,
        headings: html.headings,
        hints: pick({ title: html.title, publisher: html.publisher, date: html.date }),
      };
    }
  }
  if (!/[\p{L}\p{N}]/u.test(result.text)) throw new UnreadableError('no text found in the document');
  return result;
}

function decodeUtf8(bytes: Uint8Array): string {
  try {
    // fatal: reject invalid UTF-8 instead of silently inserting U+FFFD; ignoreBOM: keep a BOM so offsets
    // into the text stay offsets into the decoded file.
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new UnreadableError('not valid UTF-8 text');
  }
}

/** HTML: UTF-8, or the charset the page declares (`<meta charset="windows-1252">`, common on older sites). */
function decodeHtml(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const head = new TextDecoder('latin1').decode(bytes.subarray(0, 2048));
    const charset = /<meta[^>]+charset\s*=\s*["']?([\w-]+)/iu.exec(head)?.[1];
    if (!charset || /^utf-?8$/iu.test(charset))
      throw new UnreadableError('not valid UTF-8 and no other charset declared');
    try {
      return new TextDecoder(charset.toLowerCase()).decode(bytes);
    } catch {
      throw new UnreadableError(`unknown charset "${charset}"`);
    }
  }
}

function pick(o: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(o).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1].trim() !== ''),
  );
}
