import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitSentences } from '../../src/text/sentences.js';

const split = (text: string): string[] => splitSentences(text).map((s) => text.slice(s.start, s.end));

describe('splitSentences', () => {
  it('splits plain Dutch sentences on . ? and !', () => {
    expect(split('Rugpijn gaat meestal vanzelf over. Blijf bewegen! Helpt rust? Nee.')).toEqual([
      'Rugpijn gaat meestal vanzelf over.',
      'Blijf bewegen!',
      'Helpt rust?',
      'Nee.',
    ]);
  });

  it('does not split after Dutch and Latin abbreviations', () => {
    for (const s of [
      'Dit geldt bv. Voor patiënten met lage rugpijn.',
      'Denk bijv. aan wandelen of fietsen.',
      'Er zijn o.a. oefeningen en educatie nodig.',
      'Volgens dr. Peeters en prof. Janssens helpt bewegen.',
      'De uitkomst, i.e. Pijn op de VAS, daalde.',
      'Oefentherapie vs. Placebo gaf geen verschil.',
      'Zie fig. 2 en tabel nr. 3 voor de resultaten.',
      'Vergelijk cf. Hoofdstuk 4 over chronische pijn.',
      'Er deden ca. 40 volwassenen mee.',
      'Hayden et al. Toonden dit eerder aan.',
      'De behandeling i.f.v. Het risico op chroniciteit.',
    ]) {
      expect(split(s), s).toEqual([s]);
    }
  });

  it('splits after enz. / etc. when a new sentence starts with a capital', () => {
    expect(split('Pijn, stijfheid, enz. De behandeling is eenvoudig.')).toEqual([
      'Pijn, stijfheid, enz.',
      'De behandeling is eenvoudig.',
    ]);
    expect(split('Pijn, stijfheid, enz. zijn typisch.')).toEqual(['Pijn, stijfheid, enz. zijn typisch.']);
  });

  it('keeps decimals, n=…, p<… and citations inside the sentence', () => {
    expect(
      split('De pijn daalde met 2,5 punten (p<0,05). Het effect was 0.3 SD bij n=40 deelnemers.'),
    ).toEqual(['De pijn daalde met 2,5 punten (p<0,05).', 'Het effect was 0.3 SD bij n=40 deelnemers.']);
    expect(
      split('Wandelen vermindert recidieven (1,2). Een andere studie vond niets (3-5). Zie ook (11-13).'),
    ).toEqual([
      'Wandelen vermindert recidieven (1,2).',
      'Een andere studie vond niets (3-5).',
      'Zie ook (11-13).',
    ]);
    expect(split('Het verschil was -15,30 punten (95% BI -25,33 tot -5,27; p=0,003).')).toHaveLength(1);
  });

  it('does not split after initials or a list number at the start of a line', () => {
    expect(split('Volgens David D. Clarke is dat zo.')).toEqual(['Volgens David D. Clarke is dat zo.']);
    expect(
      split(
        '1. Hartvigsen J, Hancock MJ, et al. What low back pain is. Lancet 2018;391:2356-67.\n2. Foster NE.',
      ),
    ).toEqual([
      '1. Hartvigsen J, Hancock MJ, et al. What low back pain is.',
      'Lancet 2018;391:2356-67.',
      '2. Foster NE.',
    ]);
  });

  it('treats every line as its own sentence: headings and bullets', () => {
    expect(
      split(
        'Resultaten\n\nDe pijn daalde na 12 weken.\n• eerste punt\n• tweede punt: ook pijn\n\nBesluit van Minerva',
      ),
    ).toEqual([
      'Resultaten',
      'De pijn daalde na 12 weken.',
      '• eerste punt',
      '• tweede punt: ook pijn',
      'Besluit van Minerva',
    ]);
  });

  it('keeps closing quotes and brackets with their sentence and does not split before lower case', () => {
    expect(split('"Dit stelde ons in staat om te vergelijken." Daarna volgde meer.')).toEqual([
      '"Dit stelde ons in staat om te vergelijken."',
      'Daarna volgde meer.',
    ]);
    expect(split('"Pijn is echt," zei hij. "Absoluut."')).toEqual([
      '"Pijn is echt," zei hij.',
      '"Absoluut."',
    ]);
    expect(split('Een breuk, een tumor,... Zorgverleners letten op.')).toEqual([
      'Een breuk, een tumor,...',
      'Zorgverleners letten op.',
    ]);
    expect(split('Ze moeten dit uitsluiten ... en ook dan is het zeldzaam.')).toHaveLength(1);
    expect(split('Dat was in 2017. daarna niet meer.')).toHaveLength(1);
  });

  it('returns nothing for blank text and trims spans', () => {
    expect(splitSentences('')).toEqual([]);
    expect(splitSentences(' \n\n  ')).toEqual([]);
    expect(splitSentences('  Rust helpt niet.  ')).toEqual([{ start: 2, end: 18 }]);
  });

  it('always returns ordered, trimmed, non-overlapping spans covering every non-space character', () => {
    const text = fc
      .array(
        fc.oneof(
          fc.constantFrom(
            'rugpijn',
            'De',
            'bv.',
            'et al.',
            'o.a.',
            'enz.',
            '2,5',
            '0.3',
            'n=40',
            '(1,2).',
            'D.',
            '1.',
          ),
          fc.constantFrom(' ', '  ', '\n', '\n\n', '. ', '? ', '! ', '…', '"', '”', ')', '(', '\t', '\r\n'),
          fc.string({ maxLength: 3 }),
        ),
        { maxLength: 60 },
      )
      .map((p) => p.join(''));
    fc.assert(
      fc.property(text, (t) => {
        const spans = splitSentences(t);
        const covered = new Array<boolean>(t.length).fill(false);
        let last = 0;
        for (const { start, end } of spans) {
          expect(start).toBeGreaterThanOrEqual(last);
          expect(end).toBeGreaterThan(start);
          expect(t[start]).toMatch(/\S/u);
          expect(t[end - 1]).toMatch(/\S/u);
          for (let i = start; i < end; i++) covered[i] = true;
          last = end;
        }
        for (let i = 0; i < t.length; i++) if (/\S/u.test(t[i] as string)) expect(covered[i]).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
