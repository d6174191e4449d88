import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../errors.js';

/**
 * Bump when the on-disk layout of a build changes; older builds are then refused as mismatched (and
 * `ensureIndex` rebuilds them). 2: any format in (paths, skipped files, sources.json hash), stored
 * documents (docs.bin), binary BM25 (bm25.bin) and embedder (embedder.bin).
 */
export const INDEX_FORMAT_VERSION = 2;

export const ManifestSchema = z.object({
  formatVersion: z.number().int(),
  builtAt: z.string(),
  /** Build folder name under the index dir, e.g. "build-20261123T201500Z-ab12". */
  build: z.string().regex(/^[A-Za-z0-9_.-]+$/),
  /** Every indexed document: its file id, its path under the corpus folder and the sha256 of its bytes. */
  corpus: z.array(z.object({ file: z.string(), path: z.string(), sha256: z.string() })),
  /** Files that could not be read as documents, with the reason (listed, never silently dropped). */
  skipped: z.array(z.object({ path: z.string(), sha256: z.string(), reason: z.string() })),
  /** sha256 of corpus/sources.json ('' when there is none): an edited entry changes titles and kinds. */
  sourcesSha256: z.string(),
  chunker: z.object({ minWords: z.number(), maxWords: z.number(), overlapSentences: z.number() }),
  analyzerVersion: z.string(),
  /** Extraction and metadata-derivation code the stored documents came from (src/corpus/extract.ts). */
  extractorVersion: z.string(),
  embedder: z.object({ id: z.string(), dimension: z.number().int().positive() }),
  chunks: z.number().int().nonnegative(),
  /** sha256 of every file in the build folder, checked before anything is parsed. */
  files: z.record(z.string(), z.string()),
});
export type Manifest = z.infer<typeof ManifestSchema>;

/** sha256 hex of a string or bytes. */
export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Reads and validates `<indexDir>/manifest.json`. Missing → AppError('index_missing'); unreadable or
 * malformed → 'index_corrupt'; other format version → 'index_mismatch'.
 */
export async function readManifest(indexDir: string): Promise<Manifest> {
  const file = path.join(indexDir, 'manifest.json');
  let raw: string;
  try {
    raw = await fs.readFile(file, 'utf8');
  } catch {
    throw new AppError('index_missing', `No index found at ${indexDir} (run "npm run ingest").`);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new AppError('index_corrupt', `Index manifest ${file} is not valid JSON; rebuild with "npm run ingest".`);
  }
  const version = (json as { formatVersion?: unknown } | null)?.formatVersion;
  if (typeof version === 'number' && version !== INDEX_FORMAT_VERSION) {
    throw new AppError(
      'index_mismatch',
      `Index format ${version} does not match this version of rugwijs (${INDEX_FORMAT_VERSION}); rebuild with "npm run ingest".`,
    );
  }
  const parsed = ManifestSchema.safeParse(json);
  if (!parsed.success) {
    throw new AppError('index_corrupt', `Index manifest ${file} is malformed (${parsed.error.issues[0]?.message}); rebuild with "npm run ingest".`);
  }
  return parsed.data;
}

/**
 * Reads every file listed in the manifest from the build folder and checks its sha256, so a truncated or
 * edited file is refused before any parser (or native code) sees it. Returns the files' bytes by name.
 */
export async function readVerifiedFiles(indexDir: string, manifest: Manifest): Promise<Map<string, Buffer>> {
  const dir = path.join(indexDir, manifest.build);
  const out = new Map<string, Buffer>();
  for (const [name, expected] of Object.entries(manifest.files)) {
    let bytes: Buffer;
    try {
      bytes = await fs.readFile(path.join(dir, name));
    } catch {
      throw new AppError('index_corrupt', `Index file ${manifest.build}/${name} is missing; rebuild with "npm run ingest".`);
    }
    if (sha256(bytes) !== expected) {
      throw new AppError(
        'index_corrupt',
        `Index file ${manifest.build}/${name} does not match its checksum (truncated or edited); rebuild with "npm run ingest".`,
      );
    }
    out.set(name, bytes);
  }
  return out;
}
