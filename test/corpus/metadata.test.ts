import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_AUTHORITY,
  deriveMetadata,
  findDate,
  loadMetadataPatterns,
  normalizeDate,
} from '../../src/corpus/metadata.js';

const patterns = loadMetadataPatterns();
const derive = (text: string, explicit = {}, hints = {}) =>
  deriveMetadata({ file: 'x.txt', text, hints }, explicit, patterns);

describe('metadata-patterns.json', () => {
  it('has a one-line why per entry and compiling regexes', () => {
    for (const e of [...patterns.kinds, ...patterns.publishers]) {
      expect(e.why.length).toBeGreaterThan(10);
      expect(e.why).not.toContain('\n');
    }
  });
});

describe('findDate', () => {
  it('reads Dutch and ISO dates, day before month', () => {
    expect(findDate('Gepubliceerd op 20 juni 2025.')).toBe('2025-06-20');
    expect(findDate('Brussel, 20-06-2025')).toBe('2025-06-20');
    expect(findDate('20/06/2025')).toBe('2025-06-20');
    expect(findDate('Datum: 2024-02-29')).toBe('2024-02-29');
    expect(findDate('Uitgave maart 2023')).toBe('2023-03');
    expect(findDate('3 sept. 2022')).toBe('2022-09-03');
  });

  it('prefers a date after a cue word over an earlier date', () => {
    expect(findDate('Een studie uit 12 mei 2019 toonde... Laatst herzien op 1 oktober 2024.')).toBe(
      '2024-10-01',
    );
  });

  it('ignores impossible dates and finds none in plain prose', () => {
    expect(findDate('31-02-2024 en 45 juni 2020')).toBeUndefined();
    expect(findDate('Rugpijn gaat meestal vanzelf over.')).toBeUndefined();
    expect(normalizeDate('2025-06-20T09:00:00+02:00')).toBe('2025-06-20');
    expect(normalizeDate('2025-13-01')).toBeUndefined();
  });

  it('always returns a real ISO date or nothing (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 60 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 14 }),
        (s, d, m) => {
          const found = findDate(`${s} ${d}-${m}-2024`);
          if (found === undefined) return;
          const [y, mo, day] = found.split('-').map(Number);
          expect(mo).toBeGreaterThanOrEqual(1);
          expect(mo).toBeLessThanOrEqual(12);
          if (day !== undefined)
            expect(new Date(Date.UTC(y as number, (mo as number) - 1, day)).getUTCDate()).toBe(day);
        },
      ),
    );
  });
});

describe('deriveMetadata', () => {
  it('recognises kinds and publishers from title and head', () => {
    expect(derive('NHG-Standaard Lage rugpijn\n\nDeze standaard ...')).toMatchObject({
      kind: 'guideline',
      label: 'NHG-richtlijn',
      authority: 1,
    });
    expect(derive('Duiding van een Cochrane-review\n\nKlinische vraag ...')).toMatchObject({
      kind: 'evidence-summary',
      authority: 2,
    });
    expect(derive('Rugpijn kost miljarden, blijkt uit onderzoek\n\n(Belga) ...')).toMatchObject({
      kind: 'news',
      authority: 4,
    });
    expect(derive('Lage rugpijn\n\nInformatie van UZ Leuven over ...')).toMatchObject({
      kind: 'unknown',
      publisher: 'UZ Leuven',
      label: 'document van UZ Leuven',
    });
  });

  it('gives an unrecognisable document kind unknown, ranked below guidelines and evidence summaries', () => {
    const m = derive('Over de rug\n\nTekst zonder kenmerken.');
    expect(m).toMatchObject({
      title: 'Over de rug',
      kind: 'unknown',
      publisher: 'onbekend',
      label: 'document',
    });
    expect(m.authority).toBeGreaterThan(DEFAULT_AUTHORITY['evidence-summary']);
    expect(m.authority).toBeLessThan(DEFAULT_AUTHORITY.news);
    expect(m.derived).toEqual(['title', 'kind', 'publisher', 'authority', 'label']);
  });

  it('lets explicit fields win and marks only the rest as derived; document hints beat patterns', () => {
    const m = derive(
      'NHG-Standaard\n\n1 januari 2020',
      { kind: 'news', title: 'Eigen titel' },
      { publisher: 'Eigen uitgever' },
    );
    expect(m).toMatchObject({
      title: 'Eigen titel',
      kind: 'news',
      authority: 4,
      publisher: 'Eigen uitgever',
      date: '2020-01-01',
    });
    expect(m.derived).toEqual(['publisher', 'date', 'authority', 'label']);
  });
});

describe('findDate datelines', () => {
  it('does not take a date the text mentions in passing or in a reference', () => {
    expect(
      findDate(
        'Titel\n\nDe klachten stegen met 20% volgens een enquête van 21 mei 2024 bij duizend werknemers in België.',
      ),
    ).toBeUndefined();
    expect(findDate('Titel\n\nKlachten nemen toe (VRT NWS 21 mei 2024).')).toBeUndefined();
    expect(findDate('Titel\n\n12 maart 2024 — Door de redactie\n\nTekst.')).toBe('2024-03-12');
  });
});

describe('hospital publishers', () => {
  it('takes a named hospital, never "het ziekenhuis"', () => {
    expect(derive('Rugschool in het ziekenhuis\n\nHet ziekenhuis biedt een rugschool aan.').publisher).toBe('onbekend');
    expect(derive('Rugschool\n\nInformatie van Ziekenhuis Rivierenland over de rugschool.').publisher).toBe('Ziekenhuis Rivierenland');
    expect(derive('Rugschool\n\nDe Rijnstate Ziekenhuis rugschool.').publisher).toBe('Rijnstate Ziekenhuis');
  });
});
