import type { LoadedIndex } from '../ingest/load.js';
import type { Chunk, ChunkRole } from '../types.js';
import { reciprocalRankFusion } from './fuse.js';
import { compoundHead } from '../text/compound-head.js';
import type { WeightedTerm } from '../text/analyze.js';

export interface RetrieveOptions {
  /** Passages to return (default 5). */
  k?: number;
  /** Candidates taken from each ranker before fusion (default 40). */
  candidates?: number;
  /** RRF damping constant (default 60). */
  rrfK?: number;
  /** Ranker weights in the fusion (default lexical 1, dense 0.25: the corpus-trained embedder is the weaker ranker; decision 57). */
  weights?: { lexical: number; dense: number };
  /** Restrict to one ranker (for evaluation): default 'hybrid'. */
  mode?: 'hybrid' | 'lexical' | 'dense';
}

/** A retrieved passage with its fused score and the per-ranker ranks (1-based, null = not in that list). */
export interface RetrievedChunk {
  chunk: Chunk;
  score: number;
  ranks: { lexical: number | null; dense: number | null };
  /** Raw BM25 score (0 when not matched lexically). */
  lexicalScore: number;
  /** Cosine similarity to the query (0 when not in the dense candidates). */
  similarity: number;
  /** Query terms found in the passage by BM25. */
  matched: string[];
}

/** Reference lists and author blocks are kept searchable but should only win when nothing else matches. */
const ROLE_WEIGHT: Record<ChunkRole, number> = { body: 1, references: 0.25, authors: 0.35 };

/** Weight of a compound's head standing in for a compound the corpus never uses. */
const HEAD_WEIGHT = 0.6;

/** Adds, for each query term the corpus never uses, its longest known suffix ("steunkorset" → "korset"). */
function withCompoundHeads(index: LoadedIndex, terms: WeightedTerm[]): WeightedTerm[] {
  const known = (t: string): boolean => index.bm25.df(t) > 0;
  const out = [...terms];
  for (const { term, weight } of terms) {
    if (known(term)) continue;
    const head = compoundHead(term, known);
    if (head && !out.some((t) => t.term === head)) out.push({ term: head, weight: weight * HEAD_WEIGHT });
  }
  return out;
}

/**
 * Hybrid retrieval: BM25 over the Dutch analysis and cosine kNN over the embedder, fused by weighted RRF.
 * A query without content words returns [] rather than noise.
 */
export async function retrieve(index: LoadedIndex, query: string, options: RetrieveOptions = {}): Promise<RetrievedChunk[]> {
  const k = options.k ?? 5;
  const candidates = Math.max(options.candidates ?? 40, k);
  const mode = options.mode ?? 'hybrid';
  if (index.analyzer.contentTerms(query).length === 0) return [];

  const lexical = mode === 'dense' ? [] : index.bm25.search(withCompoundHeads(index, index.analyzer.queryTerms(query, index.bm25)), candidates);
  const dense =
    mode === 'lexical'
      ? []
      : index.vectors.search(await index.embedder.embedQuery(query), candidates).flatMap((h) => {
          const chunk = index.chunks[h.label];
          return chunk ? [{ id: chunk.id, similarity: h.similarity }] : [];
        });

  const weights = options.weights ?? { lexical: 1, dense: 0.25 };
  const fused = reciprocalRankFusion(
    [
      { ranking: lexical.map((h) => h.id), weight: weights.lexical },
      { ranking: dense.map((h) => h.id), weight: weights.dense },
    ],
    options.rrfK ?? 60,
  );
  const lexRank = new Map(lexical.map((h, i) => [h.id, { rank: i + 1, hit: h }]));
  const denseRank = new Map(dense.map((h, i) => [h.id, { rank: i + 1, similarity: h.similarity }]));

  const results: RetrievedChunk[] = [];
  for (const [id, score] of fused) {
    const chunk = index.chunkById.get(id);
    if (!chunk) continue;
    const lex = lexRank.get(id);
    const den = denseRank.get(id);
    results.push({
      chunk,
      score: score * ROLE_WEIGHT[chunk.role],
      ranks: { lexical: lex?.rank ?? null, dense: den?.rank ?? null },
      lexicalScore: lex?.hit.score ?? 0,
      similarity: den?.similarity ?? 0,
      matched: lex?.hit.matched ?? [],
    });
  }
  results.sort((a, b) => b.score - a.score || a.chunk.id.localeCompare(b.chunk.id));
  return results.slice(0, k);
}
