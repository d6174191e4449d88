import { z } from 'zod';
import type { RawDoc } from '../corpus/load.js';
import { packBinary, unpackBinary } from '../index/binary-pack.js';
import { AppError } from '../errors.js';
import type { CleanDoc, SourceMeta } from '../types.js';

/**
 * The documents as the build saw them: extracted text (what citations quote), cleaned text, offset map,
 * parser headings, PDF page starts, and the resolved metadata. Stored in the build so loading never
 * re-parses a PDF or re-cleans a document, and so /api/sources/:file, MCP resources and citation offsets
 * all refer to the same text.
 */
export interface StoredDoc {
  raw: RawDoc;
  clean: CleanDoc;
}

const FORMAT = 'rugwijs-docs';
const VERSION = 1;

const HeadingSchema = z.object({
  start: z.number().int().min(0),
  end: z.number().int().min(0),
  level: z.number().int().min(1).max(6),
});
const DocHeaderSchema = z.object({
  file: z.string().min(1),
  path: z.string().min(1),
  format: z.enum(['text', 'markdown', 'html', 'pdf']),
  sha256: z.string(),
  original: z.string(),
  text: z.string(),
  headings: z.array(HeadingSchema).optional(),
  pages: z.array(z.number().int().min(0)).optional(),
});
const SourceSchema = z.object({
  file: z.string().min(1),
  title: z.string(),
  kind: z.enum(['guideline', 'evidence-summary', 'practice-article', 'news', 'unknown']),
  publisher: z.string(),
  date: z.string().optional(),
  authority: z.number().int().min(1).max(4),
  label: z.string(),
  derived: z.array(z.string()).optional(),
});
const HeaderSchema = z.object({
  format: z.literal(FORMAT),
  version: z.literal(VERSION),
  docs: z.array(DocHeaderSchema),
  sources: z.array(SourceSchema),
});

/** Serializes documents and their metadata (binary: texts in the header, offset maps as Int32 arrays). */
export function packDocs(docs: readonly StoredDoc[], sources: readonly SourceMeta[]): Buffer {
  return packBinary(
    {
      format: FORMAT,
      version: VERSION,
      docs: docs.map(({ raw, clean }) => ({
        file: raw.file,
        path: raw.path,
        format: raw.format,
        sha256: raw.sha256,
        original: raw.original,
        text: clean.text,
        ...(raw.headings ? { headings: raw.headings } : {}),
        ...(raw.pages ? { pages: raw.pages } : {}),
      })),
      sources,
    },
    docs.map((d) => encodeMap(d.clean.map)),
  );
}

/**
 * Offset maps are piecewise "original = cleaned + delta" (cleaning joins lines and drops characters in
 * a few places), so they are stored as runs: pairs (cleaned index where a run starts, delta). A 5 MB
 * corpus needs a few thousand runs instead of 20 MB of Int32s to hash, copy and parse.
 */
export function encodeMap(map: Int32Array): Int32Array {
  const runs: number[] = [];
  let delta = Number.NaN;
  for (let i = 0; i < map.length; i++) {
    const d = (map[i] as number) - i;
    if (d !== delta) {
      runs.push(i, d);
      delta = d;
    }
  }
  return Int32Array.from(runs);
}

/** Inverse of {@link encodeMap}; `length` is the map's length (cleaned text length + 1). */
export function decodeMap(runs: Int32Array, length: number): Int32Array | undefined {
  if (runs.length % 2 !== 0 || (length > 0 && runs[0] !== 0)) return undefined;
  const map = new Int32Array(length);
  for (let r = 0; r < runs.length; r += 2) {
    const from = runs[r] as number;
    const to = r + 2 < runs.length ? (runs[r + 2] as number) : length;
    if (to <= from || to > length) return undefined;
    const delta = runs[r + 1] as number;
    for (let i = from; i < to; i++) map[i] = i + delta;
  }
  return map;
}

function nonDecreasing(map: Int32Array): boolean {
  for (let i = 1; i < map.length; i++) if ((map[i] as number) < (map[i - 1] as number)) return false;
  return (map[0] ?? 0) >= 0;
}

/**
 * Restores {@link packDocs} output, checking that every offset map fits its texts.
 * @throws AppError('index_corrupt')
 */
export function unpackDocs(bytes: Uint8Array, name: string): { docs: StoredDoc[]; sources: SourceMeta[] } {
  const corrupt = (why: string) =>
    new AppError('index_corrupt', `Index file ${name} is invalid (${why}); run "npm run ingest".`);
  const { header, arrays } = unpackBinary(bytes, name);
  const parsed = HeaderSchema.safeParse(header);
  if (!parsed.success) throw corrupt(parsed.error.issues[0]?.message ?? 'bad header');
  const { docs, sources } = parsed.data;
  if (arrays.length !== docs.length) throw corrupt('one offset map per document expected');
  const out = docs.map((d, i): StoredDoc => {
    const runs = arrays[i];
    const map = runs instanceof Int32Array ? decodeMap(runs, d.text.length + 1) : undefined;
    if (!map || map[d.text.length] !== d.original.length || !nonDecreasing(map))
      throw corrupt(`offset map of ${d.file} does not fit its text`);
    const raw: RawDoc = {
      file: d.file,
      path: d.path,
      format: d.format,
      original: d.original,
      sha256: d.sha256,
      ...(d.headings ? { headings: d.headings } : {}),
      ...(d.pages ? { pages: d.pages } : {}),
    };
    return { raw, clean: toCleanDoc(raw, d.text, map) };
  });
  const files = new Set(docs.map((d) => d.file));
  if (sources.length !== docs.length || sources.some((s) => !files.has(s.file)))
    throw corrupt('metadata does not match the documents');
  return { docs: out, sources: sources.map((s) => ({ ...s })) };
}

/** A CleanDoc with the parser structure of its RawDoc attached. */
export function toCleanDoc(raw: RawDoc, text: string, map: Int32Array): CleanDoc {
  return {
    file: raw.file,
    original: raw.original,
    text,
    map,
    ...(raw.headings
      ? {
          headings: raw.headings.map((h) => ({ start: h.start, level: h.level })),
          headingsExplicit: raw.format !== 'pdf',
        }
      : {}),
    ...(raw.pages ? { pages: raw.pages } : {}),
  };
}
