import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { EXTRACTOR_VERSION } from '../corpus/extract.js';
import { loadCorpus, scanCorpus, type CorpusScan, type RawDoc, type SkippedFile } from '../corpus/load.js';
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
import { INDEX_FORMAT_VERSION, readManifest, readVerifiedFiles, sha256, type Manifest } from './manifest.js';
import { ANALYZER_VERSION, chunkIndexText } from './index-text.js';
import { packDocs, toCleanDoc, unpackDocs, type StoredDoc } from './doc-store.js';

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
  /** Files that could not be read as documents, each with a one-line reason. */
  skipped: SkippedFile[];
  /** sources.json entries naming a file that is not in the corpus. */
  orphanEntries: string[];
  ms: number;
}

/** File names inside a build folder. */
export const BUILD_FILES = {
  docs: 'docs.bin',
  chunks: 'chunks.json',
  bm25: 'bm25.bin',
  embedder: 'embedder.bin',
  vectors: 'vectors.hnsw',
} as const;

/**
 * Ingests the corpus into a new build folder and switches `manifest.json` to it atomically: the build is
 * written to a temp folder, renamed into place, and only then is the manifest replaced (temp file + rename).
 * A crash at any point leaves the previous manifest pointing at the previous complete build. Documents and
 * chunks of files whose bytes did not change are reused from the previous build (no PDF is parsed twice).
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

  const previous = await readPrevious(options.indexDir);
  const embedderId = expectedEmbedderId(options.embedModel);
  if (!options.force && previous && isCurrent(previous.manifest, await scanCorpus(options.corpusDir), chunker, embedderId)) {
    return {
      status: 'up-to-date',
      build: previous.manifest.build,
      documents: previous.manifest.corpus.length,
      reusedDocuments: previous.manifest.corpus.length,
      chunks: previous.manifest.chunks,
      embedder: previous.manifest.embedder,
      skipped: previous.manifest.skipped,
      orphanEntries: [],
      ms: performance.now() - t0,
    };
  }

  // Stored documents are reused only when the same extraction code produced them.
  const reusable = previous?.manifest.extractorVersion === EXTRACTOR_VERSION ? previous.docs : [];
  const prevDocs = new Map(reusable.map((d) => [`${d.raw.path}\u0000${d.raw.sha256}`, d]));
  const { sources, docs, skipped, sourcesSha256, orphanEntries } = await loadCorpus(options.corpusDir, {
    reuse: (p, hash) => prevDocs.get(`${p}\u0000${hash}`)?.raw,
  });
  const analyzer = createAnalyzer();
  const sourceByFile = new Map(sources.map((s) => [s.file, s]));
  const chunks: Chunk[] = [];
  const stored: StoredDoc[] = [];
  let reused = 0;
  const sameChunker =
    previous !== undefined && JSON.stringify(previous.manifest.chunker) === JSON.stringify(chunker);
  docs.forEach((doc, i) => {
    const before = prevDocs.get(`${doc.path}\u0000${doc.sha256}`);
    const clean = before && before.raw.file === doc.file ? before.clean : cleanRaw(doc);
    stored.push({ raw: doc, clean });
    const prevChunks =
      sameChunker && before && before.raw.file === doc.file
        ? previous?.chunks.filter((c) => c.file === doc.file)
        : undefined;
    if (prevChunks && prevChunks.length > 0) {
      chunks.push(...prevChunks);
      reused++;
    } else {
      chunks.push(...chunkDocument(clean, chunker));
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
    const put = async (name: string, data: string | Uint8Array) => {
      await fs.writeFile(path.join(dir, name), data);
      files[name] = sha256(data);
    };
    await put(BUILD_FILES.docs, packDocs(stored, sources));
    // A chunk's text is its slice of the stored cleaned text; storing it twice only slows the load.
    await put(BUILD_FILES.chunks, JSON.stringify(chunks.map(({ text: _text, ...rest }) => rest)));
    await put(BUILD_FILES.bm25, bm25.toBinary());
    if (embedder instanceof CorpusEmbedder) await put(BUILD_FILES.embedder, embedder.toBinary());
    await vectorIndex.writeTo(path.join(dir, BUILD_FILES.vectors));
    files[BUILD_FILES.vectors] = sha256(await fs.readFile(path.join(dir, BUILD_FILES.vectors)));
  });

  const manifest: Manifest = {
    formatVersion: INDEX_FORMAT_VERSION,
    builtAt: new Date().toISOString(),
    build,
    corpus: docs.map((d) => ({ file: d.file, path: d.path, sha256: d.sha256 })),
    skipped,
    sourcesSha256,
    chunker,
    analyzerVersion: ANALYZER_VERSION,
    extractorVersion: EXTRACTOR_VERSION,
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
    skipped,
    orphanEntries,
    ms: performance.now() - t0,
  };
}

/** Cleans an extracted document and attaches its parser headings and pages. */
export function cleanRaw(doc: RawDoc): ReturnType<typeof toCleanDoc> {
  const clean = cleanDocument(doc.file, doc.original);
  return toCleanDoc(doc, clean.text, clean.map);
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

/**
 * The corpus files that changed since the manifest was built: added, removed or edited documents and
 * unreadable files, and "sources.json" when its content changed. Empty = the index is current.
 */
export function corpusChanges(manifest: Manifest, scan: CorpusScan): string[] {
  const known = new Map<string, string>();
  for (const c of manifest.corpus) known.set(c.path, c.sha256);
  for (const s of manifest.skipped) known.set(s.path, s.sha256);
  const changed: string[] = [];
  const seen = new Set<string>();
  for (const f of scan.files) {
    seen.add(f.path);
    if (known.get(f.path) !== f.sha256) changed.push(f.path);
  }
  for (const p of known.keys()) if (!seen.has(p)) changed.push(p);
  if (manifest.sourcesSha256 !== scan.sourcesSha256) changed.push('sources.json');
  return changed;
}

/** True when the manifest was built from exactly these files with these settings. */
export function isCurrent(manifest: Manifest, scan: CorpusScan, chunker: ChunkOptions, embedderId: string): boolean {
  return (
    corpusChanges(manifest, scan).length === 0 &&
    JSON.stringify(manifest.chunker) === JSON.stringify(chunker) &&
    manifest.analyzerVersion === ANALYZER_VERSION &&
    manifest.extractorVersion === EXTRACTOR_VERSION &&
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

async function readPrevious(
  indexDir: string,
): Promise<{ manifest: Manifest; chunks: Chunk[]; docs: StoredDoc[] } | undefined> {
  try {
    const manifest = await readManifest(indexDir);
    const files = await readVerifiedFiles(indexDir, manifest);
    const docs = unpackDocs(files.get(BUILD_FILES.docs) as Buffer, BUILD_FILES.docs).docs;
    const texts = new Map(docs.map((d) => [d.clean.file, d.clean.text]));
    const stored = JSON.parse((files.get(BUILD_FILES.chunks) as Buffer).toString('utf8')) as Omit<Chunk, 'text'>[];
    const chunks = stored.map((c) => ({ ...c, text: (texts.get(c.file) ?? '').slice(c.cleanStart, c.cleanEnd) }));
    return { manifest, chunks, docs };
  } catch {
    // No usable previous build (missing, older format, corrupt): everything is extracted and chunked afresh.
    return undefined;
  }
}
