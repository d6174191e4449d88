import type { LoadedIndex } from '../ingest/load.js';
import type { SearchInput, SearchResult } from '../schemas.js';
import { retrieve } from './retrieve.js';

/** Default number of passages for search (CLI, HTTP, MCP). */
export const DEFAULT_SEARCH_K = 5;

/** Search passages: the shared core of `npm run search`, POST /api/search and the MCP search_passages tool. */
export async function searchPassages(index: LoadedIndex, input: SearchInput): Promise<SearchResult> {
  const hits = await retrieve(index, input.query, { k: input.k ?? DEFAULT_SEARCH_K });
  return {
    results: hits.map((h) => ({
      chunkId: h.chunk.id,
      file: h.chunk.file,
      title: index.sources.get(h.chunk.file)?.title ?? h.chunk.file,
      section: h.chunk.section.join(' > '),
      text: h.chunk.text,
      score: Number(h.score.toFixed(6)),
      start: h.chunk.start,
      end: h.chunk.end,
      ranks: h.ranks,
    })),
  };
}
