import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanDocument, isBlankChar } from '../../src/corpus/clean.js';
import {
  chunkDocument,
  countWords,
  DEFAULT_CHUNK_OPTIONS,
  type ChunkOptions,
} from '../../src/ingest/chunk.js';
import { splitSentences } from '../../src/text/sentences.js';
import type { Chunk, CleanDoc } from '../../src/types.js';

const CORPUS = path.resolve(import.meta.dirname, '../../corpus');
const FILES = readdirSync(CORPUS)
  .filter((f) => f.endsWith('.txt'))
  .sort();
const DOCS = FILES.map((f) => cleanDocument(f, readFileSync(path.join(CORPUS, f), 'utf8')));
const CHUNKS = new Map(DOCS.map((d) => [d.file, chunkDocument(d)]));
const chunksOf = (prefix: string): Chunk[] =>
  [...CHUNKS.entries()].find(([f]) => f.startsWith(prefix))?.[1] ?? [];

const TOP_LEVEL = [
  'Klinische vraag',
  'Achtergrond',
  'Samenvatting',
  'Bespreking',
  'Besluit van Minerva',
  'Referenties',
  'Auteurs',
];

function words(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => w.length >= 2);
}
function skeleton(text: string): string {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).join('');
}

/** The invariants every chunking must satisfy, for any document and options. */
function expectValidChunks(doc: CleanDoc, chunks: Chunk[], options: ChunkOptions): void {
  const stem = doc.file.replace(/\.txt$/u, '');
  chunks.forEach((c, i) => {
    expect(c.id).toBe(`${stem}#${i}`);
    expect(c.file).toBe(doc.file);
    expect(c.text).toBe(doc.text.slice(c.cleanStart, c.cleanEnd));
    expect(countWords(c.text)).toBeLessThanOrEqual(options.maxWords);
    const source = doc.original.slice(c.start, c.end);
    expect(source.length).toBeGreaterThan(0);
    expect(isBlankChar(source[0] as string)).toBe(false);
    expect(isBlankChar(source[source.length - 1] as string)).toBe(false);
    // Cleaning the original slice again reproduces the chunk's words.
    const again = skeleton(cleanDocument(doc.file, source).text);
    for (const w of words(c.text))
      if (!again.includes(w)) throw new Error(`"${w}" of ${c.id} not in its original slice`);
    if (i > 0) expect(c.cleanStart).toBeGreaterThan((chunks[i - 1] as Chunk).cleanStart);
  });
  // Coverage: every visible character of the original lies in some chunk's original span.
  const covered = new Uint8Array(doc.original.length);
  for (const c of chunks) covered.fill(1, c.start, c.end);
  for (let i = 0; i < doc.original.length; i++) {
    if (!covered[i] && !isBlankChar(doc.original[i] as string)) {
      throw new Error(`original[${i}] ${JSON.stringify(doc.original.slice(i - 10, i + 10))} is in no chunk`);
    }
  }
}

describe('chunkDocument on the corpus', () => {
  it.each(FILES)('%s: offsets, coverage, word limit, ids', (file) => {
    const doc = DOCS.find((d) => d.file === file) as CleanDoc;
    expectValidChunks(doc, CHUNKS.get(file) ?? [], DEFAULT_CHUNK_OPTIONS);
  });

  it('is stable across runs', () => {
    for (const doc of DOCS)
      expect(chunkDocument(cleanDocument(doc.file, doc.original))).toEqual(CHUNKS.get(doc.file));
  });

  it('ends every chunk on a sentence boundary', () => {
    for (const doc of DOCS) {
      const ends = new Set(splitSentences(doc.text).map((s) => s.end));
      for (const c of CHUNKS.get(doc.file) ?? []) expect(ends.has(c.cleanEnd), c.id).toBe(true);
    }
  });

  it('gives Minerva chunks nested section paths and roles', () => {
    const running = chunksOf('000');
    const sections = running.map((c) => c.section.join(' > '));
    expect(sections).toContain('Klinische vraag');
    expect(sections).toContain('Samenvatting > Resultaten');
    expect(sections).toContain('Bespreking > Beoordeling van de methodologie');
    expect(sections).toContain('Bespreking > Wat zeggen de richtlijnen voor de klinische praktijk?');
    expect(running.find((c) => c.section[0] === 'Besluit van Minerva')?.text).toContain(
      'Bovendien haalden de resultaten de vooraf vastgelegde minimale klinisch relevante drempelwaarden niet.',
    );
    const results = running.filter((c) => c.section.join(' > ') === 'Samenvatting > Resultaten');
    expect(results.map((c) => c.text).join(' ')).toContain('p=0,038');

    const cochrane = chunksOf('001');
    expect(cochrane.find((c) => c.section.join(' > ') === 'Besluit van Minerva')?.text).toContain(
      'kan de noodzaak van oefentherapie voor deze populatie in twijfel getrokken worden',
    );
    expect(cochrane.filter((c) => c.section[0] === 'Referenties').every((c) => c.role === 'references')).toBe(
      true,
    );
    expect(cochrane.find((c) => c.section[0] === 'Auteurs')?.role).toBe('authors');
    expect(
      cochrane.find((c) => c.text.includes('De auteurs hebben geen financiering ontvangen')),
    ).toMatchObject({
      section: ['Samenvatting', 'Financiering van de studie'],
      role: 'authors',
    });
    expect(chunksOf('002').find((c) => c.section[0] === 'Referenties')?.role).toBe('references');
    for (const c of [...CHUNKS.values()].flat()) {
      if (c.role === 'body')
        expect(c.section.join(' '), c.id).not.toMatch(/Referenties|Auteurs|Financiering/u);
    }
  });

  it('uses the KCE and practice-article headings as sections', () => {
    const kce = chunksOf('004').map((c) => c.section.join(' > '));
    expect(kce).toContain('Zelfzorg is de basis');
    expect(kce).toContain('Belangrijkste advies: bewegen!');
    expect(kce).toContain('Voorzichtigheid geboden bij rode vlaggen');
    expect(kce).toContain('Terugkeer naar het werk aanmoedigen vanaf dag één');
    expect(chunksOf('002').map((c) => c.section.join(' > '))).toContain(
      'Wanneer kan manuele therapie een meerwaarde zijn?',
    );
    // Text before the first heading: the preamble, section [].
    expect(chunksOf('004')[0]).toMatchObject({ section: [], role: 'body' });
    expect(chunksOf('004')[0]?.text).toContain('De richtlijn bevat 37 aanbevelingen');
    expect(chunksOf('003')[0]?.section).toEqual([]);
  });

  it('merges a short section into the next one of the same top-level section', () => {
    const merged = chunksOf('001').find((c) => c.text.includes('Cochrane systematische review (8).'));
    expect(merged?.section).toEqual(['Samenvatting', 'Methodologie']);
    expect(merged?.text).toContain('Geraadpleegde bronnen');
    // The short title is prefixed to the first section rather than left as a tiny chunk.
    expect(chunksOf('000')[0]?.section).toEqual(['Klinische vraag']);
    expect(chunksOf('000')[0]?.text.startsWith('Werkzaamheid van hardlopen')).toBe(true);
  });

  it('never lets a chunk cross a top-level section', () => {
    for (const c of [...CHUNKS.values()].flat()) {
      const headings = c.text.split(/\n\n/u).filter((p) => TOP_LEVEL.includes(p.replace(/[\s:?]+$/u, '')));
      expect(headings.length, c.id).toBeLessThanOrEqual(1);
      if (headings.length === 1) expect(c.section[0], c.id).toBe(headings[0]?.trim());
    }
  });

  it('repeats one sentence between consecutive chunks of a split section', () => {
    const all = [...CHUNKS.values()].flat();
    let pairs = 0;
    for (let i = 1; i < all.length; i++) {
      const [a, b] = [all[i - 1] as Chunk, all[i] as Chunk];
      if (a.file !== b.file || a.section.join('>') !== b.section.join('>')) continue;
      pairs++;
      expect(b.cleanStart, b.id).toBeLessThan(a.cleanEnd);
      const overlap = a.text.slice(a.text.length - (a.cleanEnd - b.cleanStart));
      expect(splitSentences(overlap)).toHaveLength(1);
      expect(b.text.startsWith(overlap)).toBe(true);
    }
    expect(pairs).toBeGreaterThan(5);
  });
});

describe('chunkDocument options', () => {
  const doc = cleanDocument(
    't.txt',
    [
      'Titel van het stuk',
      '',
      'Samenvatting',
      '',
      'Resultaten',
      '',
      `${'De pijn daalde duidelijk na zes weken oefentherapie. '.repeat(12)}`,
      '',
      'Bespreking',
      '',
      `Een zeer lange zin ${'met heel veel woorden '.repeat(30)}zonder einde.`,
    ].join('\n'),
  );

  it('cuts a sentence longer than maxWords at word boundaries', () => {
    const options = { minWords: 5, maxWords: 20, overlapSentences: 1 };
    const chunks = chunkDocument(doc, options);
    expectValidChunks(doc, chunks, options);
    const discussion = chunks.filter((c) => c.section[0] === 'Bespreking');
    expect(discussion.length).toBeGreaterThanOrEqual(6);
    for (const c of discussion) expect(countWords(c.text)).toBeLessThanOrEqual(20);
    expect(chunks[0]?.section).toEqual(['Samenvatting', 'Resultaten']);
  });

  it('rejects invalid options with config_error', () => {
    for (const bad of [
      { minWords: 50, maxWords: 10, overlapSentences: 1 },
      { minWords: 0, maxWords: 0, overlapSentences: 0 },
      { minWords: 1, maxWords: 10, overlapSentences: -1 },
      { minWords: 1.5, maxWords: 10, overlapSentences: 0 },
    ]) {
      expect(() => chunkDocument(doc, bad)).toThrow(expect.objectContaining({ code: 'config_error' }));
    }
  });

  it('returns no chunks for an empty document', () => {
    expect(chunkDocument(cleanDocument('leeg.txt', ' \n \n'))).toEqual([]);
  });

  it('counts words as tokens with a letter or digit', () => {
    expect(countWords('• De pijn — daalde (p<0,05) met 2,5 punten.')).toBe(7);
  });
});

/** Random Dutch-like documents: words, sentence ends, headings, bullets, OCR damage and hyphenated breaks. */
const dutchDoc = fc
  .array(
    fc.oneof(
      {
        weight: 12,
        arbitrary: fc.constantFrom(
          'rugpijn ',
          'de ',
          'van ',
          'patiënten ',
          'behandeling ',
          'oefentherapie ',
          'Pijn ',
        ),
      },
      {
        weight: 4,
        arbitrary: fc.constantFrom('. ', '? ', '.\n', '.\n\n', ': ', '(1,2). ', '2,5 ', 'n=40 ', 'bv. '),
      },
      {
        weight: 3,
        arbitrary: fc.constantFrom(
          '\ne ',
          '\no ',
          '\n• ',
          '\n1. ',
          'be-\nhandeling ',
          'lage-\nrugpijn ',
          '\n\n',
        ),
      },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          '\n\nResultaten\n\n',
          '\n\nSamenvatting\n\n',
          '\n\nReferenties\n\n',
          '\n\nZelfzorg is de basis\n\n',
        ),
      },
      { weight: 1, arbitrary: fc.constantFrom('patiénten ', '£ ', 'cxclusie ', '\u00a0', '  ', 'e\u0301 ') },
    ),
    { maxLength: 300 },
  )
  .map((parts) => parts.join(''));

const options = fc
  .record({
    maxWords: fc.integer({ min: 3, max: 60 }),
    minRatio: fc.double({ min: 0, max: 1, noNaN: true }),
    overlapSentences: fc.integer({ min: 0, max: 2 }),
  })
  .map(({ maxWords, minRatio, overlapSentences }) => ({
    maxWords,
    minWords: Math.floor(minRatio * maxWords),
    overlapSentences,
  }));

describe('chunkDocument properties', () => {
  it('covers every visible character, slices the original and respects maxWords on random Dutch-like text', () => {
    fc.assert(
      fc.property(dutchDoc, options, (text, opts) => {
        const doc = cleanDocument('random.txt', text);
        const chunks = chunkDocument(doc, opts);
        expectValidChunks(doc, chunks, opts);
        expect(chunkDocument(doc, opts)).toEqual(chunks);
      }),
      { numRuns: 200 },
    );
  });
});
