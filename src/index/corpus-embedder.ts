import { Embeddings } from '@langchain/core/embeddings';
import { z } from 'zod';
import { AppError } from '../errors.js';
import type { TextEmbedder } from './embedder.js';
import { packBinary, unpackBinary } from './binary-pack.js';

/** Options of {@link CorpusEmbedder.train}. */
export interface CorpusEmbedderOptions {
  /** Requested vector length (default 128); capped by the numerical rank of the training matrix. */
  dimension?: number;
  /** Character n-gram lengths taken inside `<word>` boundaries (default [3, 4]); [] = word features only. */
  charNgrams?: number[];
  /**
   * Minimum number of training texts a feature must occur in to be kept (default 1: in a corpus of a few
   * hundred chunks a word found in one chunk still folds a query towards that chunk).
   */
  minDf?: number;
  /** Vocabulary cap across words and n-grams, highest document frequency first (default 50 000). */
  maxFeatures?: number;
  /** Share (0–1) of each text's squared norm given to the n-gram block, the rest to words (default 0.5). */
  charWeight?: number;
  /** Power iterations of the randomized SVD (default 4). */
  powerIterations?: number;
  /** PRNG seed of the randomized SVD (default 0x5eed). */
  seed?: number;
}

/** Identifier written to manifests; bump when the feature extraction or the file format changes. */
export const CORPUS_EMBEDDER_ID = 'corpus-lsa-v1';

const FORMAT = 'rugwijs-corpus-lsa';
const FORMAT_VERSION = 1;
/** Extra columns of the random test matrix beyond the target rank (Halko et al. recommend 5–10). */
const OVERSAMPLE = 10;
/** Singular values below this fraction of the largest are numerical noise and are dropped. */
const RANK_TOLERANCE = 1e-6;

/** A vocabulary of one feature block (words or character n-grams). */
interface Block {
  index: ReadonlyMap<string, number>;
  idf: Float64Array;
  /** Offset of this block's first feature in the projection's rows. */
  offset: number;
  /** Square root of the block's share of a text's squared norm. */
  scale: number;
}

/**
 * Offline default embedder: latent semantic analysis (LSA) trained on the corpus itself.
 *
 * Why LSA: no Dutch-capable pretrained encoder can be had offline here (see docs), and a ~200-chunk corpus
 * is far too small to train a neural encoder, but it is exactly the size where a truncated SVD of a TF-IDF
 * matrix is cheap, deterministic and explainable. Words that co-occur across chunks (rugpijn / lage rug /
 * klachten) share latent dimensions, so a query can match a passage that uses related words rather than the
 * same ones — the complement of BM25. Two feature blocks feed the SVD: sublinear TF-IDF over the caller's
 * (stemmed, stopword-free) word tokens, and sublinear TF-IDF over character 3/4-grams of those same tokens
 * inside word boundaries, so OCR variants ("rugpljn"), spelling variants and compounds ("rugpijn" /
 * "rugpijnklachten" / "rug-pijn") land near each other. The vocabulary is exact strings (no hashing, so no
 * collisions), limited by `minDf` / `maxFeatures`. Each block is L2-normalized and weighted so neither
 * dominates, which also caps every row at unit length so long chunks do not dominate the decomposition. At
 * corpus scale (~200 chunks, ~11k features) the dense features × k projection is ~6 MB and training takes
 * about a second.
 *
 * The SVD is randomized subspace iteration (Halko, Martinsson & Tropp 2011) in plain TypeScript: a
 * Gaussian test matrix from a fixed-seed PRNG, a few power iterations with two-pass modified Gram-Schmidt,
 * then an exact Jacobi eigendecomposition of the small projected Gram matrix. All arithmetic is Float64 and
 * sequential, so training twice gives bit-identical vectors. The projection (features × k) is rounded to
 * Float32 right after training, so a reloaded embedder returns exactly the vectors of the trained one.
 * Documents and queries use the same map: vector = normalize(features · projection) (query fold-in).
 */
export class CorpusEmbedder extends Embeddings implements TextEmbedder {
  readonly id = CORPUS_EMBEDDER_ID;
  readonly dimension: number;
  readonly #tokenize: (text: string) => string[];
  readonly #charNgrams: readonly number[];
  readonly #charWeight: number;
  readonly #words: Block;
  readonly #ngrams: Block;
  /** Row-major (words then n-grams) × dimension. */
  readonly #projection: Float32Array;

  private constructor(fields: {
    tokenize: (text: string) => string[];
    charNgrams: readonly number[];
    charWeight: number;
    words: { terms: readonly string[]; idf: Float64Array };
    ngrams: { terms: readonly string[]; idf: Float64Array };
    dimension: number;
    projection: Float32Array;
  }) {
    super({});
    this.#tokenize = fields.tokenize;
    this.#charNgrams = fields.charNgrams;
    this.#charWeight = fields.charWeight;
    this.dimension = fields.dimension;
    this.#words = makeBlock(fields.words.terms, fields.words.idf, 0, Math.sqrt(1 - fields.charWeight));
    this.#ngrams = makeBlock(
      fields.ngrams.terms,
      fields.ngrams.idf,
      fields.words.terms.length,
      Math.sqrt(fields.charWeight),
    );
    this.#projection = fields.projection;
  }

  /**
   * Trains the embedder on `texts` (the chunks to be indexed). `tokenize` gives the word tokens (pass the
   * stemming analyzer; it is used again for every query). Deterministic: the same inputs give identical
   * vectors. Takes about a second for ~200 chunks (~11k features).
   */
  static train(
    texts: string[],
    tokenize: (text: string) => string[],
    options: CorpusEmbedderOptions = {},
  ): CorpusEmbedder {
    const charNgrams = normalizeNgramSizes(options.charNgrams ?? [3, 4]);
    const charWeight = charNgrams.length === 0 ? 0 : clamp(options.charWeight ?? 0.5, 0, 1);
    const minDf = Math.max(1, Math.floor(options.minDf ?? 1));
    const maxFeatures = Math.max(1, Math.floor(options.maxFeatures ?? 50_000));
    const requested = Math.max(1, Math.floor(options.dimension ?? 128));

    // Term counts per text, per block.
    const tokens = texts.map((t) => wordTokens(tokenize, t));
    const wordCounts = tokens.map((t) => countTerms(t));
    const ngramCounts = tokens.map((t) => countTerms(charNgramsOf(t, charNgrams)));

    // Vocabulary: df ≥ minDf, capped by df (ties alphabetical), then sorted so feature ids are canonical.
    const candidates: { block: 0 | 1; term: string; df: number }[] = [];
    for (const [block, counts] of [wordCounts, ngramCounts].entries()) {
      const df = new Map<string, number>();
      for (const c of counts) for (const term of c.keys()) df.set(term, (df.get(term) ?? 0) + 1);
      for (const [term, n] of df) if (n >= minDf) candidates.push({ block: block as 0 | 1, term, df: n });
    }
    candidates.sort((a, b) => b.df - a.df || a.block - b.block || compareStrings(a.term, b.term));
    const kept = candidates.slice(0, maxFeatures);
    const pick = (block: 0 | 1) => {
      const list = kept.filter((c) => c.block === block).sort((a, b) => compareStrings(a.term, b.term));
      const n = texts.length;
      return {
        terms: list.map((c) => c.term),
        idf: Float64Array.from(list, (c) => Math.log((1 + n) / (1 + c.df)) + 1),
      };
    };
    const words = pick(0);
    const ngrams = pick(1);
    const featureCount = words.terms.length + ngrams.terms.length;

    // Sparse training matrix, one unit-length row per text.
    const wordBlock = makeBlock(words.terms, words.idf, 0, Math.sqrt(1 - charWeight));
    const ngramBlock = makeBlock(ngrams.terms, ngrams.idf, words.terms.length, Math.sqrt(charWeight));
    const rows = texts.map((_, i) =>
      rowVector(wordCounts[i] ?? new Map(), ngramCounts[i] ?? new Map(), wordBlock, ngramBlock),
    );
    const matrix = toCsr(rows, featureCount);

    const { dimension, projection } = truncatedSvdProjection(
      matrix,
      requested,
      options.powerIterations ?? 4,
      options.seed ?? 0x5eed,
    );
    return new CorpusEmbedder({ tokenize, charNgrams, charWeight, words, ngrams, dimension, projection });
  }

  /**
   * Plain JSON: feature vocabularies, their idf weights and the projection matrix (features × dimension,
   * little-endian Float32, base64 — about a third the size of JSON numbers).
   */
  toJSON(): CorpusEmbedderJson {
    const bytes = new Uint8Array(this.#projection.length * 4);
    const view = new DataView(bytes.buffer);
    this.#projection.forEach((v, i) => view.setFloat32(i * 4, v, true));
    return {
      format: FORMAT,
      version: FORMAT_VERSION,
      id: this.id,
      dimension: this.dimension,
      charNgrams: [...this.#charNgrams],
      charWeight: this.#charWeight,
      words: [...this.#words.index.keys()],
      wordIdf: [...this.#words.idf],
      ngrams: [...this.#ngrams.index.keys()],
      ngramIdf: [...this.#ngrams.idf],
      projection: Buffer.from(bytes).toString('base64'),
    };
  }

  /**
   * Binary form (src/index/binary-pack.ts): vocabularies and settings in the header, idf weights as Float64
   * and the projection as Float32 arrays — read as views instead of parsing numbers and base64.
   */
  toBinary(): Buffer {
    return packBinary(
      {
        format: FORMAT,
        version: FORMAT_VERSION,
        id: this.id,
        dimension: this.dimension,
        charNgrams: [...this.#charNgrams],
        charWeight: this.#charWeight,
        words: [...this.#words.index.keys()],
        ngrams: [...this.#ngrams.index.keys()],
      },
      [this.#words.idf, this.#ngrams.idf, this.#projection],
    );
  }

  /**
   * Restores an embedder saved with {@link toBinary}, with the checks of {@link fromJSON}.
   * @throws AppError('index_corrupt')
   */
  static fromBinary(bytes: Uint8Array, tokenize: (text: string) => string[]): CorpusEmbedder {
    const corrupt = (why: string) =>
      new AppError('index_corrupt', `Corpus embedder file is invalid: ${why}; run "npm run ingest".`);
    const { header, arrays } = unpackBinary(bytes, 'embedder.bin');
    const head = CorpusEmbedderJsonSchema.omit({ wordIdf: true, ngramIdf: true, projection: true }).safeParse(header);
    if (!head.success) throw corrupt(head.error.issues[0]?.message ?? 'bad header');
    const data = head.data;
    const [wordIdf, ngramIdf, projection] = arrays;
    if (!(wordIdf instanceof Float64Array) || !(ngramIdf instanceof Float64Array) || !(projection instanceof Float32Array))
      throw corrupt('unexpected array types');
    if (wordIdf.length !== data.words.length || ngramIdf.length !== data.ngrams.length) throw corrupt('idf and vocabulary lengths differ');
    if (new Set(data.words).size !== data.words.length || new Set(data.ngrams).size !== data.ngrams.length) throw corrupt('duplicate features');
    for (const idf of [wordIdf, ngramIdf]) for (const v of idf) if (!(Number.isFinite(v) && v > 0)) throw corrupt('idf must be finite and positive');
    const expected = (data.words.length + data.ngrams.length) * data.dimension;
    if (projection.length !== expected) throw corrupt(`projection has ${projection.length} values, expected ${expected}`);
    for (const v of projection) if (!Number.isFinite(v)) throw corrupt('projection contains a non-finite number');
    return new CorpusEmbedder({
      tokenize,
      charNgrams: normalizeNgramSizes(data.charNgrams),
      charWeight: data.charNgrams.length === 0 ? 0 : data.charWeight,
      words: { terms: data.words, idf: wordIdf },
      ngrams: { terms: data.ngrams, idf: ngramIdf },
      dimension: data.dimension,
      projection,
    });
  }

  /**
   * Restores an embedder saved with {@link toJSON}; `tokenize` must be the tokenizer it was trained with.
   * Anything malformed (wrong shape, duplicate features, non-finite numbers, truncated projection) throws
   * AppError('index_corrupt').
   */
  static fromJSON(json: unknown, tokenize: (text: string) => string[]): CorpusEmbedder {
    const parsed = CorpusEmbedderJsonSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new AppError(
        'index_corrupt',
        `Corpus embedder file is invalid at ${issue?.path.join('.') || 'root'}: ${issue?.message ?? 'invalid'}; run "npm run ingest".`,
      );
    }
    const data = parsed.data;
    const corrupt = (why: string) =>
      new AppError('index_corrupt', `Corpus embedder file is invalid: ${why}; run "npm run ingest".`);
    if (data.wordIdf.length !== data.words.length || data.ngramIdf.length !== data.ngrams.length) {
      throw corrupt('idf and vocabulary lengths differ');
    }
    if (new Set(data.words).size !== data.words.length || new Set(data.ngrams).size !== data.ngrams.length) {
      throw corrupt('duplicate features');
    }
    const bytes = Buffer.from(data.projection, 'base64');
    const expected = (data.words.length + data.ngrams.length) * data.dimension;
    if (bytes.length !== expected * 4)
      throw corrupt(`projection has ${bytes.length} bytes, expected ${expected * 4}`);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const projection = new Float32Array(expected);
    for (let i = 0; i < expected; i++) {
      const v = view.getFloat32(i * 4, true);
      if (!Number.isFinite(v)) throw corrupt('projection contains a non-finite number');
      projection[i] = v;
    }
    return new CorpusEmbedder({
      tokenize,
      charNgrams: normalizeNgramSizes(data.charNgrams),
      charWeight: data.charNgrams.length === 0 ? 0 : data.charWeight,
      words: { terms: data.words, idf: Float64Array.from(data.wordIdf) },
      ngrams: { terms: data.ngrams, idf: Float64Array.from(data.ngramIdf) },
      dimension: data.dimension,
      projection,
    });
  }

  /**
   * Synchronous query fold-in (the retrieval hot path; a few µs per word). Unknown words give the zero
   * vector — finite, never NaN; its cosine similarity to every document is 0.
   */
  embedQuerySync(text: string): number[] {
    const tokens = wordTokens(this.#tokenize, text);
    const row = rowVector(
      countTerms(tokens),
      countTerms(charNgramsOf(tokens, this.#charNgrams)),
      this.#words,
      this.#ngrams,
    );
    return project(row, this.#projection, this.dimension);
  }

  async embedQuery(text: string): Promise<number[]> {
    return this.embedQuerySync(text);
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    return texts.map((t) => this.embedQuerySync(t));
  }
}

const finite = z.number().refine(Number.isFinite, 'must be finite');

const CorpusEmbedderJsonSchema = z.object({
  format: z.literal(FORMAT),
  version: z.literal(FORMAT_VERSION),
  id: z.literal(CORPUS_EMBEDDER_ID),
  dimension: z.number().int().min(1).max(4096),
  charNgrams: z.array(z.number().int().min(1).max(8)).max(8),
  charWeight: finite.min(0).max(1),
  words: z.array(z.string()),
  wordIdf: z.array(finite.positive()),
  ngrams: z.array(z.string()),
  ngramIdf: z.array(finite.positive()),
  projection: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64'),
});

/** The JSON form written by {@link CorpusEmbedder.toJSON}. */
export type CorpusEmbedderJson = z.infer<typeof CorpusEmbedderJsonSchema>;

// ---------------------------------------------------------------------------------------------------------
// Features

function makeBlock(terms: readonly string[], idf: Float64Array, offset: number, scale: number): Block {
  return { index: new Map(terms.map((t, i) => [t, i])), idf, offset, scale };
}

/** The caller's tokens without empty strings (an empty token is no word). */
function wordTokens(tokenize: (text: string) => string[], text: string): string[] {
  return tokenize(text).filter((t) => t.length > 0);
}

function countTerms(terms: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const t of terms) counts.set(t, (counts.get(t) ?? 0) + 1);
  return counts;
}

function normalizeNgramSizes(sizes: readonly number[]): number[] {
  return [...new Set(sizes.map((n) => Math.floor(n)).filter((n) => n >= 1 && n <= 8))].sort((a, b) => a - b);
}

/**
 * Character n-grams of every word token, with `<` and `>` marking the word boundaries (as in fastText), so
 * "rugpijn" and "rug pijn" share "<ru", "rug", "<pi", "pij", "ijn", "jn>". They are taken from the caller's
 * tokens (not the raw text) so its stopword removal applies to them too. Case and diacritics are folded
 * (patiënt = patient), and tokens are split at anything that is not a letter or digit.
 */
function* charNgramsOf(tokens: readonly string[], sizes: readonly number[]): Generator<string> {
  if (sizes.length === 0) return;
  const folded = tokens
    .join(' ')
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
  for (const word of folded.split(/[^\p{L}\p{N}]+/u)) {
    // Single characters carry no n-gram information beyond the word features.
    if (word.length < 2) continue;
    const padded = `<${word}>`;
    for (const n of sizes) {
      for (let i = 0; i + n <= padded.length; i++) yield padded.slice(i, i + n);
    }
  }
}

/** Sparse feature vector of one text: (ids, values), each block sublinear-TF-IDF, L2-normalized and scaled. */
interface SparseRow {
  ids: number[];
  values: number[];
}

function rowVector(
  words: Map<string, number>,
  ngrams: Map<string, number>,
  wordBlock: Block,
  ngramBlock: Block,
): SparseRow {
  const row: SparseRow = { ids: [], values: [] };
  for (const [counts, block] of [
    [words, wordBlock],
    [ngrams, ngramBlock],
  ] as const) {
    const start = row.ids.length;
    let norm = 0;
    for (const [term, count] of counts) {
      const id = block.index.get(term);
      if (id === undefined) continue;
      // Sublinear tf: the tenth mention of a word says much less than the first.
      const w = (1 + Math.log(count)) * (block.idf[id] ?? 0);
      row.ids.push(block.offset + id);
      row.values.push(w);
      norm += w * w;
    }
    if (norm > 0) {
      const f = block.scale / Math.sqrt(norm);
      for (let i = start; i < row.values.length; i++) row.values[i] = (row.values[i] ?? 0) * f;
    }
  }
  return row;
}

/** normalize(row · projection); the zero vector when the row has no known feature. */
function project(row: SparseRow, projection: Float32Array, dimension: number): number[] {
  const out = new Float64Array(dimension);
  for (let i = 0; i < row.ids.length; i++) {
    const base = (row.ids[i] ?? 0) * dimension;
    const v = row.values[i] ?? 0;
    for (let j = 0; j < dimension; j++) out[j] = (out[j] ?? 0) + v * (projection[base + j] ?? 0);
  }
  let norm = 0;
  for (let j = 0; j < dimension; j++) norm += (out[j] ?? 0) ** 2;
  const result = new Array<number>(dimension);
  const scale = norm > 1e-30 ? 1 / Math.sqrt(norm) : 0;
  for (let j = 0; j < dimension; j++) result[j] = (out[j] ?? 0) * scale;
  return result;
}

// ---------------------------------------------------------------------------------------------------------
// Truncated SVD (randomized subspace iteration)

/** Compressed sparse rows: row i holds cols[ptr[i]..ptr[i+1]). */
interface Csr {
  rows: number;
  cols: number;
  ptr: Int32Array;
  idx: Int32Array;
  val: Float64Array;
}

function toCsr(rows: SparseRow[], cols: number): Csr {
  const nnz = rows.reduce((n, r) => n + r.ids.length, 0);
  const ptr = new Int32Array(rows.length + 1);
  const idx = new Int32Array(nnz);
  const val = new Float64Array(nnz);
  let at = 0;
  rows.forEach((r, i) => {
    ptr[i] = at;
    for (let j = 0; j < r.ids.length; j++) {
      idx[at] = r.ids[j] ?? 0;
      val[at] = r.values[j] ?? 0;
      at++;
    }
  });
  ptr[rows.length] = at;
  return { rows: rows.length, cols, ptr, idx, val };
}

/** X (rows×cols, sparse) · D (cols×l, row-major) → rows×l row-major. */
function mulSparseDense(x: Csr, d: Float64Array, l: number): Float64Array {
  const out = new Float64Array(x.rows * l);
  for (let i = 0; i < x.rows; i++) {
    const o = i * l;
    for (let p = x.ptr[i] ?? 0; p < (x.ptr[i + 1] ?? 0); p++) {
      const v = x.val[p] ?? 0;
      const b = (x.idx[p] ?? 0) * l;
      for (let j = 0; j < l; j++) out[o + j] = (out[o + j] ?? 0) + v * (d[b + j] ?? 0);
    }
  }
  return out;
}

/** Xᵀ (cols×rows) · Q (rows×l, row-major) → cols×l row-major. */
function mulSparseTransposeDense(x: Csr, q: Float64Array, l: number): Float64Array {
  const out = new Float64Array(x.cols * l);
  for (let i = 0; i < x.rows; i++) {
    const s = i * l;
    for (let p = x.ptr[i] ?? 0; p < (x.ptr[i + 1] ?? 0); p++) {
      const v = x.val[p] ?? 0;
      const o = (x.idx[p] ?? 0) * l;
      for (let j = 0; j < l; j++) out[o + j] = (out[o + j] ?? 0) + v * (q[s + j] ?? 0);
    }
  }
  return out;
}

/**
 * Orthonormalizes the columns of a rows×l row-major matrix in place with modified Gram-Schmidt, run twice
 * ("twice is enough") for orthogonality to machine precision. Columns that vanish (rank deficiency) become 0.
 */
function orthonormalizeColumns(m: Float64Array, rows: number, l: number): void {
  const original = new Float64Array(l);
  for (let j = 0; j < l; j++) original[j] = columnNorm(m, rows, l, j);
  for (let pass = 0; pass < 2; pass++) {
    for (let j = 0; j < l; j++) {
      for (let k = 0; k < j; k++) {
        let dot = 0;
        for (let i = 0; i < rows; i++) dot += (m[i * l + k] ?? 0) * (m[i * l + j] ?? 0);
        if (dot !== 0)
          for (let i = 0; i < rows; i++) m[i * l + j] = (m[i * l + j] ?? 0) - dot * (m[i * l + k] ?? 0);
      }
      const norm = columnNorm(m, rows, l, j);
      // A column reduced to rounding noise carries no new direction; zero it rather than amplify noise.
      const f = norm > 1e-10 * Math.max(original[j] ?? 0, 1e-300) ? 1 / norm : 0;
      for (let i = 0; i < rows; i++) m[i * l + j] = (m[i * l + j] ?? 0) * f;
    }
  }
}

function columnNorm(m: Float64Array, rows: number, l: number, j: number): number {
  let s = 0;
  for (let i = 0; i < rows; i++) s += (m[i * l + j] ?? 0) ** 2;
  return Math.sqrt(s);
}

/**
 * Right singular vectors of X for the top min(requested, rank) singular values, as a features × k Float32
 * matrix (row-major). Returns dimension 1 with a zero projection when X has no non-zero entry.
 */
function truncatedSvdProjection(
  x: Csr,
  requested: number,
  powerIterations: number,
  seed: number,
): { dimension: number; projection: Float32Array } {
  const maxRank = Math.min(x.rows, x.cols);
  const target = Math.min(requested, maxRank);
  const l = Math.min(maxRank, target + OVERSAMPLE);
  if (l === 0) return { dimension: 1, projection: new Float32Array(x.cols) };

  const gaussian = gaussianSource(seed);
  const omega = new Float64Array(x.cols * l);
  for (let i = 0; i < omega.length; i++) omega[i] = gaussian();

  let q = mulSparseDense(x, omega, l);
  orthonormalizeColumns(q, x.rows, l);
  for (let it = 0; it < Math.max(0, Math.floor(powerIterations)); it++) {
    // One (X Xᵀ) step per orthonormalization: squares the singular-value ratios at most once, so no
    // direction drowns in Float64 rounding.
    q = mulSparseDense(x, mulSparseTransposeDense(x, q, l), l);
    orthonormalizeColumns(q, x.rows, l);
  }

  // B = Qᵀ X (l×features); Bᵀ = Xᵀ Q = C. B Bᵀ = Qᵀ X C is small (l×l): its eigenpairs give B = W Σ Vᵀ.
  const c = mulSparseTransposeDense(x, q, l);
  const xc = mulSparseDense(x, c, l);
  const gram = new Float64Array(l * l);
  for (let a = 0; a < l; a++) {
    for (let b = a; b < l; b++) {
      let s = 0;
      for (let i = 0; i < x.rows; i++) s += (q[i * l + a] ?? 0) * (xc[i * l + b] ?? 0);
      gram[a * l + b] = s;
      gram[b * l + a] = s;
    }
  }
  const { values, vectors } = symmetricEigen(gram, l);
  const order = [...values.keys()].sort((a, b) => (values[b] ?? 0) - (values[a] ?? 0) || a - b);
  const top = Math.sqrt(Math.max(values[order[0] ?? 0] ?? 0, 0));
  const keep = order
    .slice(0, target)
    .filter((i) => Math.sqrt(Math.max(values[i] ?? 0, 0)) > RANK_TOLERANCE * top && top > 0);
  if (keep.length === 0) return { dimension: 1, projection: new Float32Array(x.cols) };

  // V = C W Σ⁻¹ (features × k).
  const k = keep.length;
  const v = new Float64Array(x.cols * k);
  keep.forEach((e, col) => {
    const sigma = Math.sqrt(values[e] ?? 0);
    // Contiguous copy of eigenvector e so the inner loop walks both operands sequentially.
    const w = Float64Array.from({ length: l }, (_, a) => vectors[a * l + e] ?? 0);
    for (let f = 0; f < x.cols; f++) {
      let s = 0;
      const base = f * l;
      for (let a = 0; a < l; a++) s += (c[base + a] ?? 0) * (w[a] ?? 0);
      v[f * k + col] = s / sigma;
    }
    // Canonical sign: the largest-magnitude entry of each singular vector is positive.
    let best = 0;
    for (let f = 0; f < x.cols; f++)
      if (Math.abs(v[f * k + col] ?? 0) > Math.abs(v[best * k + col] ?? 0)) best = f;
    if ((v[best * k + col] ?? 0) < 0)
      for (let f = 0; f < x.cols; f++) v[f * k + col] = -(v[f * k + col] ?? 0);
  });
  return { dimension: k, projection: Float32Array.from(v) };
}

/**
 * Eigen-decomposition of a symmetric n×n matrix (row-major) by cyclic Jacobi rotations: slow for large n but
 * exact, simple and deterministic — here n ≤ 138. Returns eigenvalues and eigenvectors as columns.
 */
function symmetricEigen(input: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(input);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    let total = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const x = (a[i * n + j] ?? 0) ** 2;
        total += x;
        if (i !== j) off += x;
      }
    }
    if (off <= 1e-30 * total || off === 0) break;
    for (let p = 0; p < n - 1; p++) {
      for (let r = p + 1; r < n; r++) {
        const apr = a[p * n + r] ?? 0;
        if (apr === 0) continue;
        const app = a[p * n + p] ?? 0;
        const arr = a[r * n + r] ?? 0;
        const theta = (arr - app) / (2 * apr);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const cos = 1 / Math.sqrt(t * t + 1);
        const sin = t * cos;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p] ?? 0;
          const akr = a[k * n + r] ?? 0;
          a[k * n + p] = cos * akp - sin * akr;
          a[k * n + r] = sin * akp + cos * akr;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k] ?? 0;
          const ark = a[r * n + k] ?? 0;
          a[p * n + k] = cos * apk - sin * ark;
          a[r * n + k] = sin * apk + cos * ark;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p] ?? 0;
          const vkr = v[k * n + r] ?? 0;
          v[k * n + p] = cos * vkp - sin * vkr;
          v[k * n + r] = sin * vkp + cos * vkr;
        }
      }
    }
  }
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = a[i * n + i] ?? 0;
  return { values, vectors: v };
}

/** Standard normal samples from a seeded mulberry32 PRNG via Box-Muller; same seed, same sequence. */
function gaussianSource(seed: number): () => number {
  let state = seed >>> 0;
  const uniform = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const s = spare;
      spare = undefined;
      return s;
    }
    const u = 1 - uniform(); // (0, 1]: log(0) never happens
    const r = Math.sqrt(-2 * Math.log(u));
    const angle = 2 * Math.PI * uniform();
    spare = r * Math.sin(angle);
    return r * Math.cos(angle);
  };
}

function clamp(v: number, lo: number, hi: number): number {
  return Number.isFinite(v) ? Math.min(hi, Math.max(lo, v)) : lo;
}

/** Code-unit order, locale independent, so vocabularies sort the same on every machine. */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
