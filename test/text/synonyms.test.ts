import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../src/text/analyze.js';
import { loadDefaultSynonyms, parseSynonymTable } from '../../src/text/synonyms.js';

const table = loadDefaultSynonyms();
const analyzer = createAnalyzer({ synonyms: table });
const first = (text: string): string => analyzer.terms(text)[0] ?? '';
const expands = (query: string): Set<string> => new Set(analyzer.queryTerms(query).map((w) => w.term));

describe('bundled synonym table', () => {
  it('has unique ids and usable entries', () => {
    expect(new Set(table.groups.map((g) => g.id)).size).toBe(table.groups.length);
    for (const g of table.groups) {
      for (const entry of [...g.nl, ...g.en, ...g.related]) {
        // An entry made only of stopwords would never match anything.
        expect(analyzer.contentTerms(entry), `${g.id}: ${entry}`).not.toEqual([]);
        // A phrase must keep at least two words after stopword removal, or it degrades into one generic word.
        const words = entry.split(/\s+/);
        if (words.length > 1) {
          const kept = words.filter((w) => analyzer.terms(w).length > 0);
          expect(kept.length, `${g.id}: ${entry}`).toBeGreaterThanOrEqual(2);
        }
      }
    }
  });

  // [query, Dutch word whose term the expansion must contain]
  it.each([
    ['kinesitherapeuten', 'fysiotherapie'],
    ['fysiotherapeut', 'kinesitherapie'],
    ['physiotherapy', 'kinesitherapie'],
    ['joggen', 'hardlopen'],
    ['running', 'hardlopen'],
    ['MRI', 'beeldvorming'],
    ['radiografie', 'beeldvorming'],
    ['röntgenfoto', 'scan'],
    ['x-ray', 'radiografie'],
    ['NSAID', 'ontstekingsremmers'],
    ['anti-inflammatory', 'nsaid'],
    ['LRP', 'lagerugpijn'],
    ['low back pain', 'lagerugpijn'],
    ['sciatica', 'ischias'],
    ['radiculaire pijn', 'ischias'],
    ['bed rest', 'bedrust'],
    ['exercise therapy', 'oefentherapie'],
    ['lichaamsbeweging', 'oefeningen'],
    ['surgery', 'chirurgie'],
    ['operatie', 'chirurgie'],
    ['painkiller', 'pijnstiller'],
    ['paracetamol', 'pijnstiller'],
    ['opioid', 'opioïden'],
    ['antidepressant', 'antidepressiva'],
    ['injection', 'injectie'],
    ['infiltratie', 'injectie'],
    ['chiropractie', 'manipulatie'],
    ['spinal manipulation', 'manipulatie'],
    ['return to work', 'werkhervatting'],
    ['brace', 'korset'],
    ['acute', 'acuut'],
    ['chronic', 'chronische'],
    ['effective', 'werkzaam'],
    ['helpt', 'effectief'],
    ['red flags', 'alarmsignalen'],
    ['rode vlaggen', 'alarmsignaal'],
    ['reassurance', 'geruststelling'],
    ['participants', 'deelnemers'],
    ['pain', 'pijn'],
    ['back', 'rug'],
    ['exercise', 'oefening'],
    ['treatment', 'behandeling'],
    ['guideline', 'richtlijn'],
    ['walking', 'wandelen'],
    ['study', 'studie'],
    ['trial', 'studie'],
    ['medication', 'medicatie'],
    ['surgeon', 'chirurg'],
    ['weakness', 'krachtverlies'],
  ])('"%s" expands to "%s"', (query, dutch) => {
    expect(expands(query)).toContain(first(dutch));
  });
});

describe('parseSynonymTable', () => {
  it('accepts a minimal table and fills defaults', () => {
    expect(parseSynonymTable({ groups: [{ id: 'a', nl: ['rug'] }] })).toEqual({
      groups: [{ id: 'a', nl: ['rug'], en: [], related: [] }],
    });
  });

  it.each([
    ['not an object', 42],
    ['no groups', {}],
    ['empty groups', { groups: [] }],
    ['group without Dutch terms', { groups: [{ id: 'a', nl: [] }] }],
    ['empty entry', { groups: [{ id: 'a', nl: ['  '] }] }],
    ['unknown field', { groups: [{ id: 'a', nl: ['rug'], fr: ['dos'] }] }],
    [
      'duplicate ids',
      {
        groups: [
          { id: 'a', nl: ['rug'] },
          { id: 'a', nl: ['nek'] },
        ],
      },
    ],
  ])('rejects %s with config_error', async (_label, json) => {
    await expect(Promise.resolve().then(() => parseSynonymTable(json))).rejects.toMatchObject({
      code: 'config_error',
    });
  });
});
