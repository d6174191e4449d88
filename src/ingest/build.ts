import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { loadCorpus, type RawDoc } from '../corpus/load.js';
import { cleanDocument } from '../corpus/clean.js';
import { chunkDocument, DEFAULT_CHUNK_OPTIONS, type ChunkOptions } from './chunk.js';
import { createAnalyzer, type Analyzer } from '../text/analyze.js';
import { Bm25Index } from '../index/bm25.js';
import { CorpusEmbedder } from '../index/corpus-embedder.js';
import type { TextEmbedder } from '../index/embedder.js';
import { VectorIndex } from '../index/vector-index.js';
import type { Chunk } from '../types.js';
import { writeDirAtomic, writeFileAtomic } from './atomic-write.js';
import { collectOldBuilds, removeOrphanTemps, withIngestLock } from './lock.js';
import { INDEX_FORMAT_VERSION, readManifest, sha256, type Manifest } from './manifest.js';
import { ANALYZER_VERSION, chunkIndexText } from './index-text.js';

/** Progress callback: stage name, items done, items total. */
export type ProgressFn = (stage: string, done: number, total: number) => void;

export interface BuildOptions {
  corpusDir: string;
  indexDir: string;
  /** Local transformers.js model folder; unset = the corpus-trained LSA embedder. */
  embedModel?: string | undefined;
  chunker?: ChunkOptions;
  /** Rebuild even when the manifest says the index is current (default false). */
  force?: boolean;
  onProgress?: ProgressFn;
}

export interface BuildReport {
  status: 'built' | 'up-to-date';
  build: string;
  documents: number;
  /** Documents whose chunks were reused from the previous build (unchanged content hash). */
  reusedDocuments: number;
  chunks: number;
  embedder: { id: string; dimension: number };
  ms: number;
}

/** File names inside a build folder. */
export const BUILD_FILES = {
  chunks: 'chunks.json',
  bm25: 'bm25.json',
  embedder: 'embedder.json',
  vectors: 'vectors.hnsw',
} as const;

/**
 * Ingests the corpus into a new build folder and switches `manifest.json` to it atomically: the build is
 * written to a temp folder, renamed into place, and only then is the manifest replaced (temp file + rename).
 * A crash at any point leaves the previous manifest pointing at the previous complete build.
 */
export async function buildIndex(options: BuildOptions): Promise<BuildReport> {
  // One ingest at a time per index folder; cleanup and GC only under the lock (src/ingest/lock.ts).
  return withIngestLock(options.indexDir, () => buildLocked(options));
}

async function buildLocked(options: BuildOptions): Promise<BuildReport> {
  const t0 = performance.now();
  const chunker = options.chunker ?? DEFAULT_CHUNK_OPTIONS;
  const progress = options.onProgress ?? (() => {});
  await fs.mkdir(options.indexDir, { recursive: true });
  await removeOrphanTemps(options.indexDir);

  const { sources, docs } = await loadCorpus(options.corpusDir);
  const previous = await readPrevious(options.indexDir);
  const embedderId = expectedEmbedderId(options.embedModel);

  if (!options.force && previous && isCurrent(previous.manifest, docs, chunker, embedderId)) {
    return {
      status: 'up-to-date',
      build: previous.manifest.build,
      documents: docs.length,
      reusedDocuments: docs.length,
      chunks: previous.manifest.chunks,
      embedder: previous.manifest.embedder,
      ms: performance.now() - t0,
    };
  }

  const analyzer = createAnalyzer();
  const sourceByFile = new Map(sources.map((s) => [s.file, s]));
  const chunks: Chunk[] = [];
  let reused = 0;
  const sameChunker =
    previous !== undefined && JSON.stringify(previous.manifest.chunker) === JSON.stringify(chunker);
  docs.forEach((doc, i) => {
    const prevHash = previous?.manifest.corpus.find((c) => c.file === doc.file)?.sha256;
    const prevChunks =
      sameChunker && prevHash === doc.sha256
        ? previous?.chunks.filter((c) => c.file === doc.file)
        : undefined;
    if (prevChunks && prevChunks.length > 0) {
      chunks.push(...prevChunks);
      reused++;
    } else {
      chunks.push(...chunkDocument(cleanDocument(doc.file, doc.original), chunker));
    }
    progress('chunk', i + 1, docs.length);
  });

  const texts = chunks.map((c) => chunkIndexText(c, sourceByFile.get(c.file)));
  const bm25 = Bm25Index.build(chunks.map((c, i) => ({ id: c.id, terms: analyzer.terms(texts[i] ?? '') })));
  progress('lexical', 1, 1);

  const embedder = await createEmbedder(options.embedModel, texts, analyzer);
  const vectors: number[][] = [];
  const batch = 16;
  for (let i = 0; i < texts.length; i += batch) {
    vectors.push(...(await embedder.embedDocuments(texts.slice(i, i + batch))));
    progress('embed', Math.min(i + batch, texts.length), texts.length);
  }
  const vectorIndex = VectorIndex.build(vectors, { dimension: embedder.dimension });

  const build = `build-${new Date().toISOString().replace(/[-:.]/g, '')}-${randomBytes(3).toString('hex')}`;
  const files: Record<string, string> = {};
  await writeDirAtomic(path.join(options.indexDir, build), async (dir) => {
    const put = async (name: string, data: string) => {
      await fs.writeFile(path.join(dir, name), data);
      files[name] = sha256(data);
    };
    await put(BUILD_FILES.chunks, JSON.stringify(chunks));
    await put(BUILD_FILES.bm25, JSON.stringify(bm25.toJSON()));
    if (embedder instanceof CorpusEmbedder)
      await put(BUILD_FILES.embedder, JSON.stringify(embedder.toJSON()));
    await vectorIndex.writeTo(path.join(dir, BUILD_FILES.vectors));
    files[BUILD_FILES.vectors] = sha256(await fs.readFile(path.join(dir, BUILD_FILES.vectors)));
  });

  const manifest: Manifest = {
    formatVersion: INDEX_FORMAT_VERSION,
    builtAt: new Date().toISOString(),
    build,
    corpus: docs.map((d) => ({ file: d.file, sha256: d.sha256 })),
    chunker,
    analyzerVersion: ANALYZER_VERSION,
    embedder: { id: embedder.id, dimension: embedder.dimension },
    chunks: chunks.length,
    files,
  };
  await writeFileAtomic(path.join(options.indexDir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  progress('write', 1, 1);
  await collectOldBuilds(options.indexDir);

  return {
    status: 'built',
    build,
    documents: docs.length,
    reusedDocuments: reused,
    chunks: chunks.length,
    embedder: manifest.embedder,
    ms: performance.now() - t0,
  };
}

async function createEmbedder(
  embedModel: string | undefined,
  texts: string[],
  analyzer: Analyzer,
): Promise<TextEmbedder> {
  if (embedModel) {
    // Imported on demand: the model runtime costs ~0.8 s to load and the default embedder never needs it.
    const { TransformersEmbedder } = await import('../index/transformers-embedder.js');
    return TransformersEmbedder.load(embedModel);
  }
  return CorpusEmbedder.train(texts, (t) => analyzer.terms(t));
}

/** True when the manifest was built from exactly these documents with these settings. */
export function isCurrent(
  manifest: Manifest,
  docs: RawDoc[],
  chunker: ChunkOptions,
  embedderId: string,
): boolean {
  const same =
    manifest.corpus.length === docs.length &&
    docs.every((d, i) => manifest.corpus[i]?.file === d.file && manifest.corpus[i]?.sha256 === d.sha256);
  return (
    same &&
    JSON.stringify(manifest.chunker) === JSON.stringify(chunker) &&
    manifest.analyzerVersion === ANALYZER_VERSION &&
    sameEmbedder(manifest.embedder.id, embedderId)
  );
}

/** The embedder id a configuration will produce; the corpus embedder's exact id is known only after training. */
export function expectedEmbedderId(embedModel: string | undefined): string {
  return embedModel ? `transformers:${path.basename(path.resolve(embedModel))}` : 'corpus';
}

/** Whether a built embedder id satisfies the configured one. */
export function sameEmbedder(builtId: string, expectedId: string): boolean {
  return expectedId === 'corpus' ? !builtId.startsWith('transformers:') : builtId === expectedId;
}

async function readPrevious(indexDir: string): Promise<{ manifest: Manifest; chunks: Chunk[] } | undefined> {
  try {
    const manifest = await readManifest(indexDir);
    const raw = await fs.readFile(path.join(indexDir, manifest.build, BUILD_FILES.chunks), 'utf8');
    if (sha256(raw) !== manifest.files[BUILD_FILES.chunks]) return undefined;
    return { manifest, chunks: JSON.parse(raw) as Chunk[] };
  } catch {
    // No usable previous build: everything is chunked afresh.
    return undefined;
  }
}
