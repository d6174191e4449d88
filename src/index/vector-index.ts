import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import hnswlib from 'hnswlib-node';
import { AppError } from '../errors.js';

// hnswlib-node is CommonJS; its classes are reached through the default export under ESM.
const { HierarchicalNSW } = hnswlib;
type Hnsw = InstanceType<typeof HierarchicalNSW>;

/** One nearest neighbour: `label` is the position of the vector in the array given to `build`. */
export interface VectorHit {
  label: number;
  /** Cosine similarity in [-1, 1]; higher = more similar. */
  similarity: number;
}

/** Options of {@link VectorIndex.build}. */
export interface VectorIndexOptions {
  /** Graph degree (hnswlib `M`, default 16, clamped to 2–100). */
  M?: number;
  /** Candidate list size while building (default 200). Larger = better graph, slower build. */
  efConstruction?: number;
  /** Candidate list size while searching (default 64; never below k). Larger = better recall, slower. */
  efSearch?: number;
  /** Seed of hnswlib's level generator (default 100); same vectors + same seed = same graph. */
  seed?: number;
  /** Vector length; required only to build an empty index (otherwise taken from the vectors). */
  dimension?: number;
}

/** Options of {@link VectorIndex.readFrom}. */
export interface VectorIndexReadOptions {
  /** Candidate list size while searching (default 64). */
  efSearch?: number;
  /** Expected sha256 (hex) of the file; a different file → AppError('index_corrupt'). */
  sha256?: string;
}

const DEFAULT_EF_SEARCH = 64;
/** Byte size of hnswlib's fixed header (HierarchicalNSW::saveIndex, hnswlib 0.8). */
const HEADER_BYTES = 96;
/** Upper bound on graph levels; a real index of n points has about ln(n)/ln(M) levels. */
const MAX_LEVELS = 64;

/**
 * Approximate cosine kNN over dense vectors — a thin wrapper around hnswlib-node (the only module that
 * imports it). Vectors are labelled by their array position. Immutable once built.
 */
export class VectorIndex {
  readonly #hnsw: Hnsw;
  readonly #dimension: number;
  readonly #size: number;
  readonly #efSearch: number;

  private constructor(hnsw: Hnsw, dimension: number, size: number, efSearch: number) {
    this.#hnsw = hnsw;
    this.#dimension = dimension;
    this.#size = size;
    this.#efSearch = efSearch;
  }

  /**
   * Builds a cosine-space HNSW graph over `vectors` (label = array position). Deterministic: points are
   * inserted in order on one thread with a fixed level seed. Throws AppError('index_mismatch') when vector
   * lengths differ and AppError('internal') for a non-finite component.
   */
  static build(vectors: number[][], options: VectorIndexOptions = {}): VectorIndex {
    const dimension = vectors[0]?.length ?? options.dimension ?? 0;
    if (!Number.isInteger(dimension) || dimension < 1) {
      throw new AppError(
        'internal',
        'VectorIndex.build needs a positive dimension (pass options.dimension for an empty index).',
      );
    }
    vectors.forEach((v, i) => assertVector(v, dimension, `vector ${i}`));
    const hnsw = new HierarchicalNSW('cosine', dimension);
    hnsw.initIndex({
      maxElements: vectors.length,
      m: Math.min(100, Math.max(2, Math.floor(options.M ?? 16))),
      efConstruction: Math.max(1, Math.floor(options.efConstruction ?? 200)),
      randomSeed: Math.max(0, Math.floor(options.seed ?? 100)),
    });
    vectors.forEach((v, i) => hnsw.addPoint(v, i));
    return new VectorIndex(hnsw, dimension, vectors.length, efSearchOf(options.efSearch));
  }

  /** Number of vectors. */
  get size(): number {
    return this.#size;
  }

  /** Vector length. */
  get dimension(): number {
    return this.#dimension;
  }

  /**
   * The `k` most cosine-similar vectors, best first (k is clamped to the index size; an empty index or
   * k ≤ 0 gives []). `filter` keeps only labels for which it returns true. A zero query vector has similarity
   * 0 to everything. Throws AppError('index_mismatch') for a vector of the wrong length.
   */
  search(vector: number[], k: number, filter?: (label: number) => boolean): VectorHit[] {
    assertVector(vector, this.#dimension, 'query vector', 'index_mismatch');
    const n = Math.min(Math.floor(k), this.#size);
    if (!(n > 0)) return [];
    this.#hnsw.setEf(Math.max(this.#efSearch, n));
    const result = filter ? this.#hnsw.searchKnn(vector, n, filter) : this.#hnsw.searchKnn(vector, n);
    return result.neighbors.map((label, i) => ({ label, similarity: 1 - (result.distances[i] ?? 1) }));
  }

  /** The stored vector of `label` (unit length: the cosine space normalizes on insert). */
  vector(label: number): number[] {
    if (!Number.isInteger(label) || label < 0 || label >= this.#size) {
      throw new AppError('not_found', `No vector with label ${label}.`);
    }
    return this.#hnsw.getPoint(label);
  }

  /** Writes hnswlib's binary format to `filePath` (a plain write; the caller does the atomic rename). */
  async writeTo(filePath: string): Promise<void> {
    try {
      await this.#hnsw.writeIndex(filePath);
    } catch (e) {
      throw new AppError('internal', `Cannot write the vector index to ${filePath}: ${errorMessage(e)}`, {
        cause: e,
      });
    }
  }

  /**
   * Reads an index written by {@link writeTo}. The whole file is validated in TypeScript first — header
   * fields against `dimension` and `expectedCount`, every link list's size and neighbour ids, labels and
   * vector values — because hnswlib trusts the file: a wrong dimension loads silently and corrupt link lists
   * crash the process (segfault) at the first search. hnswlib then loads a private copy of exactly the
   * validated bytes, so the file cannot change between check and load. A missing, truncated or garbage
   * file, or the wrong dimension or count → AppError('index_corrupt').
   */
  static async readFrom(
    filePath: string,
    dimension: number,
    expectedCount: number,
    options: VectorIndexReadOptions = {},
  ): Promise<VectorIndex> {
    let bytes: Buffer;
    try {
      bytes = await readFile(filePath);
    } catch (e) {
      throw new AppError('index_corrupt', `Cannot read the vector index ${filePath}: ${errorMessage(e)}`, {
        cause: e,
      });
    }
    if (options.sha256 !== undefined) {
      const actual = createHash('sha256').update(bytes).digest('hex');
      if (actual !== options.sha256.toLowerCase()) {
        throw new AppError('index_corrupt', `Vector index ${filePath} does not match its recorded checksum.`);
      }
    }
    const problem = validateHnswFile(bytes, dimension, expectedCount);
    if (problem !== undefined) {
      throw new AppError('index_corrupt', `Vector index ${filePath} is corrupt: ${problem}.`);
    }

    const copy = await privateCopy(bytes);
    try {
      const hnsw = new HierarchicalNSW('cosine', dimension);
      await hnsw.readIndex(copy?.file ?? filePath);
      if (hnsw.getCurrentCount() !== expectedCount) {
        throw new AppError(
          'index_corrupt',
          `Vector index ${filePath} holds ${hnsw.getCurrentCount()} vectors, expected ${expectedCount}.`,
        );
      }
      return new VectorIndex(hnsw, dimension, expectedCount, efSearchOf(options.efSearch));
    } catch (e) {
      if (e instanceof AppError) throw e;
      throw new AppError('index_corrupt', `Cannot load the vector index ${filePath}: ${errorMessage(e)}`, {
        cause: e,
      });
    } finally {
      await copy?.remove();
    }
  }
}

/**
 * Writes the validated bytes to a fresh private temp file for hnswlib to load. Without a writable temp dir
 * it returns undefined and the caller loads the original path (validated moments earlier; index builds
 * are published by atomic rename, so the file is not rewritten in place).
 */
async function privateCopy(bytes: Buffer): Promise<{ file: string; remove(): Promise<void> } | undefined> {
  let dir: string | undefined;
  try {
    dir = await mkdtemp(path.join(os.tmpdir(), 'rugwijs-vectors-'));
    const file = path.join(dir, 'vectors.hnsw');
    await writeFile(file, bytes);
    const created = dir;
    return { file, remove: () => rm(created, { recursive: true, force: true }) };
  } catch {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    return undefined;
  }
}

function efSearchOf(ef: number | undefined): number {
  return Math.max(1, Math.floor(ef ?? DEFAULT_EF_SEARCH));
}

function assertVector(
  v: number[],
  dimension: number,
  what: string,
  code: 'index_mismatch' | 'internal' = 'index_mismatch',
): void {
  if (!Array.isArray(v) || v.length !== dimension) {
    throw new AppError(
      code,
      `The ${what} has length ${Array.isArray(v) ? v.length : 'n/a'}, expected ${dimension}.`,
    );
  }
  for (const x of v) {
    if (typeof x !== 'number' || !Number.isFinite(x))
      throw new AppError('internal', `The ${what} contains a non-finite value.`);
  }
}

/**
 * Structural check of hnswlib's HierarchicalNSW file (hnswlib 0.8 layout, little-endian, 64-bit size_t):
 *
 *   header (96 bytes): offsetLevel0 u64, maxElements u64, count u64, sizeDataPerElement u64, labelOffset u64,
 *     offsetData u64, maxLevel i32, entryPoint u32, maxM u64, maxM0 u64, M u64, mult f64, efConstruction u64
 *   level 0, count × sizeDataPerElement: link header u32 (low 16 bits = neighbour count, byte 2 = deleted
 *     flag), maxM0 × u32 neighbour ids, dimension × f32 vector, u64 label
 *   per element: u32 byte size of its upper-level link lists (levels × (4 + 4·maxM)), then those lists
 *
 * Returns a description of the first problem, or undefined when the file is safe to hand to hnswlib.
 */
function validateHnswFile(b: Buffer, dimension: number, count: number): string | undefined {
  if (!Number.isInteger(dimension) || dimension < 1) return `invalid expected dimension ${dimension}`;
  if (!Number.isInteger(count) || count < 0) return `invalid expected count ${count}`;
  if (b.length < HEADER_BYTES)
    return `file has ${b.length} bytes, shorter than the ${HEADER_BYTES}-byte header`;

  const u64 = (at: number): number => {
    const v = b.readBigUInt64LE(at);
    return v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.POSITIVE_INFINITY : Number(v);
  };
  const offsetLevel0 = u64(0);
  const maxElements = u64(8);
  const fileCount = u64(16);
  const sizePerElement = u64(24);
  const labelOffset = u64(32);
  const offsetData = u64(40);
  const maxLevel = b.readInt32LE(48);
  const entryPoint = b.readUInt32LE(52);
  const maxM = u64(56);
  const maxM0 = u64(64);
  const m = u64(72);
  const mult = b.readDoubleLE(80);

  if (fileCount !== count) return `holds ${fileCount} vectors, expected ${count}`;
  if (maxElements !== count) return `capacity ${maxElements} differs from the count ${count}`;
  if (offsetLevel0 !== 0) return 'unexpected level-0 offset';
  if (!(m >= 2 && m <= 10_000) || maxM !== m || maxM0 !== 2 * m) return 'invalid graph degree fields';
  if (!(Number.isFinite(mult) && mult > 0)) return 'invalid level multiplier';
  const linksLevel0 = 4 + 4 * maxM0;
  const linksUpper = 4 + 4 * maxM;
  if (
    offsetData !== linksLevel0 ||
    labelOffset !== linksLevel0 + 4 * dimension ||
    sizePerElement !== labelOffset + 8
  ) {
    return `element layout does not match dimension ${dimension}`;
  }
  if (count === 0) {
    if (maxLevel !== -1) return 'empty index with a level';
    return b.length === HEADER_BYTES ? undefined : 'trailing bytes after an empty index';
  }
  if (maxLevel < 0 || maxLevel >= MAX_LEVELS) return `invalid top level ${maxLevel}`;
  if (entryPoint >= count) return 'entry point out of range';

  const level0End = HEADER_BYTES + count * sizePerElement;
  if (b.length < level0End) return 'truncated level-0 data';

  // Upper levels first: neighbours at level L must themselves reach level L.
  const levels = new Int32Array(count);
  const upperAt = new Array<number>(count);
  let at = level0End;
  for (let i = 0; i < count; i++) {
    if (at + 4 > b.length) return 'truncated link lists';
    const size = b.readUInt32LE(at);
    at += 4;
    if (size % linksUpper !== 0) return `element ${i} has a malformed link list size`;
    const level = size / linksUpper;
    if (level > maxLevel) return `element ${i} is above the top level`;
    if (at + size > b.length) return 'truncated link lists';
    levels[i] = level;
    upperAt[i] = at;
    at += size;
  }
  if (at !== b.length) return 'trailing bytes after the link lists';
  if (levels[entryPoint] !== maxLevel) return 'entry point is not on the top level';

  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const base = HEADER_BYTES + i * sizePerElement;
    const problem = checkLinkList(b, base, maxM0, count, levels, 0);
    if (problem) return `element ${i} level 0: ${problem}`;
    for (let d = 0; d < dimension; d++) {
      if (!Number.isFinite(b.readFloatLE(base + offsetData + 4 * d)))
        return `element ${i} has a non-finite value`;
    }
    const label = u64(base + labelOffset);
    if (!(label < count) || labels[label] === 1) return `element ${i} has an invalid or duplicate label`;
    labels[label] = 1;
    for (let level = 1; level <= (levels[i] ?? 0); level++) {
      const p = checkLinkList(b, (upperAt[i] ?? 0) + (level - 1) * linksUpper, maxM, count, levels, level);
      if (p) return `element ${i} level ${level}: ${p}`;
    }
  }
  return undefined;
}

function checkLinkList(
  b: Buffer,
  at: number,
  capacity: number,
  count: number,
  levels: Int32Array,
  level: number,
): string | undefined {
  const header = b.readUInt32LE(at);
  const n = header & 0xffff;
  // Byte 2 is hnswlib's "deleted" flag; this project never deletes, and byte 3 is unused.
  if (header >>> 16 !== 0) return 'deleted or malformed entry';
  if (n > capacity) return 'too many neighbours';
  for (let j = 0; j < n; j++) {
    const id = b.readUInt32LE(at + 4 + 4 * j);
    if (id >= count || (levels[id] ?? -1) < level) return 'neighbour out of range';
  }
  return undefined;
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
