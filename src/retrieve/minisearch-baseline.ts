import MiniSearch from 'minisearch';
import type { Chunk } from '../types.js';
import type { RetrievedChunk } from './retrieve.js';

/**
 * The off-the-shelf peer every report compares against: MiniSearch with default options (its own
 * tokenizer, no stemming, no synonyms, no fuzzy matching) over the same chunks.
 */
export class MiniSearchBaseline {
  private readonly engine: MiniSearch<{ id: string; text: string }>;
  private readonly byId: Map<string, Chunk>;

  constructor(chunks: Chunk[]) {
    this.engine = new MiniSearch<{ id: string; text: string }>({ fields: ['text'] });
    this.engine.addAll(chunks.map((c) => ({ id: c.id, text: c.text })));
    this.byId = new Map(chunks.map((c) => [c.id, c]));
  }

  /** Top-k passages for a query, shaped like our retriever's results (lexical rank only). */
  search(query: string, k: number): RetrievedChunk[] {
    return this.engine
      .search(query)
      .slice(0, k)
      .flatMap((r, i) => {
        const chunk = this.byId.get(String(r.id));
        return chunk
          ? [{ chunk, score: r.score, ranks: { lexical: i + 1, dense: null }, lexicalScore: r.score, similarity: 0, matched: r.terms }]
          : [];
      });
  }
}
