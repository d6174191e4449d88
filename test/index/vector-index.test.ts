import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VectorIndex } from '../../src/index/vector-index.js';
import { mulberry32 } from '../helpers/random.js';

/** Deterministic pseudo-random unit-ish vectors, so failures reproduce. */
function randomVectors(count: number, dimension: number, seed: number): number[][] {
  const random = mulberry32(seed);
  return Array.from({ length: count }, () => Array.from({ length: dimension }, () => random() - 0.5));
}

const cosine = (a: number[], b: number[]): number => {
  let d = 0;
  let na = 0;
  let nb = 0;
  a.forEach((x, i) => {
    d += x * (b[i] ?? 0);
    na += x * x;
    nb += (b[i] ?? 0) ** 2;
  });
  return d / Math.sqrt(na * nb);
};

const DIM = 12;
const COUNT = 60;

describe('VectorIndex', () => {
  const vectors = randomVectors(COUNT, DIM, 1);
  const index = VectorIndex.build(vectors);
  let dir = '';
  let file = '';

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'rugwijs-vector-index-'));
    file = path.join(dir, 'vectors.hnsw');
    await index.writeTo(file);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('returns each stored vector as its own nearest neighbour, similarity 1', () => {
    expect(index.size).toBe(COUNT);
    expect(index.dimension).toBe(DIM);
    vectors.forEach((v, i) => {
      const [first] = index.search(v, 3);
      expect(first?.label).toBe(i);
      expect(first?.similarity).toBeCloseTo(1, 5);
    });
  });

  it('ranks like brute-force cosine similarity (small index, ef ≥ size)', () => {
    const query = randomVectors(1, DIM, 99)[0] ?? [];
    const hits = index.search(query, 10);
    const exact = vectors
      .map((v, label) => ({ label, similarity: cosine(query, v) }))
      .sort((x, y) => y.similarity - x.similarity)
      .slice(0, 10);
    expect(hits.map((h) => h.label)).toEqual(exact.map((h) => h.label));
    hits.forEach((h, i) => expect(h.similarity).toBeCloseTo(exact[i]?.similarity ?? Number.NaN, 5));
  });

  it('clamps k to the size; k ≤ 0 and an empty index give []', () => {
    expect(index.search(vectors[0] ?? [], 1000)).toHaveLength(COUNT);
    expect(index.search(vectors[0] ?? [], 0)).toEqual([]);
    const empty = VectorIndex.build([], { dimension: DIM });
    expect(empty.size).toBe(0);
    expect(empty.search(vectors[0] ?? [], 5)).toEqual([]);
  });

  it('applies a label filter', () => {
    const hits = index.search(vectors[3] ?? [], 5, (label) => label % 2 === 0);
    expect(hits).toHaveLength(5);
    expect(hits.every((h) => h.label % 2 === 0)).toBe(true);
  });

  it('gives a zero query similarity 0 and rejects a query of the wrong length', () => {
    const hits = index.search(new Array<number>(DIM).fill(0), 2);
    expect(hits.every((h) => Math.abs(h.similarity) < 1e-6)).toBe(true);
    expect(() => index.search([1, 2, 3], 2)).toThrow(expect.objectContaining({ code: 'index_mismatch' }));
  });

  it('rejects vectors of unequal length or with NaN at build time', () => {
    expect(() => VectorIndex.build([[1, 0], [1]])).toThrow(
      expect.objectContaining({ code: 'index_mismatch' }),
    );
    expect(() => VectorIndex.build([[1, Number.NaN]])).toThrow(expect.objectContaining({ code: 'internal' }));
  });

  it('builds deterministically: the same vectors give byte-identical files', async () => {
    const other = path.join(dir, 'again.hnsw');
    await VectorIndex.build(vectors).writeTo(other);
    expect(await readFile(other)).toEqual(await readFile(file));
  });

  it('round-trips through writeTo/readFrom with identical search results', async () => {
    const loaded = await VectorIndex.readFrom(file, DIM, COUNT);
    expect(loaded.size).toBe(COUNT);
    expect(loaded.dimension).toBe(DIM);
    for (const q of randomVectors(5, DIM, 7)) expect(loaded.search(q, 8)).toEqual(index.search(q, 8));
    const sha256 = createHash('sha256')
      .update(await readFile(file))
      .digest('hex');
    await expect(VectorIndex.readFrom(file, DIM, COUNT, { sha256 })).resolves.toBeInstanceOf(VectorIndex);
  });

  it('round-trips an empty index', async () => {
    const emptyFile = path.join(dir, 'empty.hnsw');
    await VectorIndex.build([], { dimension: DIM }).writeTo(emptyFile);
    const loaded = await VectorIndex.readFrom(emptyFile, DIM, 0);
    expect(loaded.search(vectors[0] ?? [], 3)).toEqual([]);
  });

  describe('rejects unusable files with index_corrupt (never a crash)', () => {
    const write = async (name: string, bytes: Uint8Array) => {
      const p = path.join(dir, name);
      await writeFile(p, bytes);
      return p;
    };

    it('missing file', async () => {
      await expect(VectorIndex.readFrom(path.join(dir, 'nope.hnsw'), DIM, COUNT)).rejects.toMatchObject({
        code: 'index_corrupt',
      });
    });

    it('truncated file (header, level 0, link lists)', async () => {
      const good = await readFile(file);
      for (const length of [0, 40, 96, 500, good.length - 1]) {
        const p = await write(`trunc-${length}.hnsw`, good.subarray(0, length));
        await expect(VectorIndex.readFrom(p, DIM, COUNT)).rejects.toMatchObject({ code: 'index_corrupt' });
      }
    });

    it('garbage file', async () => {
      const good = await readFile(file);
      const garbage = Buffer.alloc(good.length);
      for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 2654435761) >>> 24;
      const p = await write('garbage.hnsw', garbage);
      await expect(VectorIndex.readFrom(p, DIM, COUNT)).rejects.toMatchObject({ code: 'index_corrupt' });
      const text = await write('text.hnsw', Buffer.from('{"not": "an index"}'));
      await expect(VectorIndex.readFrom(text, DIM, COUNT)).rejects.toMatchObject({ code: 'index_corrupt' });
    });

    it('wrong dimension (hnswlib itself would load it silently)', async () => {
      await expect(VectorIndex.readFrom(file, DIM + 4, COUNT)).rejects.toMatchObject({
        code: 'index_corrupt',
      });
      await expect(VectorIndex.readFrom(file, DIM - 1, COUNT)).rejects.toMatchObject({
        code: 'index_corrupt',
      });
    });

    it('wrong count', async () => {
      await expect(VectorIndex.readFrom(file, DIM, COUNT + 1)).rejects.toMatchObject({
        code: 'index_corrupt',
      });
      await expect(VectorIndex.readFrom(file, DIM, COUNT - 1)).rejects.toMatchObject({
        code: 'index_corrupt',
      });
    });

    it('checksum mismatch', async () => {
      await expect(VectorIndex.readFrom(file, DIM, COUNT, { sha256: '0'.repeat(64) })).rejects.toMatchObject({
        code: 'index_corrupt',
      });
    });

    it('out-of-range neighbour ids (hnswlib loads these and segfaults on search)', async () => {
      const bad = Buffer.from(await readFile(file));
      // First neighbour slot of element 0's level-0 list: header (96) + link count (4).
      bad.writeUInt32LE(99_999, 96 + 4);
      const p = await write('bad-links.hnsw', bad);
      await expect(VectorIndex.readFrom(p, DIM, COUNT)).rejects.toMatchObject({ code: 'index_corrupt' });
    });

    it('random byte corruption either loads a working index or rejects (property)', async () => {
      const good = await readFile(file);
      await fc.assert(
        fc.asyncProperty(
          fc.nat({ max: good.length - 1 }),
          fc.integer({ min: 1, max: 255 }),
          async (at, xor) => {
            const bad = Buffer.from(good);
            bad[at] = (bad[at] ?? 0) ^ xor;
            const p = await write('fuzz.hnsw', bad);
            try {
              const loaded = await VectorIndex.readFrom(p, DIM, COUNT);
              // Loaded despite the flip (e.g. a changed vector value): searching must still work.
              expect(loaded.search(vectors[0] ?? [], 5)).toHaveLength(5);
            } catch (e) {
              expect(e).toMatchObject({ code: 'index_corrupt' });
            }
          },
        ),
        { numRuns: 150 },
      );
    });
  });
});
