/**
 * Internal data types shared by the pipeline stages (corpus → ingest → index → retrieve → answer).
 * Boundary shapes (HTTP, MCP, CLI) live in `schemas.ts` as zod schemas; these are plain values.
 */

/** Kind of source document; determines authority when sources disagree. */
export type SourceKind = 'guideline' | 'evidence-summary' | 'practice-article' | 'news' | 'unknown';

/** One entry of `corpus/sources.json`. */
export interface SourceMeta {
  file: string;
  title: string;
  kind: SourceKind;
  publisher: string;
  /** ISO date (YYYY-MM-DD or YYYY-MM or YYYY) when the text gives one. */
  date?: string;
  /** 1 = most authoritative (guideline) … 4 = least (news). */
  authority: number;
  /** Short label used in attributions, e.g. "KCE-richtlijn". */
  label: string;
  /** Fields derived from the document because no `sources.json` entry gave them (for `rugwijs sources`). */
  derived?: string[];
}

/** A corpus document: the original bytes as text plus the cleaned text and its offset map. */
export interface CleanDoc {
  file: string;
  /** Original file content, untouched (UTF-8 decoded). */
  original: string;
  /** Cleaned text (OCR repaired, Unicode NFC, whitespace normalized). */
  text: string;
  /**
   * map[i] = offset in `original` of cleaned character i; map has length text.length + 1 and
   * map[text.length] === original.length, so a cleaned span [a, b) maps to original [map[a], map[b]).
   */
  map: Int32Array;
  /**
   * Original offsets where a heading found by a document parser (HTML, Markdown, PDF font size) starts.
   * Undefined for plain text, whose headings are recognized by their shape.
   */
  headings?: readonly { start: number; level: number }[];
  /** True when only parser headings count (HTML, Markdown); false lets shape-based headings add to them (PDF). */
  headingsExplicit?: boolean;
  /** PDF only: original offset where each page starts (pages[0] = 0). */
  pages?: readonly number[];
}

/** Role of a chunk; references and author blocks are kept but rank low. */
export type ChunkRole = 'body' | 'references' | 'authors';

/** A retrievable passage. `original.slice(start, end)` is its source text. */
export interface Chunk {
  /** Stable id: `<file stem>#<ordinal>`, e.g. `004_beb946dfbc2e71d7#3`. */
  id: string;
  file: string;
  /** Heading path, outermost first, e.g. ["Samenvatting", "Resultaten"]. */
  section: string[];
  role: ChunkRole;
  /** Cleaned text of the chunk (what is analyzed, embedded and shown). */
  text: string;
  /** Offsets into the ORIGINAL file. */
  start: number;
  end: number;
  /** Offsets into the cleaned text (for sentence splitting back to the original). */
  cleanStart: number;
  cleanEnd: number;
}
