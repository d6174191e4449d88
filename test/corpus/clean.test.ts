import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cleanDocument,
  isBlankChar,
  isKnownHeading,
  looksLikeHeading,
  toOriginalSpan,
} from '../../src/corpus/clean.js';
import { splitSentences } from '../../src/text/sentences.js';
import type { CleanDoc } from '../../src/types.js';

const CORPUS = path.resolve(import.meta.dirname, '../../corpus');
const FILES = readdirSync(CORPUS)
  .filter((f) => f.endsWith('.txt'))
  .sort();
const DOCS = FILES.map((f) => cleanDocument(f, readFileSync(path.join(CORPUS, f), 'utf8')));
const doc = (prefix: string): CleanDoc => DOCS.find((d) => d.file.startsWith(prefix)) as CleanDoc;

/** Words (≥ 2 letters/digits) of a text, lower case. */
function words(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => w.length >= 2);
}
/** Letters and digits only: hyphenation and bullets may legitimately differ between two cleanings. */
function skeleton(text: string): string {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).join('');
}

/** Structural invariants of every cleaned document. */
function expectValidMap(d: CleanDoc): void {
  expect(d.map.length).toBe(d.text.length + 1);
  expect(d.map[d.text.length]).toBe(d.original.length);
  for (let i = 1; i < d.map.length; i++) {
    if ((d.map[i] as number) < (d.map[i - 1] as number))
      throw new Error(`map decreases at ${i} in ${d.file}`);
  }
  expect(d.map[0]).toBeGreaterThanOrEqual(0);
}

/** Every sentence maps back to an original span that is trimmed and, cleaned again, has the same words. */
function expectSentencesMapBack(d: CleanDoc): void {
  for (const s of splitSentences(d.text)) {
    const { start, end } = toOriginalSpan(d, s.start, s.end);
    const source = d.original.slice(start, end);
    expect(source.length).toBeGreaterThan(0);
    expect(isBlankChar(source[0] as string)).toBe(false);
    expect(isBlankChar(source[source.length - 1] as string)).toBe(false);
    const again = skeleton(cleanDocument(d.file, source).text);
    for (const w of words(d.text.slice(s.start, s.end))) {
      if (!again.includes(w)) {
        throw new Error(
          `"${w}" of sentence ${JSON.stringify(d.text.slice(s.start, s.end))} not in ${JSON.stringify(source)}`,
        );
      }
    }
  }
}

describe('cleanDocument on the corpus', () => {
  it.each(FILES)('%s: valid offset map, NFC, normalized whitespace', (file) => {
    const d = DOCS.find((x) => x.file === file) as CleanDoc;
    expect(d.original).toBe(readFileSync(path.join(CORPUS, file), 'utf8'));
    expectValidMap(d);
    expect(d.text).toBe(d.text.normalize('NFC'));
    expect(d.text).not.toMatch(/[^\S \n]/u); // only " " and "\n" as whitespace
    expect(d.text).not.toMatch(/ {2}|\n{3}| \n|\n | $|^ /u);
    expect(d.text).not.toMatch(/^\s|\s$/u);
  });

  it.each(FILES)('%s: every sentence maps back to its original text', (file) => {
    expectSentencesMapBack(DOCS.find((x) => x.file === file) as CleanDoc);
  });

  it('repairs OCR damage with rules, everywhere it occurs', () => {
    const all = DOCS.map((d) => d.text).join('\n');
    expect(all).not.toMatch(
      /£|patiént|Patiént|cxclusie|stratificatic|\bgei(?:ndividu|nterpr|ntensi|dentif|rrit)/u,
    );
    expect(doc('000').text).toContain('bij patiënten met chronische niet-specifieke lagerugpijn');
    expect(doc('000').text).toContain('• exclusiecriteria:');
    expect(doc('000').text).toContain('clustergroottes en stratificatie naar geslacht');
    expect(doc('000').text).toContain('39,7 punten (± 21,1)');
    expect(doc('000').text).toContain('22,0 punten (± 9,1)');
    expect(doc('000').text).toContain('(≥5 dagen per week) en een langere duur (≥12 weken)');
    expect(doc('000').text).toContain('-25,33 tot -5,27; p=0,003');
    expect(doc('000').text).toContain('Een geïndividualiseerd en progressief');
    expect(doc('004').text).toContain('Patiënten die een hoger risico lopen');
    expect(doc('004').text).toContain('moeten worden geïdentificeerd');
    expect(doc('004').text).toContain(
      'Ontstekingsremmers (niet-steroïden) zijn een optie, net als zwakwerkende opioïden',
    );
    expect(doc('001').text).toContain('0,2 dagen tot 4,9 dagen');
  });

  it('keeps correct accents, names and real hyphens', () => {
    expect(doc('000').text).toContain('na één jaar');
    expect(doc('001').text).toContain('Université de Liège, Faculté de Psychologie, Logopédie');
    expect(doc('001').text).toContain('Léonard F.');
    expect(doc('004').text).toContain('De KCE-richtlijn beveelt nogmaals aan');
    expect(doc('004').text).toContain('de ‘bio-psycho-sociale’ aard');
    expect(doc('000').text).toContain('recidieven van lage-rugpijn voorkomen');
    expect(doc('000').text).toContain('eerstelijns- of tweedelijnszorg');
  });

  it('turns OCR bullets into "• " and keeps each bullet on its own line', () => {
    const t = doc('000').text;
    expect(t).toContain(
      '\n• volwassenen tussen 18 en 45 jaar met chronische lagerugpijn (die langer dan 12 weken aanhoudt)',
    );
    expect(t).toContain('\n• contra-indicaties voor MRI of lichaamsbeweging');
    expect(t).not.toMatch(/^[eo] /mu);
    // Items of a list that lost its bullets stay separate lines.
    expect(t).toContain('\nsymptomatische radiculopathie\n');
  });

  it('joins hard-wrapped lines into paragraphs and isolates headings', () => {
    expect(
      doc('000').text.startsWith(
        'Werkzaamheid van hardlopen bij de behandeling van chronische niet-specifieke lagerugpijn\n\nKlinische vraag\n\n',
      ),
    ).toBe(true);
    const kce = doc('004').text;
    expect(kce).toContain(
      'mensen met rugpijn moeten in beweging blijven. Ze moeten in de mate van het mogelijke hun dagelijkse activiteiten voortzetten, of zelfs oefeningen uitvoeren.',
    );
    expect(kce).toContain('paar maanden.\n\nVoorzichtigheid geboden bij rode vlaggen\n\nSoms ligt');
    expect(kce).toContain('\n\nTerugkeer naar het werk aanmoedigen vanaf dag één\n\nIn alle gevallen');
    // A sentence cut by a blank line in the OCR is rejoined.
    expect(kce).toContain('de doelstelling zijn. Hier moet het begrip');
    expect(doc('000').text).toContain('Bovendien haalden de resultaten de vooraf vastgelegde');
    expect(doc('001').text).toContain('Duiding van IJzelenberg W, Oosterhuis T');
  });

  it('maps a repaired character back to the damaged original character', () => {
    const d = doc('000');
    const i = d.text.indexOf('(± 21,1)');
    const { start, end } = toOriginalSpan(d, i, i + '(± 21,1)'.length);
    expect(d.original.slice(start, end)).toBe('(£ 21,1)');
    const j = d.text.indexOf('patiënten');
    const span = toOriginalSpan(d, j, j + 'patiënten'.length);
    expect(d.original.slice(span.start, span.end)).toBe('patiénten');
  });
});

describe('cleanDocument rules on Dutch fixtures', () => {
  const clean = (s: string): string => cleanDocument('t.txt', s).text;

  it('repairs broken hyphenation but keeps compound hyphens', () => {
    expect(clean('De be-\nhandeling van rugpijn is eenvoudig.')).toBe(
      'De behandeling van rugpijn is eenvoudig.',
    );
    expect(clean('Het advies van de KCE-\nrichtlijn is duidelijk.')).toBe(
      'Het advies van de KCE-richtlijn is duidelijk.',
    );
    expect(clean('Patiënten uit Noord-\nAmerika deden mee.')).toBe('Patiënten uit Noord-Amerika deden mee.');
    expect(clean('Bij lage-rugpijn en bij lage-\nrugpijn opnieuw.')).toBe(
      'Bij lage-rugpijn en bij lage-rugpijn opnieuw.',
    );
    expect(clean('Een co-\nauteur schreef mee.')).toBe('Een co-auteur schreef mee.');
    expect(clean('De werk-\nnemers bleven thuis.')).toBe('De werknemers bleven thuis.');
  });

  it('normalizes characters: NFC, CRLF, NBSP, tabs, soft hyphens', () => {
    const d = cleanDocument('t.txt', 'De patie\u0308nt\r\nbeweegt\u00a0\tgraag en be\u00adhandeling helpt.');
    expect(d.text).toBe('De patiënt beweegt graag en behandeling helpt.');
    expectValidMap(d);
    const i = d.text.indexOf('ë');
    expect(d.original.slice(d.map[i], d.map[i + 1])).toBe('e\u0308');
  });

  it('keeps real é words and only fixes ié before n/l/r', () => {
    expect(clean('Eén café, één idee en patiénten met financiéle zorgen.')).toBe(
      'Eén café, één idee en patiënten met financiële zorgen.',
    );
  });

  it('produces an empty text for a blank document', () => {
    const d = cleanDocument('t.txt', ' \n\t\u00a0\n');
    expect(d.text).toBe('');
    expect(Array.from(d.map)).toEqual([5]);
    expect(toOriginalSpan(d, 0, 0)).toEqual({ start: 5, end: 5 });
  });
});

describe('toOriginalSpan', () => {
  const d = cleanDocument('t.txt', '  Rugpijn   gaat\nmeestal over.  \n');

  it('trims blank characters and rejects spans outside the text', () => {
    expect(d.text).toBe('Rugpijn gaat meestal over.');
    expect(toOriginalSpan(d, 0, d.text.length)).toEqual({ start: 2, end: 30 });
    expect(d.original.slice(2, 30)).toBe('Rugpijn   gaat\nmeestal over.');
    expect(toOriginalSpan(d, 7, 8)).toEqual({ start: 12, end: 12 }); // a collapsed run of spaces
    expect(() => toOriginalSpan(d, 3, 2)).toThrow(RangeError);
    expect(() => toOriginalSpan(d, 0, d.text.length + 1)).toThrow(RangeError);
  });
});

describe('heading shape', () => {
  it('accepts known and title-like headings', () => {
    for (const h of [
      'Zelfzorg is de basis',
      'Belangrijkste advies: bewegen!',
      'Wat zeggen de richtlijnen voor de klinische praktijk?',
      'Besluit van Minerva',
      'AANVERWANTE ARTIKELEN',
      'Referenties ',
    ]) {
      expect(looksLikeHeading(h), h).toBe(true);
    }
    expect(isKnownHeading('Belangenconflicten van de auteurs')).toBe(true);
  });

  it('rejects clauses, list intros, names, links and long lines', () => {
    for (const h of [
      'We denken hierbij zeker aan de volgende situaties',
      'Sterkste aanbevelingen:',
      'Hoe Vindt Je Een Goede Kinesist',
      'Ergotherapeut, Huisarts, Kinesitherapeut, Verpleegkundige',
      'Duiding van',
      'Link naar de video van Anja Desomer, co-auteur van de studie',
      'specifieke_aspecifieke_lage_rug_pijn',
      'Onderzoeksfonds van de Universiteit van Deakin.',
      '• Actief blijven (advies)',
      '20 06 2025',
    ]) {
      expect(looksLikeHeading(h), h).toBe(false);
    }
  });
});

/** Random Dutch-like documents with the damage the cleaner repairs. */
const dutchText = fc
  .array(
    fc.oneof(
      {
        weight: 10,
        arbitrary: fc.constantFrom(
          'rugpijn',
          'de',
          'van',
          'patiënten',
          'behandeling',
          'KCE',
          'oefentherapie',
          'pijn',
        ),
      },
      {
        weight: 3,
        arbitrary: fc.constantFrom(
          'patiénten',
          '£',
          'cxclusie',
          'stratificatic',
          'geidentificeerd',
          'opioiden',
          'één',
        ),
      },
      { weight: 4, arbitrary: fc.constantFrom(' ', ' ', ' ', '  ', '\t', '\u00a0') },
      {
        weight: 3,
        arbitrary: fc.constantFrom(
          '.',
          '. ',
          '? ',
          '! ',
          ': ',
          ', ',
          '(1,2). ',
          '2,5',
          'n=40',
          'p<0,05',
          '(+ 9,1)',
        ),
      },
      {
        weight: 3,
        arbitrary: fc.constantFrom(
          '\n',
          '\n\n',
          '\r\n',
          '\n ',
          '\ne ',
          '\no ',
          '\n• ',
          '\n1. ',
          'be-\nhandeling',
          'lage-\nrugpijn',
        ),
      },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          '\nResultaten\n',
          '\nBesluit van Minerva\n',
          '\nSamenvatting\n\n',
          'e\u0301',
          '\u00ad',
          '\u200b',
        ),
      },
    ),
    { maxLength: 120 },
  )
  .map((parts) => parts.join(''));

describe('cleanDocument properties', () => {
  it('has a valid map for any string, including arbitrary Unicode', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
        const d = cleanDocument('t.txt', s);
        expectValidMap(d);
        expect(d.text).toBe(d.text.normalize('NFC'));
        expect(d.text).not.toMatch(/[^\S \n]/u);
      }),
      { numRuns: 300 },
    );
  });

  it('maps every sentence of Dutch-like text back to an original span with the same words', () => {
    fc.assert(
      fc.property(dutchText, (s) => {
        const d = cleanDocument('t.txt', s);
        expectValidMap(d);
        expectSentencesMapBack(d);
      }),
      { numRuns: 300 },
    );
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(dutchText, (s) => {
        expect(cleanDocument('t.txt', s)).toEqual(cleanDocument('t.txt', s));
      }),
      { numRuns: 50 },
    );
  });
});
