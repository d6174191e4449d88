import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Bm25Index } from '../../src/index/bm25.js';
import { createAnalyzer } from '../../src/text/analyze.js';

const analyzer = createAnalyzer();

const DOCS: Record<string, string> = {
  hardlopen:
    'Een digitaal loop- en wandelprogramma verminderde de pijnintensiteit bij volwassenen met chronische lagerugpijn.',
  oefentherapie:
    'Oefentherapie toont geen klinisch relevant voordeel bij acute niet-specifieke lagerugpijn in vergelijking met placebo.',
  beeldvorming:
    'Een radiografie, scan of MRI is bij lage rugpijn meestal nutteloos en stelt de patiënt bloot aan straling.',
  bedrust: 'Bedrust wordt afgeraden: blijf zoveel mogelijk bewegen en hervat de dagelijkse activiteiten.',
  werk: 'De terugkeer naar het werk moet vanaf de eerste dag van de behandeling de doelstelling zijn.',
  ischias:
    'Bij radiculaire pijn (type ischias) wordt de zenuwwortel geïrriteerd; geruststellen en beweging aanmoedigen.',
};

const index = Bm25Index.build(
  Object.entries(DOCS).map(([id, text]) => ({ id, terms: analyzer.terms(text) })),
);
const top = (question: string, k = 3): string[] =>
  index.search(analyzer.queryTerms(question), k).map((h) => h.id);

describe('Bm25Index ranking on Dutch fixtures', () => {
  it.each([
    ['Helpt hardlopen bij chronische rugpijn?', 'hardlopen'],
    ['Is oefentherapie zinvol bij acute lage-rugpijn?', 'oefentherapie'],
    ['Moet ik een MRI laten maken?', 'beeldvorming'],
    ['Is röntgenfoto nodig bij lagerugpijn?', 'beeldvorming'],
    ['Moet ik in bed blijven liggen? Is bedrust goed?', 'bedrust'],
    ['Wanneer kan ik terug naar mijn werk?', 'werk'],
    ['Wat te doen bij ischias?', 'ischias'],
    ['Does exercise therapy help acute low back pain?', 'oefentherapie'],
    ['Should I get imaging (x-ray) for back pain?', 'beeldvorming'],
    ['What about sciatica?', 'ischias'],
  ])('%s → %s', (question, expected) => {
    expect(top(question)[0]).toBe(expected);
  });

  it('reports which query terms matched and sorts by score', () => {
    const hits = index.search(analyzer.queryTerms('MRI bij lage rugpijn'), 10);
    expect(hits[0]?.matched).toEqual(expect.arrayContaining(['mri', 'rugpijn']));
    for (let i = 1; i < hits.length; i++)
      expect(hits[i - 1]?.score).toBeGreaterThanOrEqual(hits[i]?.score ?? 0);
    for (const h of hits) expect(h.matched.length).toBeGreaterThan(0);
  });

  it('weights query terms', () => {
    const q = (wMri: number, wBed: number) =>
      index.search(
        [
          { term: 'mri', weight: wMri },
          { term: 'bedrust', weight: wBed },
        ],
        1,
      )[0]?.id;
    expect(q(1, 0.1)).toBe('beeldvorming');
    expect(q(0.1, 1)).toBe('bedrust');
    // Duplicate query terms keep the larger weight; non-positive weights are ignored.
    const once = index.search([{ term: 'mri', weight: 1 }], 5);
    const twice = index.search(
      [
        { term: 'mri', weight: 0.5 },
        { term: 'mri', weight: 1 },
        { term: 'bedrust', weight: 0 },
      ],
      5,
    );
    expect(twice).toEqual(once);
  });

  it('breaks ties by id and honours k', () => {
    const same = Bm25Index.build([
      { id: 'b', terms: ['rug', 'pijn'] },
      { id: 'a', terms: ['rug', 'pijn'] },
      { id: 'c', terms: ['nek'] },
    ]);
    expect(same.search([{ term: 'rug', weight: 1 }], 10).map((h) => h.id)).toEqual(['a', 'b']);
    expect(same.search([{ term: 'rug', weight: 1 }], 1).map((h) => h.id)).toEqual(['a']);
    expect(same.search([{ term: 'rug', weight: 1 }], 0)).toEqual([]);
    expect(same.search([{ term: 'onbekend', weight: 1 }], 5)).toEqual([]);
  });

  it('gives rarer terms a higher idf and unknown terms the maximum', () => {
    const idx = Bm25Index.build([
      { id: 'a', terms: ['rug', 'pijn'] },
      { id: 'b', terms: ['rug', 'nek'] },
      { id: 'c', terms: ['rug'] },
    ]);
    expect(idx.size).toBe(3);
    expect(idx.df('rug')).toBe(3);
    expect(idx.df('nek')).toBe(1);
    expect(idx.df('onbekend')).toBe(0);
    expect(idx.idf('nek')).toBeGreaterThan(idx.idf('rug'));
    expect(idx.idf('onbekend')).toBeGreaterThan(idx.idf('nek'));
    expect(idx.idf('rug')).toBeGreaterThan(0);
  });

  it('handles an empty index', () => {
    const empty = Bm25Index.build([]);
    expect(empty.size).toBe(0);
    expect(empty.search([{ term: 'rug', weight: 1 }], 5)).toEqual([]);
  });

  it('rejects duplicate ids and bad parameters', async () => {
    const build = (f: () => unknown) => Promise.resolve().then(f);
    await expect(
      build(() =>
        Bm25Index.build([
          { id: 'a', terms: [] },
          { id: 'a', terms: [] },
        ]),
      ),
    ).rejects.toThrow(/Duplicate/);
    await expect(build(() => Bm25Index.build([], { b: 2 }))).rejects.toThrow(/BM25 parameters/);
  });
});

describe('Bm25Index serialization', () => {
  const questions = [
    'Helpt hardlopen?',
    'MRI bij rugpijn',
    'terug naar het werk',
    'ischias en bedrust',
    'low back pain',
  ];

  it('round-trips through JSON text with identical search results', () => {
    const restored = Bm25Index.fromJSON(JSON.parse(JSON.stringify(index.toJSON())));
    expect(restored.size).toBe(index.size);
    for (const q of questions) {
      const qt = analyzer.queryTerms(q);
      expect(restored.search(qt, 10)).toEqual(index.search(qt, 10));
    }
    expect(restored.toJSON()).toEqual(index.toJSON());
  });

  it('keeps custom parameters', () => {
    const docs = Object.entries(DOCS).map(([id, text]) => ({ id, terms: analyzer.terms(text) }));
    const custom = Bm25Index.build(docs, { k1: 2, b: 0.2 });
    const qt = analyzer.queryTerms('lagerugpijn');
    expect(Bm25Index.fromJSON(custom.toJSON()).search(qt, 10)).toEqual(custom.search(qt, 10));
    expect(custom.search(qt, 10)).not.toEqual(index.search(qt, 10));
  });

  const good = index.toJSON() as Record<string, unknown>;
  const postings = good.postings as [string, number[]][];
  it.each([
    ['null', null],
    ['a string', 'bm25'],
    ['an empty object', {}],
    ['another format', { ...good, format: 'other' }],
    ['a future version', { ...good, version: 2 }],
    ['negative k1', { ...good, params: { k1: -1, b: 0.75 } }],
    ['lengths of the wrong count', { ...good, lengths: [1] }],
    ['duplicate ids', { ...good, ids: (good.ids as string[]).map(() => 'x') }],
    ['a posting outside the documents', { ...good, postings: [...postings.slice(1), ['zzz', [99, 1]]] }],
    ['a zero term frequency', { ...good, postings: [['zzz', [0, 0]], ...postings] }],
    ['odd postings', { ...good, postings: [['zzz', [0]], ...postings] }],
    ['a missing term (length mismatch)', { ...good, postings: postings.slice(1) }],
    ['a duplicate term', { ...good, postings: [postings[0], ...postings] }],
    ['a non-integer frequency', { ...good, postings: [['zzz', [0, 1.5]], ...postings] }],
  ])('rejects %s with index_corrupt', async (_label, json) => {
    await expect(Promise.resolve().then(() => Bm25Index.fromJSON(json))).rejects.toMatchObject({
      code: 'index_corrupt',
    });
  });

  it('round-trips arbitrary indexes (property)', () => {
    const vocab = ['rug', 'pijn', 'nek', 'mri', 'oefen', 'bedrust', 'ischias', 'werk'];
    const docs = fc.uniqueArray(
      fc.record({
        id: fc.string({ minLength: 1, maxLength: 6 }),
        terms: fc.array(fc.constantFrom(...vocab)),
      }),
      { selector: (d) => d.id, maxLength: 12 },
    );
    const query = fc.array(
      fc.record({ term: fc.constantFrom(...vocab, 'x'), weight: fc.double({ min: 0, max: 1, noNaN: true }) }),
    );
    fc.assert(
      fc.property(docs, query, fc.integer({ min: 0, max: 15 }), (ds, q, k) => {
        const idx = Bm25Index.build(ds);
        const back = Bm25Index.fromJSON(JSON.parse(JSON.stringify(idx.toJSON())));
        const hits = idx.search(q, k);
        expect(back.search(q, k)).toEqual(hits);
        expect(hits.length).toBeLessThanOrEqual(k);
        expect(new Set(hits.map((h) => h.id)).size).toBe(hits.length);
        for (const h of hits) expect(h.score).toBeGreaterThan(0);
      }),
      { numRuns: 200 },
    );
  });
});
