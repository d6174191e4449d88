import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { numbersIn, verifySentences, type DraftSentence, type Passage } from '../../src/answer/verify.js';

/** A small stand-in for the analyzer: lower case, stopwords out, crude suffix stemming. */
const STOP = new Set(
  (
    'de het een en van in op bij voor met is zijn was waren er dat die dit deze na tot dan ook zo niet geen te om aan of als ' +
    'werd werden wordt worden kan moet the a an and of in on at for with is are was were'
  ).split(' '),
);
function contentTerms(text: string): string[] {
  return (text.toLowerCase().match(/\p{L}+/gu) ?? [])
    .filter((w) => !STOP.has(w))
    .map((w) => (w.length > 5 ? w.replace(/(en|e|s)$/u, '') : w));
}

const passages: Passage[] = [
  {
    n: 1,
    text: 'De deelnemers volgden gedurende 12 weken een digitaal loop- en wandelprogramma. In totaal namen 40 deelnemers deel; hun gemiddelde leeftijd was 33 jaar.',
  },
  {
    n: 2,
    text: 'Oefentherapie bij acute lagerugpijn toonde geen klinisch relevant voordeel op vlak van pijn. Het verschil bedroeg 2,5 punten op een schaal van 100.',
  },
  {
    n: 3,
    text: 'In de afgelopen twaalf maanden kampte één Belg op de vijf met rugpijn. De review omvatte 2 674 deelnemers.',
  },
];

const verify = (draft: DraftSentence[], options?: { minOverlap?: number }) =>
  verifySentences(draft, passages, contentTerms, options);

describe('verifySentences', () => {
  it('keeps a cited sentence that the passage supports', () => {
    const s = { text: 'Het loop- en wandelprogramma duurde 12 weken.', cites: [1] };
    expect(verify([s])).toEqual({ kept: [s], dropped: [] });
  });

  it('drops an uncited sentence', () => {
    const s = { text: 'Wandelen helpt altijd tegen rugpijn.', cites: [] };
    expect(verify([s]).dropped).toEqual([{ sentence: s, reason: 'uncited' }]);
  });

  it('drops a sentence citing a passage number that does not exist', () => {
    const s = { text: 'Het programma duurde 12 weken.', cites: [1, 7] };
    expect(verify([s]).dropped).toEqual([{ sentence: s, reason: 'unknown-citation' }]);
  });

  it('drops a sentence whose content words are not in its cited passages', () => {
    const s = { text: 'Een lendenkorset vermindert rugpijn duidelijk.', cites: [1] };
    expect(verify([s]).dropped).toEqual([{ sentence: s, reason: 'no-overlap' }]);
  });

  it('checks overlap against the cited passages only, not the others', () => {
    // The words are in passage 2, but the sentence cites passage 1.
    const s = { text: 'Oefentherapie bij acute lagerugpijn toonde geen voordeel.', cites: [1] };
    expect(verify([s]).dropped[0]?.reason).toBe('no-overlap');
    expect(verify([{ ...s, cites: [1, 2] }]).kept).toHaveLength(1);
  });

  it('drops a sentence stating a number that is not in its cited passages', () => {
    const wrong = { text: 'Het loop- en wandelprogramma duurde 15 weken.', cites: [1] };
    expect(verify([wrong]).dropped).toEqual([{ sentence: wrong, reason: 'number-not-in-source' }]);
    // 2,5 is in passage 2, not in passage 1.
    expect(
      verify([{ text: 'Het programma verbeterde de pijn met 2,5 punten.', cites: [1] }]).dropped[0]?.reason,
    ).toBe('number-not-in-source');
  });

  it('accepts numbers written differently from the passage', () => {
    const kept = verify([
      { text: 'Het verschil bedroeg 2.5 punten op de pijnschaal.', cites: [2] },
      { text: 'Het programma duurde twaalf weken voor de deelnemers.', cites: [1] },
      { text: 'Eén Belg op 5 kampte de afgelopen 12 maanden met rugpijn.', cites: [3] },
      { text: 'De review omvatte 2674 deelnemers.', cites: [3] },
      { text: 'De review omvatte 2.674 deelnemers.', cites: [3] },
    ]);
    expect(kept.dropped).toEqual([]);
  });

  it('ignores citation markers when reading numbers and terms', () => {
    const s = { text: 'In totaal namen 40 deelnemers deel [1].', cites: [1] };
    expect(verify([s]).kept).toEqual([s]);
  });

  it('uses the overlap threshold: default half of the terms, configurable', () => {
    // 5 content terms, only "deelnemer" is in passage 1.
    const s = { text: 'Deelnemers liepen vaak wekelijks buiten.', cites: [1] };
    expect(contentTerms(s.text).filter((t) => contentTerms(passages[0]?.text ?? '').includes(t))).toEqual([
      'deelnemer',
    ]);
    expect(verify([s]).dropped[0]?.reason).toBe('no-overlap');
    expect(verify([s], { minOverlap: 0.2 }).kept).toHaveLength(1);
    expect(verify([s], { minOverlap: 0.21 }).kept).toHaveLength(0);
  });

  it('counts equivalents (e.g. English → Dutch) as shared terms when given', () => {
    const s = { text: 'The participants followed a digital walking programme.', cites: [1] };
    expect(verify([s]).dropped[0]?.reason).toBe('no-overlap');
    // Keys are the stand-in analyzer's terms of the English words.
    const dutch: Record<string, string[]> = {
      participant: ['deelnemer'],
      followed: ['volgd'],
      digital: ['digitaal'],
      walking: ['wandelprogramma'],
    };
    const r = verifySentences([s], passages, contentTerms, { equivalents: (t) => dutch[t] ?? [] });
    expect(r.kept).toEqual([s]);
  });

  it('a sentence without content terms never passes', () => {
    const s = { text: 'Dat is zo. [1]', cites: [1] };
    expect(verify([s], { minOverlap: 0 }).dropped[0]?.reason).toBe('no-overlap');
  });

  it('keeps draft order and reports every dropped sentence', () => {
    const a = { text: 'In totaal namen 40 deelnemers deel.', cites: [1] };
    const b = { text: 'Dit staat nergens.', cites: [] };
    const c = { text: 'De review omvatte 2 674 deelnemers.', cites: [3] };
    const r = verify([a, b, c]);
    expect(r.kept).toEqual([a, c]);
    expect(r.dropped.map((d) => d.sentence)).toEqual([b]);
  });

  it('a verbatim sentence of a passage, cited, is always kept (property)', () => {
    const sentences = passages.flatMap((p) => p.text.split(/(?<=\.)\s+/).map((text) => ({ text, n: p.n })));
    fc.assert(
      fc.property(fc.constantFrom(...sentences), fc.constantFrom('', ' [1]', ' [2][3]'), (s, marker) => {
        expect(verify([{ text: s.text + marker, cites: [s.n] }]).kept).toHaveLength(1);
      }),
    );
  });

  it('changing a number in a supported sentence makes it fail (property)', () => {
    const s = 'In totaal namen 40 deelnemers deel.';
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000 }).filter((n) => ![40, 12, 33].includes(n)),
        (n) => {
          const r = verify([{ text: s.replace('40', String(n)), cites: [1] }]);
          expect(r.dropped[0]?.reason).toBe('number-not-in-source');
        },
      ),
    );
  });
});

describe('numbersIn', () => {
  it('normalizes decimal comma and point', () => {
    expect(numbersIn('2,5 punten')).toEqual(['2.5']);
    expect(numbersIn('2.5 points')).toEqual(['2.5']);
    expect(numbersIn('0,50 en 1,0')).toEqual(['0.5', '1']);
  });

  it('joins thousands groups and reads a lone dot with three digits as thousands', () => {
    expect(numbersIn('2 674 deelnemers')).toEqual(['2674']);
    expect(numbersIn('1.000.000 mensen')).toEqual(['1000000']);
    expect(numbersIn('1.234,5 euro')).toEqual(['1234.5']);
    expect(numbersIn('2.674 deelnemers')).toEqual(['2674']);
  });

  it('ignores citation markers but keeps other bracketed or glued numbers', () => {
    expect(numbersIn('Na 12 weken [1] en 6 maanden [2, 3].')).toEqual(['12', '6']);
    expect(numbersIn('Een score van 39% (1,2)')).toEqual(['39', '1.2']);
  });

  it('reads Dutch and English number words, but not the article "een"', () => {
    expect(numbersIn('twaalf weken en drie sessies')).toEqual(['12', '3']);
    expect(numbersIn('vijfentwintig deelnemers')).toEqual(['25']);
    expect(numbersIn('twelve weeks, one of the trials')).toEqual(['12']);
    expect(numbersIn('een studie')).toEqual([]);
    expect(numbersIn('één op de 10')).toEqual(['10', '1']);
  });

  it('drops leading zeros and keeps separate numbers of a range apart', () => {
    expect(numbersIn('007 en 12-16 weken')).toEqual(['7', '12', '16']);
  });
});
