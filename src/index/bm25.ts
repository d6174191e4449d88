import { z } from 'zod';
import { AppError } from '../errors.js';
import type { WeightedTerm } from '../text/analyze.js';
import { packBinary, unpackBinary } from './binary-pack.js';

/**
 * Okapi BM25 over pre-analyzed documents (terms from `Analyzer.terms`).
 *
 * score(d, q) = Σ_t weight(t) · idf(t) · tf·(k1+1) / (tf + k1·(1 − b + b·|d|/avgdl))
 * with idf(t) = ln(1 + (N − df + 0.5)/(df + 0.5)), which is always > 0 (Lucene's variant), so a term that
 * occurs in most chunks still counts a little instead of subtracting.
 */

export interface Bm25Hit {
  id: string;
  score: number;
  /** Query terms found in the document, in query order. */
  matched: string[];
}

export interface Bm25Params {
  /** Term-frequency saturation (default 1.2, ≥ 0). */
  k1?: number;
  /** Length normalization (default 0.75, 0–1). */
  b?: number;
}

const FORMAT = 'rugwijs-bm25';
const VERSION = 1;

const ParamsSchema = z.object({ k1: z.number().finite().min(0), b: z.number().min(0).max(1) });

/** Serialized form: postings are flat [docIndex, tf, docIndex, tf, …] arrays, doc indices ascending. */
const Bm25JsonSchema = z.object({
  format: z.literal(FORMAT),
  version: z.literal(VERSION),
  params: ParamsSchema,
  ids: z.array(z.string().min(1)),
  lengths: z.array(z.number().int().min(0)),
  postings: z.array(z.tuple([z.string().min(1), z.array(z.number().int().min(0))])),
});
type Bm25Json = z.infer<typeof Bm25JsonSchema>;

/** Postings of one term: parallel arrays of document index and term frequency. */
interface Postings {
  docs: Int32Array;
  tfs: Int32Array;
}

export class Bm25Index {
  private readonly k1: number;
  private readonly b: number;
  private readonly ids: readonly string[];
  private readonly lengths: Int32Array;
  private readonly avgdl: number;
  private readonly postings: ReadonlyMap<string, Postings>;

  private constructor(
    params: { k1: number; b: number },
    ids: readonly string[],
    lengths: Int32Array,
    postings: ReadonlyMap<string, Postings>,
  ) {
    this.k1 = params.k1;
    this.b = params.b;
    this.ids = ids;
    this.lengths = lengths;
    this.postings = postings;
    let total = 0;
    for (const l of lengths) total += l;
    // An empty corpus (or only empty docs) must not divide by zero; any positive value gives norm 1-b+b·0.
    this.avgdl = lengths.length > 0 && total > 0 ? total / lengths.length : 1;
  }

  /**
   * Builds the index. Document ids must be unique.
   * @param docs Documents with their analyzed terms (duplicates count as term frequency).
   * @param params k1 (default 1.2) and b (default 0.75).
   */
  static build(docs: { id: string; terms: string[] }[], params: Bm25Params = {}): Bm25Index {
    const p = ParamsSchema.safeParse({ k1: params.k1 ?? 1.2, b: params.b ?? 0.75 });
    if (!p.success) throw new AppError('internal', `Invalid BM25 parameters: ${p.error.issues[0]?.message}`);
    const seen = new Set<string>();
    for (const d of docs) {
      if (seen.has(d.id)) throw new AppError('internal', `Duplicate BM25 document id "${d.id}"`);
      seen.add(d.id);
    }
    const lists = new Map<string, number[]>(); // term → flat [doc, tf, …]
    const lengths = new Int32Array(docs.length);
    docs.forEach((doc, di) => {
      lengths[di] = doc.terms.length;
      const tf = new Map<string, number>();
      for (const t of doc.terms) tf.set(t, (tf.get(t) ?? 0) + 1);
      for (const [t, n] of tf) {
        const list = lists.get(t) ?? [];
        list.push(di, n);
        lists.set(t, list);
      }
    });
    const postings = new Map<string, Postings>();
    for (const [t, flat] of lists) postings.set(t, unflatten(flat));
    return new Bm25Index(
      p.data,
      docs.map((d) => d.id),
      lengths,
      postings,
    );
  }

  /** Number of documents. */
  get size(): number {
    return this.ids.length;
  }

  /** Number of documents containing `term` (0 when unknown). */
  df(term: string): number {
    return this.postings.get(term)?.docs.length ?? 0;
  }

  /** Inverse document frequency of `term`; an unknown term gets the maximum (df = 0). */
  idf(term: string): number {
    const n = this.ids.length;
    const df = this.df(term);
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /**
   * Top-k documents for a weighted query. Duplicate query terms keep their largest weight; terms with a
   * weight ≤ 0 (or not finite) are ignored. Ties are broken by id (ascending) so results are deterministic.
   * @param k Maximum number of hits (≤ 0 → none).
   */
  search(query: WeightedTerm[], k: number): Bm25Hit[] {
    if (!(k > 0) || this.ids.length === 0) return [];
    const weights = new Map<string, number>();
    for (const { term, weight } of query) {
      if (!Number.isFinite(weight) || weight <= 0) continue;
      weights.set(term, Math.max(weights.get(term) ?? 0, weight));
    }
    const scores = new Float64Array(this.ids.length);
    const touched: number[] = [];
    const seen = new Uint8Array(this.ids.length);
    const { k1, b, avgdl, lengths } = this;
    const used: [string, Postings][] = [];
    for (const [term, weight] of weights) {
      const post = this.postings.get(term);
      if (post === undefined) continue;
      used.push([term, post]);
      const w = weight * this.idf(term);
      const { docs, tfs } = post;
      for (let i = 0; i < docs.length; i++) {
        const d = docs[i] as number;
        const tf = tfs[i] as number;
        const norm = k1 * (1 - b + (b * (lengths[d] as number)) / avgdl);
        if (seen[d] === 0) {
          seen[d] = 1;
          touched.push(d);
        }
        scores[d] = (scores[d] as number) + (w * (tf * (k1 + 1))) / (tf + norm);
      }
    }
    // Top k by (score desc, id asc) without sorting every touched document: on a large corpus a common
    // query term touches thousands of chunks, and only k of them are returned.
    const limit = Math.floor(k);
    const top: number[] = [];
    const better = (x: number, y: number) => {
      const sx = scores[x] as number;
      const sy = scores[y] as number;
      if (sx !== sy) return sx > sy;
      const ix = this.ids[x] as string;
      const iy = this.ids[y] as string;
      return ix < iy;
    };
    for (const d of touched) {
      // Vanishingly small weights can underflow to 0; such a document is not a hit.
      if (!((scores[d] as number) > 0)) continue;
      if (top.length === limit && !better(d, top[limit - 1] as number)) continue;
      let pos = top.length === limit ? limit - 1 : top.length;
      while (pos > 0 && better(d, top[pos - 1] as number)) {
        top[pos] = top[pos - 1] as number;
        pos--;
      }
      top[pos] = d;
      if (top.length > limit) top.length = limit;
    }
    return top.map((d) => ({
      id: this.ids[d] ?? '',
      score: scores[d] as number,
      matched: used.filter(([, post]) => contains(post.docs, d)).map(([term]) => term),
    }));
  }

  /** Plain JSON-serializable form (see {@link Bm25Index.fromJSON}). */
  toJSON(): Bm25Json {
    const postings: [string, number[]][] = [];
    // Sorted terms make the file byte-stable across builds of the same input.
    for (const term of [...this.postings.keys()].sort()) {
      const p = this.postings.get(term);
      if (p === undefined) continue;
      const flat: number[] = [];
      for (let i = 0; i < p.docs.length; i++) flat.push(p.docs[i] ?? 0, p.tfs[i] ?? 0);
      postings.push([term, flat]);
    }
    return {
      format: FORMAT,
      version: VERSION,
      params: { k1: this.k1, b: this.b },
      ids: [...this.ids],
      lengths: [...this.lengths],
      postings,
    };
  }

  /**
   * Restores an index from {@link Bm25Index.toJSON} output.
   * @throws AppError('index_corrupt') when the shape or the internal consistency is wrong.
   */
  static fromJSON(json: unknown): Bm25Index {
    const parsed = Bm25JsonSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? issue.path.join('.') : '(root)';
      throw corrupt(`${where}: ${issue?.message ?? 'bad shape'}`);
    }
    const data = parsed.data;
    const n = data.ids.length;
    if (data.lengths.length !== n) throw corrupt(`${data.lengths.length} lengths for ${n} documents`);
    if (new Set(data.ids).size !== n) throw corrupt('duplicate document ids');
    const postings = new Map<string, Postings>();
    const counted = new Array<number>(n).fill(0);
    for (const [term, flat] of data.postings) {
      if (postings.has(term)) throw corrupt(`duplicate term "${term}"`);
      if (flat.length === 0 || flat.length % 2 !== 0) throw corrupt(`malformed postings for "${term}"`);
      let prev = -1;
      for (let i = 0; i < flat.length; i += 2) {
        const d = flat[i] ?? -1;
        const tf = flat[i + 1] ?? 0;
        if (d <= prev || d >= n)
          throw corrupt(`postings for "${term}" reference document ${d} out of order/range`);
        if (tf < 1) throw corrupt(`postings for "${term}" have term frequency ${tf}`);
        counted[d] = (counted[d] ?? 0) + tf;
        prev = d;
      }
      postings.set(term, unflatten(flat));
    }
    // Each document's length is the sum of its term frequencies; a mismatch means a truncated or edited file.
    for (let d = 0; d < n; d++) {
      if (counted[d] !== data.lengths[d])
        throw corrupt(`document "${data.ids[d]}" length does not match its postings`);
    }
    return new Bm25Index(data.params, data.ids, Int32Array.from(data.lengths), postings);
  }
  /**
   * Binary form (src/index/binary-pack.ts): ids, params and the sorted term list in the header; document
   * lengths, per-term posting offsets, and all postings' document indices and frequencies as Int32 arrays.
   * Loading is a copy plus one validation pass instead of parsing millions of JSON numbers.
   */
  toBinary(): Buffer {
    const terms = [...this.postings.keys()].sort();
    let total = 0;
    for (const t of terms) total += this.postings.get(t)?.docs.length ?? 0;
    const offsets = new Int32Array(terms.length + 1);
    const docs = new Int32Array(total);
    const tfs = new Int32Array(total);
    let at = 0;
    terms.forEach((t, i) => {
      const p = this.postings.get(t) as Postings;
      offsets[i] = at;
      docs.set(p.docs, at);
      tfs.set(p.tfs, at);
      at += p.docs.length;
    });
    offsets[terms.length] = at;
    return packBinary(
      { format: FORMAT, version: VERSION, params: { k1: this.k1, b: this.b }, ids: [...this.ids], terms },
      [Int32Array.from(this.lengths), offsets, docs, tfs],
    );
  }

  /**
   * Restores an index from {@link Bm25Index.toBinary} output, with the same consistency checks as
   * {@link Bm25Index.fromJSON}.
   * @throws AppError('index_corrupt') when the shape or the internal consistency is wrong.
   */
  static fromBinary(bytes: Uint8Array): Bm25Index {
    const { header, arrays } = unpackBinary(bytes, 'bm25.bin');
    const head = z
      .object({ format: z.literal(FORMAT), version: z.literal(VERSION), params: ParamsSchema, ids: z.array(z.string().min(1)), terms: z.array(z.string().min(1)) })
      .safeParse(header);
    if (!head.success || arrays.length !== 4) throw corrupt('bad header');
    const { ids, terms, params } = head.data;
    const [lengths, offsets, docs, tfs] = arrays as [Int32Array, Int32Array, Int32Array, Int32Array];
    const n = ids.length;
    if (lengths.length !== n) throw corrupt(`${lengths.length} lengths for ${n} documents`);
    if (offsets.length !== terms.length + 1 || docs.length !== tfs.length || offsets[terms.length] !== docs.length)
      throw corrupt('posting table sizes do not match');
    if (new Set(ids).size !== n) throw corrupt('duplicate document ids');
    const counted = new Int32Array(n);
    const postings = new Map<string, Postings>();
    for (let t = 0; t < terms.length; t++) {
      const from = offsets[t] as number;
      const to = offsets[t + 1] as number;
      const term = terms[t] as string;
      if (to <= from || from < 0) throw corrupt(`malformed postings for "${term}"`);
      if (postings.has(term)) throw corrupt(`duplicate term "${term}"`);
      let prev = -1;
      for (let i = from; i < to; i++) {
        const d = docs[i] as number;
        const tf = tfs[i] as number;
        if (d <= prev || d >= n) throw corrupt(`postings for "${term}" reference document ${d} out of order/range`);
        if (tf < 1) throw corrupt(`postings for "${term}" have term frequency ${tf}`);
        counted[d] = (counted[d] as number) + tf;
        prev = d;
      }
      postings.set(term, { docs: docs.subarray(from, to), tfs: tfs.subarray(from, to) });
    }
    for (let d = 0; d < n; d++) {
      if (counted[d] !== lengths[d]) throw corrupt(`document "${ids[d]}" length does not match its postings`);
    }
    return new Bm25Index(params, ids, lengths, postings);
  }
}

/** Binary search in an ascending Int32Array. */
function contains(sorted: Int32Array, value: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = sorted[mid] as number;
    if (v === value) return true;
    if (v < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

function unflatten(flat: readonly number[]): Postings {
  const docs = new Int32Array(flat.length / 2);
  const tfs = new Int32Array(flat.length / 2);
  for (let i = 0; i < docs.length; i++) {
    docs[i] = flat[2 * i] ?? 0;
    tfs[i] = flat[2 * i + 1] ?? 0;
  }
  return { docs, tfs };
}

function corrupt(detail: string): AppError {
  return new AppError(
    'index_corrupt',
    `BM25 index file is corrupt (${detail}); rebuild it with \`npm run ingest\``,
  );
}
