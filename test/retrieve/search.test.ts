import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retrieve } from '../../src/retrieve/retrieve.js';
import { DEFAULT_SEARCH_K, searchPassages } from '../../src/retrieve/search.js';
import { SearchResultSchema } from '../../src/schemas.js';
import { buildTestEngine, type TestEngine } from '../helpers/engine.js';

let te: TestEngine;

beforeAll(async () => {
  te = await buildTestEngine();
});

afterAll(async () => {
  await te.cleanup();
});

describe('searchPassages', () => {
  it('returns DEFAULT_SEARCH_K schema-valid hits by default', async () => {
    const result = await searchPassages(te.engine.index, { query: 'Helpt oefentherapie bij acute lage rugpijn?' });
    expect(SearchResultSchema.parse(result)).toEqual(result);
    expect(result.results).toHaveLength(DEFAULT_SEARCH_K);
  });

  it('mirrors retrieve(): same chunks in the same order, with title, section path and original offsets', async () => {
    const query = 'Wanneer is beeldvorming nodig bij rugpijn?';
    const { index } = te.engine;
    const result = await searchPassages(index, { query, k: 7 });
    const hits = await retrieve(index, query, { k: 7 });
    expect(result.results.map((r) => r.chunkId)).toEqual(hits.map((h) => h.chunk.id));
    result.results.forEach((r, i) => {
      const hit = hits[i];
      expect(hit).toBeDefined();
      if (!hit) return;
      expect(r.file).toBe(hit.chunk.file);
      expect(r.title).toBe(index.sources.get(hit.chunk.file)?.title);
      expect(r.section).toBe(hit.chunk.section.join(' > '));
      expect(r.text).toBe(hit.chunk.text);
      expect([r.start, r.end]).toEqual([hit.chunk.start, hit.chunk.end]);
      expect(r.ranks).toEqual(hit.ranks);
      expect(r.score).toBeCloseTo(hit.score, 5);
      if (i > 0) expect(r.score).toBeLessThanOrEqual(result.results[i - 1]?.score ?? Infinity);
    });
  });

  it('a query without content words gives no results', async () => {
    expect(await searchPassages(te.engine.index, { query: 'wat is dat?' })).toEqual({ results: [] });
  });
});
