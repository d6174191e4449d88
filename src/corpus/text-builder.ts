/**
 * Builds the extracted text of a structured document (HTML, PDF, Markdown): blocks separated by a blank
 * line, headings as blocks of their own, and the offsets of every heading so the chunker can open a
 * section there. The text it returns is what the build stores and what citations quote.
 */

/** A heading in extracted text: [start, end) offsets and its level (1 = top). */
export interface HeadingSpan {
  start: number;
  end: number;
  level: number;
}

export class TextBuilder {
  #text = '';
  readonly #headings: HeadingSpan[] = [];

  /** Current length of the text (offset of the next character). */
  get length(): number {
    return this.#text.length;
  }

  /** Appends a paragraph (whitespace inside collapsed to single spaces, line breaks in `keepLines` kept). */
  paragraph(text: string, keepLines = false): void {
    const clean = keepLines
      ? text
          .split('\n')
          .map((l) => l.replace(/\s+/gu, ' ').trim())
          .filter((l) => l !== '')
          .join('\n')
      : text.replace(/\s+/gu, ' ').trim();
    if (clean === '') return;
    this.#breakBlock();
    this.#text += clean;
  }

  /** Appends a heading as its own block and records its span. */
  heading(text: string, level: number): void {
    const clean = text.replace(/\s+/gu, ' ').trim();
    if (clean === '') return;
    this.#breakBlock();
    const start = this.#text.length;
    this.#text += clean;
    this.#headings.push({ start, end: this.#text.length, level });
  }

  /** Forces a block break before the next paragraph (page boundaries). */
  #breakBlock(): void {
    if (this.#text.length > 0) this.#text += '\n\n';
  }

  /** The text and heading spans built so far. */
  finish(): { text: string; headings: HeadingSpan[] } {
    return { text: this.#text, headings: [...this.#headings] };
  }
}
