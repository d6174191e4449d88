import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { EXTRACTOR_VERSION } from '../corpus/extract.js';
import { scanCorpus } from '../corpus/load.js';
import { createAnalyzer, type Analyzer } from '../text/analyze.js';
import { Bm25Index } from '../index/bm25.js';
import { CorpusEmbedder } from '../index/corpus-embedder.js';
import type { TextEmbedder } from '../index/embedder.js';
import { VectorIndex } from '../index/vector-index.js';
import { AppError } from '../errors.js';
import type { Chunk, CleanDoc, SourceMeta } from '../types.js';
import { BUILD_FILES, buildIndex, corpusChanges, expectedEmbedderId, sameEmbedder, type ProgressFn } from './build.js';
import { unpackDocs } from './doc-store.js';
import { readManifest, readVerifiedFiles, type Manifest } from './manifest.js';
import { ANALYZER_VERSION } from './index-text.js';

/** Everything a query needs, loaded once and passed explicitly (no module state). */
export interface LoadedIndex {
  manifest: Manifest;
  sources: Map<string, SourceMeta>;
  /** Documents by file id: `original` is the text citations quote (extracted text for HTML/Markdown/PDF). */
  docs: Map<string, CleanDoc>;
  /** Corpus path of each file id. */
  paths: Map<string, string>;
  chunks: Chunk[];
  chunkById: Map<string, Chunk>;
  bm25: Bm25Index;
  vectors: VectorIndex;
  embedder: TextEmbedder;
  analyzer: Analyzer;
}

export interface LoadOptions {
  corpusDir: string;
  indexDir: string;
  embedModel?: string | undefined;
}

/**
 * Loads a built index after verifying it: manifest valid, every file's checksum intact, built from the
 * current corpus with the configured embedder. Throws AppError 'index_missing' | 'index_stale' |
 * 'index_corrupt' | 'index_mismatch' with a message saying what to do; never returns a half-loaded index.
 */
export async function loadIndex(options: LoadOptions): Promise<LoadedIndex> {
  const manifest = await readManifest(options.indexDir);
  const files = await readVerifiedFiles(options.indexDir, manifest);
  const changed = corpusChanges(manifest, await scanCorpus(options.corpusDir));
  if (changed.length > 0) {
    const shown = changed.slice(0, 5).join(', ') + (changed.length > 5 ? ` and ${changed.length - 5} more` : '');
    throw new AppError('index_stale', `Index is stale: corpus changed (${shown}); run "npm run ingest" to rebuild.`);
  }
  if (manifest.analyzerVersion !== ANALYZER_VERSION) {
    throw new AppError(
      'index_stale',
      `Index was built with analyzer ${manifest.analyzerVersion}; run "npm run ingest".`,
    );
  }
  if (manifest.extractorVersion !== EXTRACTOR_VERSION) {
    throw new AppError(
      'index_stale',
      `Index was built with text extraction ${manifest.extractorVersion}, this version uses ${EXTRACTOR_VERSION}; run "npm run ingest".`,
    );
  }
  const wantEmbedder = expectedEmbedderId(options.embedModel);
  if (!sameEmbedder(manifest.embedder.id, wantEmbedder)) {
    throw new AppError(
      'index_mismatch',
      `Index was built with embedder ${manifest.embedder.id} but ${wantEmbedder} is configured; run "npm run ingest".`,
    );
  }

  const analyzer = createAnalyzer();
  const stored = unpackDocs(fileBytes(files, BUILD_FILES.docs), BUILD_FILES.docs);
  const docs = new Map(stored.docs.map((d) => [d.clean.file, d.clean]));
  const chunks = parseChunks(parseJson(files, BUILD_FILES.chunks), manifest, docs);
  const bm25 = Bm25Index.fromBinary(fileBytes(files, BUILD_FILES.bm25));
  if (bm25.size !== chunks.length) {
    throw new AppError(
      'index_corrupt',
      `Index file ${BUILD_FILES.bm25} covers ${bm25.size} chunks, not ${chunks.length}; run "npm run ingest".`,
    );
  }
  const model = options.embedModel;
  const embedder: TextEmbedder = model
    ? // Imported on demand: the model runtime costs ~0.8 s to load and the default embedder never needs it.
      await import('../index/transformers-embedder.js').then((m) => m.TransformersEmbedder.load(model))
    : CorpusEmbedder.fromBinary(fileBytes(files, BUILD_FILES.embedder), (t) => analyzer.terms(t));
  if (embedder.dimension !== manifest.embedder.dimension) {
    throw new AppError(
      'index_mismatch',
      `Embedder dimension ${embedder.dimension} does not match the index (${manifest.embedder.dimension}).`,
    );
  }
  const vectors = await VectorIndex.readFrom(
    path.join(options.indexDir, manifest.build, BUILD_FILES.vectors),
    manifest.embedder.dimension,
    manifest.chunks,
  );
  return {
    manifest,
    sources: new Map(stored.sources.map((s) => [s.file, s])),
    docs,
    paths: new Map(stored.docs.map((d) => [d.raw.file, d.raw.path])),
    chunks,
    chunkById: new Map(chunks.map((c) => [c.id, c])),
    bm25,
    vectors,
    embedder,
    analyzer,
  };
}

/**
 * Loads the index, building it first when it is missing or stale (or corrupt/mismatched, after saying so
 * through `onRebuild`). Used by `npm start` so a fresh clone works with one command.
 */
export async function ensureIndex(
  options: LoadOptions & { onRebuild?: (reason: AppError) => void; onProgress?: ProgressFn },
): Promise<LoadedIndex> {
  try {
    return await loadIndex(options);
  } catch (e) {
    if (
      !(e instanceof AppError) ||
      !['index_missing', 'index_stale', 'index_corrupt', 'index_mismatch'].includes(e.code)
    ) {
      throw e;
    }
    options.onRebuild?.(e);
    await buildIndex({ ...options, force: true });
    return loadIndex(options);
  }
}

const ChunkSchema = z.object({
  id: z.string().min(1),
  file: z.string(),
  section: z.array(z.string()),
  role: z.enum(['body', 'references', 'authors']),
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  cleanStart: z.number().int().nonnegative(),
  cleanEnd: z.number().int().nonnegative(),
});

/**
 * Validates chunks.json beyond its checksum (a file edited together with its manifest entry): the shape of
 * every chunk, the count, unique ids, and offsets that lie inside the document they name. Queries index
 * into the documents with these offsets, so a bad one must stop the load, not a later request.
 */
function parseChunks(json: unknown, manifest: Manifest, docs: Map<string, CleanDoc>): Chunk[] {
  const corrupt = (why: string) =>
    new AppError(
      'index_corrupt',
      `Index file ${BUILD_FILES.chunks} is invalid: ${why}; run "npm run ingest".`,
    );
  const parsed = z.array(ChunkSchema).safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw corrupt(`${issue?.path.join('.') || 'root'}: ${issue?.message ?? 'bad shape'}`);
  }
  const stored = parsed.data;
  if (stored.length !== manifest.chunks)
    throw corrupt(`${stored.length} chunks, the manifest says ${manifest.chunks}`);
  const ids = new Set<string>();
  const chunks: Chunk[] = [];
  for (const c of stored) {
    if (ids.has(c.id)) throw corrupt(`duplicate chunk id ${c.id}`);
    ids.add(c.id);
    const doc = docs.get(c.file);
    if (doc === undefined) throw corrupt(`chunk ${c.id} names unknown file ${c.file}`);
    if (c.start > c.end || c.end > doc.original.length || c.cleanStart > c.cleanEnd || c.cleanEnd > doc.text.length)
      throw corrupt(`chunk ${c.id} has offsets out of range`);
    // The text is not stored twice: it is the chunk's slice of the stored cleaned text.
    chunks.push({ ...c, text: doc.text.slice(c.cleanStart, c.cleanEnd) });
  }
  return chunks;
}

function fileBytes(files: Map<string, Buffer>, name: string): Buffer {
  const bytes = files.get(name);
  if (!bytes)
    throw new AppError('index_corrupt', `Index file ${name} is missing from the manifest; run "npm run ingest".`);
  return bytes;
}

function parseJson(files: Map<string, Buffer>, name: string): unknown {
  const bytes = files.get(name);
  if (!bytes)
    throw new AppError(
      'index_corrupt',
      `Index file ${name} is missing from the manifest; run "npm run ingest".`,
    );
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new AppError('index_corrupt', `Index file ${name} is not valid JSON; run "npm run ingest".`);
  }
}

/** Whether an index folder has a manifest at all (cheap check for CLIs). */
export async function hasIndex(indexDir: string): Promise<boolean> {
  return fs
    .access(path.join(indexDir, 'manifest.json'))
    .then(() => true)
    .catch(() => false);
}
