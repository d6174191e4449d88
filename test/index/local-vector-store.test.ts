import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Document } from '@langchain/core/documents';
import { VectorStore } from '@langchain/core/vectorstores';
import { describe, expect, it } from 'vitest';
import { CorpusEmbedder } from '../../src/index/corpus-embedder.js';
import { LocalVectorStore } from '../../src/index/local-vector-store.js';
import { VectorIndex } from '../../src/index/vector-index.js';

const tokenize = (text: string): string[] =>
  text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t.length > 0);

const TEXTS = [
  'Lage rugpijn gaat meestal vanzelf over; blijf zoveel mogelijk bewegen.',
  'Oefentherapie en bewegen verminderen de kans dat de rugpijn terugkomt.',
  'Een hernia kan uitstralende pijn in het been geven, ook wel ischias genoemd.',
  'Het weer wordt morgen zonnig en warm met een zwakke wind uit het oosten.',
  'Kook de aardappelen gaar en prak ze met melk, boter en een snuf zout.',
  'De gemeente legt een nieuw fietspad aan langs het kanaal naar het station.',
];
const METADATA = TEXTS.map((_, i) => ({ chunkId: `doc#${i}`, kind: i < 3 ? 'medisch' : 'overig' }));

describe('LocalVectorStore', () => {
  const embedder = CorpusEmbedder.train(TEXTS, tokenize);

  it('is a LangChain VectorStore whose text search finds the on-topic document first', async () => {
    const store = await LocalVectorStore.fromTexts(TEXTS, METADATA, embedder);
    expect(store).toBeInstanceOf(VectorStore);
    expect(store._vectorstoreType()).toBe('rugwijs-local-hnsw');
    const results = await store.similaritySearchWithScore('pijn die uitstraalt naar het been', 3);
    expect(results[0]?.[0].metadata.chunkId).toBe('doc#2');
    const scores = results.map(([, s]) => s);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(scores[0]).toBeLessThanOrEqual(1 + 1e-6);
  });

  it('returns cosine similarities and honours a document filter', async () => {
    const store = await LocalVectorStore.fromTexts(TEXTS, METADATA, embedder);
    const query = await embedder.embedQuery(TEXTS[3] ?? '');
    const [top] = await store.similaritySearchVectorWithScore(query, 1);
    expect(top?.[0].pageContent).toBe(TEXTS[3]);
    expect(top?.[1]).toBeCloseTo(1, 5);

    const medical = await store.similaritySearchVectorWithScore(
      query,
      10,
      (doc) => doc.metadata.kind === 'medisch',
    );
    expect(medical).toHaveLength(3);
    expect(medical.every(([doc]) => doc.metadata.kind === 'medisch')).toBe(true);
  });

  it('works as a retriever', async () => {
    const store = await LocalVectorStore.fromTexts(TEXTS, METADATA, embedder);
    const docs = await store.asRetriever(2).invoke('fietsen naar het station');
    expect(docs).toHaveLength(2);
    expect(docs[0]?.metadata.chunkId).toBe('doc#5');
  });

  it('assigns ids and picks up documents added later', async () => {
    const store = new LocalVectorStore(embedder);
    expect(await store.similaritySearchVectorWithScore(await embedder.embedQuery('rugpijn'), 3)).toEqual([]);
    const first = await store.addDocuments([new Document({ pageContent: TEXTS[3] ?? '' })], {
      ids: ['weer'],
    });
    expect(first).toEqual(['weer']);
    const more = await store.addDocuments([
      new Document({ pageContent: TEXTS[0] ?? '', id: 'rug' }),
      new Document({ pageContent: TEXTS[4] ?? '' }),
    ]);
    expect(more).toEqual(['rug', '2']);
    expect(store.size).toBe(3);
    const [hit] = await store.similaritySearch('rugpijn en bewegen', 1);
    expect(hit?.id).toBe('rug');
  });

  it('rejects mismatched vectors and documents with index_mismatch', async () => {
    const store = new LocalVectorStore(embedder);
    await expect(store.addVectors([[1, 0]], [])).rejects.toMatchObject({ code: 'index_mismatch' });
    await store.addVectors([[1, 0]], [new Document({ pageContent: 'a' })]);
    await expect(store.addVectors([[1, 0, 0]], [new Document({ pageContent: 'b' })])).rejects.toMatchObject({
      code: 'index_mismatch',
    });
  });

  it('wraps an index read from disk and searches like the store that wrote it', async () => {
    const store = await LocalVectorStore.fromTexts(TEXTS, METADATA, embedder);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'rugwijs-store-'));
    try {
      const file = path.join(dir, 'vectors.hnsw');
      await store.index?.writeTo(file);
      const index = await VectorIndex.readFrom(file, embedder.dimension, TEXTS.length);
      const docs = TEXTS.map((pageContent, i) => new Document({ pageContent, metadata: METADATA[i] ?? {} }));
      const loaded = LocalVectorStore.fromIndex(embedder, index, docs);
      const q = 'aardappelen met boter';
      const a = await store.similaritySearchWithScore(q, 3);
      const b = await loaded.similaritySearchWithScore(q, 3);
      expect(b.map(([d, s]) => [d.pageContent, s])).toEqual(a.map(([d, s]) => [d.pageContent, s]));
      expect(() => LocalVectorStore.fromIndex(embedder, index, docs.slice(1))).toThrow(
        expect.objectContaining({ code: 'index_mismatch' }),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
