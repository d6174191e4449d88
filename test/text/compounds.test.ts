import fc from 'fast-check';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { createCompoundSplitter, DOMAIN_MORPHEMES } from '../../src/text/compounds.js';

const require = createRequire(import.meta.url);
const snowball = require('snowball-stemmers') as { newStemmer(l: string): { stem(w: string): string } };
const dutch = snowball.newStemmer('dutch');
const stem = (w: string): string => dutch.stem(w);
const splitter = createCompoundSplitter(stem);

/** Parts as "surface+linker" strings, for readable expectations. */
const shape = (word: string): string[] | undefined =>
  splitter.split(word)?.map((p) => (p.linker === '' ? p.surface : `${p.surface}+${p.linker}`));

describe('compound splitting with the domain lexicon', () => {
  it.each([
    ['oefentherapie', ['oefen', 'therapie']],
    ['kinesitherapie', ['kinesi', 'therapie']],
    ['wervelkolom', ['wervel', 'kolom']],
    ['rugklachten', ['rug', 'klachten']],
    ['zelfzorg', ['zelf', 'zorg']],
    ['looptraining', ['loop', 'training']],
    ['lagerugpijn', ['lage', 'rug', 'pijn']],
    ['rugpijn', ['rug', 'pijn']],
    ['lichaamsbeweging', ['lichaam+s', 'beweging']],
    ['levenskwaliteit', ['leven+s', 'kwaliteit']],
    ['rugklachtenspecifieke', ['rug', 'klacht+en', 'specifieke']],
  ])('splits %s', (word, parts) => {
    expect(shape(word)).toEqual(parts);
  });

  it('gives each part the term of its free word, so parts meet free words', () => {
    const parts = splitter.split('oefentherapie');
    expect(parts?.[0]?.term).toBe(stem('oefeningen'));
    expect(splitter.split('nekklachten')?.at(-1)?.term).toBe(stem('klacht'));
    expect(splitter.split('huisartsen')?.at(-1)?.term).toBe(splitter.split('huisarts')?.at(-1)?.term);
  });

  it.each([
    'patienten',
    'behandeling',
    'behandelingen',
    'therapie',
    'oefeningen',
    'klachten',
    'ruggengraat',
    'pijnlijk',
    'pijnlijke',
    'werkzaam',
    'onderzoek',
    'programma',
    'gerandomiseerde',
    'verschillende',
  ])('leaves %s whole', (word) => {
    expect(splitter.split(word)).toBeUndefined();
  });

  it('is data-driven: a different lexicon splits different words', () => {
    const own = createCompoundSplitter(stem, [{ form: 'fiets' }, { form: 'pad' }, { form: 'ab' }]);
    expect(own.split('fietspad')?.map((p) => p.surface)).toEqual(['fiets', 'pad']);
    expect(own.split('fietspaden')?.map((p) => p.surface)).toEqual(['fiets', 'paden']);
    expect(own.split('rugpijn')).toBeUndefined();
    // Parts shorter than three letters are never used.
    expect(own.split('abpad')).toBeUndefined();
  });

  it('lexicon forms are folded lowercase letters of at least three characters', () => {
    for (const m of DOMAIN_MORPHEMES) expect(m.form).toMatch(/^[a-z]{3,}$/);
  });

  it('parts (with linkers) always spell the word and are at least three letters', () => {
    const forms = DOMAIN_MORPHEMES.map((m) => m.form);
    const word = fc
      .tuple(
        fc.array(fc.tuple(fc.constantFrom(...forms), fc.constantFrom('', 's', 'e', 'en')), { maxLength: 3 }),
        fc.constantFrom(...forms, 'klachten', 'behandelingen'),
      )
      .map(([mods, head]) => mods.map(([f, l]) => f + l).join('') + head);
    fc.assert(
      fc.property(fc.oneof(word, fc.string({ maxLength: 30 })), (w) => {
        const parts = splitter.split(w);
        if (parts === undefined) return;
        expect(parts.length).toBeGreaterThanOrEqual(2);
        expect(parts.map((p) => p.surface + p.linker).join('')).toBe(w);
        for (const p of parts) {
          expect(p.surface.length).toBeGreaterThanOrEqual(3);
          expect(p.term.length).toBeGreaterThan(0);
        }
        expect(parts.at(-1)?.linker).toBe('');
      }),
      { numRuns: 300 },
    );
  });
});
