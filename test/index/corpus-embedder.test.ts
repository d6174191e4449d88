import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CorpusEmbedder } from '../../src/index/corpus-embedder.js';

/** Test tokenizer: lowercase words, no stemming (the app passes its Dutch stemming analyzer). */
const tokenize = (text: string): string[] =>
  text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t.length > 0);

/** Small Dutch corpus with four topics: back pain, sciatica, weather, cooking, cycling. */
const CORPUS = [
  'Lage rugpijn gaat meestal vanzelf over; blijf zoveel mogelijk bewegen en vermijd bedrust.',
  'Bij rugklachten helpt het om actief te blijven en rustig weer te gaan wandelen.',
  'Pijn in de onderrug na zwaar tillen verdwijnt bij de meeste mensen binnen zes weken.',
  'Oefentherapie en bewegen verminderen de kans dat de rugpijn terugkomt.',
  'Een hernia kan uitstralende pijn in het been geven, ook wel ischias genoemd.',
  'Bij uitstralende beenpijn door een hernia is een operatie zelden meteen nodig.',
  'Het weer wordt morgen zonnig en warm met een zwakke wind uit het oosten.',
  'Vandaag is het bewolkt met kans op regen en onweer in het zuiden.',
  'Voor deze soep snijd je de uien fijn en bak je ze glazig in boter.',
  'Kook de aardappelen gaar en prak ze met melk, boter en een snuf zout.',
  'De gemeente legt een nieuw fietspad aan langs het kanaal naar het station.',
  'Fietsers krijgen voorrang op de rotonde bij het nieuwe fietspad.',
];
const TOPIC = [
  'rug',
  'rug',
  'rug',
  'rug',
  'hernia',
  'hernia',
  'weer',
  'weer',
  'koken',
  'koken',
  'fiets',
  'fiets',
];

const dot = (a: number[], b: number[]): number => a.reduce((s, x, i) => s + x * (b[i] ?? 0), 0);
const norm = (a: number[]): number => Math.sqrt(dot(a, a));

describe('CorpusEmbedder', () => {
  const embedder = CorpusEmbedder.train(CORPUS, tokenize);

  it('is deterministic: training twice gives identical vectors and identical JSON', async () => {
    const again = CorpusEmbedder.train(CORPUS, tokenize);
    expect(again.dimension).toBe(embedder.dimension);
    expect(await again.embedDocuments(CORPUS)).toEqual(await embedder.embedDocuments(CORPUS));
    expect(again.embedQuerySync('rugpijn na tillen')).toEqual(embedder.embedQuerySync('rugpijn na tillen'));
    expect(JSON.stringify(again.toJSON())).toBe(JSON.stringify(embedder.toJSON()));
  });

  it('caps the dimension by the rank of the training matrix', () => {
    expect(embedder.dimension).toBeGreaterThan(1);
    expect(embedder.dimension).toBeLessThanOrEqual(CORPUS.length);
    expect(CorpusEmbedder.train(CORPUS, tokenize, { dimension: 3 }).dimension).toBe(3);
    // Two identical texts have rank 1.
    expect(CorpusEmbedder.train(['rug en pijn', 'rug en pijn'], tokenize).dimension).toBe(1);
  });

  it('fromJSON(toJSON()) returns identical query and document vectors', async () => {
    const restored = CorpusEmbedder.fromJSON(JSON.parse(JSON.stringify(embedder.toJSON())), tokenize);
    expect(restored.id).toBe('corpus-lsa-v1');
    expect(restored.dimension).toBe(embedder.dimension);
    for (const q of ['Wat helpt tegen lage rugpijn?', 'uitstralende pijn in mijn been', 'regen morgen']) {
      expect(restored.embedQuerySync(q)).toEqual(embedder.embedQuerySync(q));
      expect(await restored.embedQuery(q)).toEqual(await embedder.embedQuery(q));
    }
    expect(await restored.embedDocuments(CORPUS)).toEqual(await embedder.embedDocuments(CORPUS));
  });

  it('returns unit-length document vectors of the declared dimension', async () => {
    for (const v of await embedder.embedDocuments(CORPUS)) {
      expect(v).toHaveLength(embedder.dimension);
      expect(norm(v)).toBeCloseTo(1, 9);
    }
  });

  it('scores sentences on the same topic (different words, shared stems/n-grams) above unrelated ones', async () => {
    const docs = await embedder.embedDocuments(CORPUS);
    const cases: [query: string, topic: string][] = [
      ['rugpijnklachten na het tillen', 'rug'],
      ['pijn die uitstraalt naar het been', 'hernia'],
      ['regenachtig en bewolkt', 'weer'],
      ['aardappelsoep met boter', 'koken'],
      ['een fietser op de rotonde', 'fiets'],
    ];
    for (const [query, topic] of cases) {
      const q = embedder.embedQuerySync(query);
      const sims = docs.map((d) => dot(q, d));
      const best = Math.max(...sims.filter((_, i) => TOPIC[i] === topic));
      const bestOther = Math.max(...sims.filter((_, i) => TOPIC[i] !== topic));
      expect(best, query).toBeGreaterThan(bestOther);
    }
    // Document to document: two back-pain sentences without a shared content word are closer than a
    // back-pain and a cooking sentence.
    expect(dot(docs[0] ?? [], docs[3] ?? [])).toBeGreaterThan(dot(docs[0] ?? [], docs[8] ?? []));
  });

  it('keeps OCR variants, compounds and hyphenations of a word near it', () => {
    const clean = embedder.embedQuerySync('rugpijn');
    const unrelated = Math.max(
      ...['zonnig', 'boter', 'fietspad', 'operatie'].map((w) => dot(clean, embedder.embedQuerySync(w))),
    );
    for (const variant of ['rugpljn', 'RUGPIJN', 'rugpijnklachten', 'rug-pijn']) {
      expect(dot(clean, embedder.embedQuerySync(variant)), variant).toBeGreaterThan(unrelated);
    }
    expect(dot(clean, embedder.embedQuerySync('rugpljn'))).toBeGreaterThan(0.8);
  });

  it('returns a finite zero vector for a query with only unknown words', () => {
    const v = embedder.embedQuerySync('xyzzy qwv');
    expect(v).toHaveLength(embedder.dimension);
    expect(v.every((x) => x === 0)).toBe(true);
    expect(embedder.embedQuerySync('')).toEqual(v);
  });

  it('always returns a finite vector of norm 0 or 1 (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        const v = embedder.embedQuerySync(text);
        expect(v).toHaveLength(embedder.dimension);
        expect(v.every(Number.isFinite)).toBe(true);
        const n = norm(v);
        expect(n === 0 || Math.abs(n - 1) < 1e-9).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('works with word features only and with an empty corpus', async () => {
    const words = CorpusEmbedder.train(CORPUS, tokenize, { charNgrams: [] });
    const v = words.embedQuerySync('rugpijn bewegen');
    expect(norm(v)).toBeCloseTo(1, 9);
    const restored = CorpusEmbedder.fromJSON(words.toJSON(), tokenize);
    expect(restored.embedQuerySync('rugpijn bewegen')).toEqual(v);

    const empty = CorpusEmbedder.train([], tokenize);
    expect(empty.dimension).toBe(1);
    expect(await empty.embedQuery('rugpijn')).toEqual([0]);
  });

  it('rejects a malformed JSON file with index_corrupt', () => {
    const good = embedder.toJSON();
    const bad: unknown[] = [
      null,
      'nonsense',
      { ...good, format: 'other' },
      { ...good, dimension: 0 },
      { ...good, projection: good.projection.slice(0, 40) },
      { ...good, projection: '!!not base64!!' },
      { ...good, words: [...good.words, good.words[0]] },
      { ...good, wordIdf: good.wordIdf.slice(1) },
      { ...good, ngramIdf: good.ngramIdf.map((x, i) => (i === 0 ? -1 : x)) },
      { ...good, charWeight: 2 },
    ];
    for (const json of bad) {
      expect(() => CorpusEmbedder.fromJSON(json, tokenize)).toThrow(
        expect.objectContaining({ code: 'index_corrupt' }),
      );
    }
    // A non-finite float hidden in the projection bytes.
    const bytes = Buffer.from(good.projection, 'base64');
    bytes.writeFloatLE(Number.NaN, 0);
    expect(() =>
      CorpusEmbedder.fromJSON({ ...good, projection: bytes.toString('base64') }, tokenize),
    ).toThrow(expect.objectContaining({ code: 'index_corrupt' }));
  });
});
