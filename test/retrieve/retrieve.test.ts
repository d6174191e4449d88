import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toOriginalSpan } from '../../src/corpus/clean.js';
import type { LoadedIndex } from '../../src/ingest/load.js';
import { retrieve, type RetrievedChunk } from '../../src/retrieve/retrieve.js';
import { buildTestEngine, docPrefix, type TestEngine } from '../helpers/engine.js';

let te: TestEngine;
let index: LoadedIndex;

beforeAll(async () => {
  te = await buildTestEngine();
  index = te.engine.index;
});

afterAll(async () => {
  await te.cleanup();
});

const QUERIES = [
  'Helpt oefentherapie bij acute lage rugpijn?',
  'Is hardlopen goed bij chronische lagerugpijn?',
  'Wanneer is beeldvorming nodig bij rugpijn?',
  'rode vlaggen cauda equina doorverwijzen',
  'Waarom wordt rugpijn chronisch?',
  'Moet ik in bed blijven met rugpijn?',
  'Does exercise help acute low back pain?',
  'pijnstillers paracetamol NSAID',
];

/** Checks the invariants every retrieval result must satisfy. */
function expectWellFormed(results: RetrievedChunk[], k: number): void {
  expect(results.length).toBeLessThanOrEqual(k);
  const ids = results.map((r) => r.chunk.id);
  expect(new Set(ids).size).toBe(ids.length);
  results.forEach((r, i) => {
    expect(Number.isFinite(r.score)).toBe(true);
    expect(r.score).toBeGreaterThan(0);
    if (i > 0) expect(r.score).toBeLessThanOrEqual((results[i - 1] as RetrievedChunk).score);
    // At least one ranker found it; ranks are 1-based integers or null.
    expect(r.ranks.lexical !== null || r.ranks.dense !== null).toBe(true);
    for (const rank of [r.ranks.lexical, r.ranks.dense]) {
      if (rank !== null) {
        expect(Number.isInteger(rank)).toBe(true);
        expect(rank).toBeGreaterThanOrEqual(1);
      }
    }
    expect(index.chunkById.get(r.chunk.id)).toBe(r.chunk);
  });
}

describe('retrieve — result shape', () => {
  it.each(QUERIES)('%s: sorted by score, at most k, with ranks', async (query) => {
    for (const k of [1, 3, 5, 12]) {
      const results = await retrieve(index, query, { k });
      expectWellFormed(results, k);
      expect(results.length).toBeGreaterThan(0);
    }
  });

  it('returns k results when the corpus has that many candidates', async () => {
    const results = await retrieve(index, 'lage rugpijn oefentherapie bewegen', { k: 10 });
    expect(results).toHaveLength(10);
  });

  it('a larger k extends the list: the top of k=10 equals k=3', async () => {
    for (const query of QUERIES) {
      const small = await retrieve(index, query, { k: 3 });
      const large = await retrieve(index, query, { k: 10 });
      expect(large.slice(0, small.length).map((r) => r.chunk.id)).toEqual(small.map((r) => r.chunk.id));
    }
  });

  it('is deterministic', async () => {
    for (const query of QUERIES) {
      const a = await retrieve(index, query, { k: 8 });
      const b = await retrieve(index, query, { k: 8 });
      expect(b.map((r) => [r.chunk.id, r.score])).toEqual(a.map((r) => [r.chunk.id, r.score]));
    }
  });

  it('lexical mode has no dense ranks and dense mode no lexical ranks', async () => {
    const query = 'Helpt oefentherapie bij acute lage rugpijn?';
    for (const r of await retrieve(index, query, { k: 8, mode: 'lexical' })) expect(r.ranks.dense).toBeNull();
    for (const r of await retrieve(index, query, { k: 8, mode: 'dense' })) expect(r.ranks.lexical).toBeNull();
  });

  it('holds for arbitrary text (property)', async () => {
    const word = fc.constantFrom(
      'rugpijn',
      'lage',
      'acute',
      'chronische',
      'oefentherapie',
      'hardlopen',
      'beeldvorming',
      'koorts',
      'pain',
      'exercise',
      'wat',
      'is',
      'de',
      'en',
    );
    const query = fc.oneof(
      fc.array(word, { minLength: 1, maxLength: 8 }).map((w) => w.join(' ')),
      fc.string({ maxLength: 60 }),
    );
    await fc.assert(
      fc.asyncProperty(query, fc.integer({ min: 1, max: 20 }), async (q, k) => {
        expectWellFormed(await retrieve(index, q, { k }), k);
      }),
      { numRuns: 60 },
    );
  });
});

describe('retrieve — offsets', () => {
  it('every chunk maps to its verbatim span in the original file', async () => {
    const seen = new Set<string>();
    for (const query of QUERIES) {
      for (const r of await retrieve(index, query, { k: 10 })) {
        if (seen.has(r.chunk.id)) continue;
        seen.add(r.chunk.id);
        const doc = index.docs.get(r.chunk.file);
        expect(doc, r.chunk.file).toBeDefined();
        if (!doc) continue;
        const { chunk } = r;
        expect(chunk.text).toBe(doc.text.slice(chunk.cleanStart, chunk.cleanEnd));
        expect({ start: chunk.start, end: chunk.end }).toEqual(toOriginalSpan(doc, chunk.cleanStart, chunk.cleanEnd));
        expect(0 <= chunk.start && chunk.start < chunk.end && chunk.end <= doc.original.length).toBe(true);
        // Cleaning repairs OCR and whitespace but never digits: the span carries the same numbers,
        // and about the same letters.
        const original = doc.original.slice(chunk.start, chunk.end);
        expect(original.replace(/\D+/g, '')).toBe(chunk.text.replace(/\D+/g, ''));
        const letters = (s: string) => s.normalize('NFC').replace(/[^\p{L}]+/gu, '').length;
        expect(Math.abs(letters(original) - letters(chunk.text))).toBeLessThanOrEqual(letters(chunk.text) * 0.05);
      }
    }
    expect(seen.size).toBeGreaterThan(10);
  });
});

describe('retrieve — queries without content', () => {
  it.each(['wat is dat?', 'en hoe zit het?', 'Wat is dat nu weer?', '?!', '   ', 'de het een'])(
    '%j returns []',
    async (query) => {
      expect(await retrieve(index, query, { k: 5 })).toEqual([]);
    },
  );
});

describe('retrieve — relevance', () => {
  it('Dutch compound variants retrieve the same top document', async () => {
    const tops = await Promise.all(
      ['lagerugpijn', 'lage-rugpijn', 'lage rugpijn'].map(async (q) => (await retrieve(index, q, { k: 1 }))[0]?.chunk.file),
    );
    expect(tops[0]).toBeDefined();
    expect(new Set(tops).size).toBe(1);
  });

  it('compound variants inside a question retrieve the same top document', async () => {
    const tops = await Promise.all(
      [
        'Helpt oefentherapie bij acute lagerugpijn?',
        'Helpt oefentherapie bij acute lage-rugpijn?',
        'Helpt oefentherapie bij acute lage rugpijn?',
      ].map(async (q) => (await retrieve(index, q, { k: 1 }))[0]?.chunk.file),
    );
    expect(tops[0]).toBeDefined();
    expect(new Set(tops).size).toBe(1);
  });

  it('an English question finds the Minerva exercise document (001) in the top 3', async () => {
    const results = await retrieve(index, 'Does exercise help acute low back pain?', { k: 3 });
    expect(results.map((r) => docPrefix(r.chunk.file))).toContain('001');
  });

  it('the Dutch exercise question ranks the exercise document (001) first', async () => {
    const [top] = await retrieve(index, 'Helpt oefentherapie bij acute lage rugpijn?', { k: 1 });
    expect(docPrefix(top?.chunk.file ?? '')).toBe('001');
  });

  it('a running question finds the running document (000) in the top 3', async () => {
    const results = await retrieve(index, 'Is hardlopen of wandelen zinvol bij chronische lagerugpijn?', { k: 3 });
    expect(results.map((r) => docPrefix(r.chunk.file))).toContain('000');
  });
});
