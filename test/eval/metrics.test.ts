import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  answerWords,
  bottomLine,
  factRecall,
  leadFact,
  medianOf,
  hitAtK,
  ndcgAtK,
  normalizeText,
  numbersIn,
  percentile,
  reciprocalRank,
  refusalCorrect,
  stanceAgreement,
  stanceViolations,
  summarize,
  supportedNumbers,
  type PerQuestionRow,
} from '../../src/eval/metrics.js';

describe('retrieval metrics (binary relevance by file, first occurrence only)', () => {
  // Positions:        1    2    3    4    5    6
  const ranked = ['a', 'a', 'b', 'c', 'a', 'd'];
  const expected = ['b', 'd'];

  it('hit@k', () => {
    expect(hitAtK(ranked, expected, 1)).toBe(0);
    expect(hitAtK(ranked, expected, 2)).toBe(0);
    expect(hitAtK(ranked, expected, 3)).toBe(1);
    expect(hitAtK(ranked, expected, 50)).toBe(1);
    expect(hitAtK([], expected, 5)).toBe(0);
  });

  it('reciprocal rank counts chunk positions, with an optional cutoff', () => {
    expect(reciprocalRank(ranked, expected)).toBeCloseTo(1 / 3, 12);
    expect(reciprocalRank(ranked, ['d'])).toBeCloseTo(1 / 6, 12);
    expect(reciprocalRank(ranked, ['d'], 5)).toBe(0);
    expect(reciprocalRank(ranked, ['x'])).toBe(0);
  });

  it('nDCG@k matches the hand computation', () => {
    // DCG@6 = 1/log2(4) + 1/log2(7) = 0.5 + 0.356207; IDCG = 1 + 1/log2(3) = 1.630930 → 0.524981
    expect(ndcgAtK(ranked, expected, 6)).toBeCloseTo(0.524981, 5);
    // DCG@3 = 0.5 → 0.5 / 1.630930 = 0.306574
    expect(ndcgAtK(ranked, expected, 3)).toBeCloseTo(0.306574, 5);
    // IDCG is capped at k: with k = 1 only one relevant file can count.
    expect(ndcgAtK(['b', 'd'], expected, 1)).toBe(1);
  });

  it('does not count a repeated file twice', () => {
    expect(ndcgAtK(['b', 'b', 'b'], ['b'], 3)).toBe(1);
    // The second 'b' gains nothing, so 'd' missing still costs: 1 / (1 + 1/log2 3) = 0.613147
    expect(ndcgAtK(['b', 'b'], ['b', 'd'], 2)).toBeCloseTo(0.613147, 5);
    // Duplicates in `expected` do not inflate the ideal either.
    expect(ndcgAtK(['b'], ['b', 'b'], 3)).toBe(1);
  });

  it('is not applicable (null) without expected files and rejects a bad k', () => {
    expect(hitAtK(ranked, [], 5)).toBeNull();
    expect(reciprocalRank(ranked, [])).toBeNull();
    expect(ndcgAtK(ranked, [], 5)).toBeNull();
    expect(() => hitAtK(ranked, expected, 0)).toThrow(RangeError);
    expect(() => ndcgAtK(ranked, expected, 2.5)).toThrow(RangeError);
  });

  it('properties: bounds, monotone hit@k, perfect ranking', () => {
    const file = fc.constantFrom('a', 'b', 'c', 'd', 'e');
    fc.assert(
      fc.property(
        fc.array(file, { maxLength: 12 }),
        fc.array(file, { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 12 }),
        (r, e, k) => {
          const n = ndcgAtK(r, e, k) as number;
          const rr = reciprocalRank(r, e, k) as number;
          expect(n).toBeGreaterThanOrEqual(0);
          expect(n).toBeLessThanOrEqual(1 + 1e-12);
          expect(hitAtK(r, e, k)).toBeLessThanOrEqual(hitAtK(r, e, k + 1) as number);
          // A hit within k exactly when the reciprocal rank within k is positive.
          expect(rr > 0).toBe(hitAtK(r, e, k) === 1);
          const distinct = [...new Set(e)];
          expect(ndcgAtK(distinct, e, k)).toBeCloseTo(1, 12);
        },
      ),
    );
  });
});

describe('factRecall', () => {
  it('matches case-, whitespace- and diacritic-insensitively, including OCR é for ë', () => {
    const answer =
      'Meestal is een MRI bij lage rugpijn NUTTELOOS. De patiénten moeten in beweging\n   blijven.';
    expect(
      factRecall(answer, [['nutteloos'], ['patiënten'], ['in beweging blijven'], ['37 aanbevelingen']]),
    ).toEqual({ recalled: 3, total: 4 });
  });

  it('counts a group once when any alternative matches', () => {
    expect(
      factRecall('De richtlijn telt 37 recommendations.', [['37 aanbevelingen', '37 recommendations']]),
    ).toEqual({ recalled: 1, total: 1 });
  });

  it('does not match a number inside a longer number', () => {
    expect(factRecall('Er waren 137 aanbevelingen.', [['37 aanbevelingen']]).recalled).toBe(0);
    expect(factRecall('gemiddeld 12,5 weken', [['12']]).recalled).toBe(0);
    expect(factRecall('een daling van -19,35 punten', [['19,35']]).recalled).toBe(1);
    expect(factRecall('therapietrouw van 70% (± 20%)', [['70%']]).recalled).toBe(1);
  });

  it('lets a word stem match inside a word and returns 0/0 without facts', () => {
    expect(factRecall('Blijf bewegen.', [['beweg']]).recalled).toBe(1);
    expect(factRecall('Wat dan ook.', [])).toEqual({ recalled: 0, total: 0 });
  });

  it('normalizeText folds typographic quotes, dashes and no-break spaces', () => {
    expect(normalizeText('‘De-medicalisering’ — één\u00a0Belg')).toBe("'de-medicalisering' - een belg");
  });
});

describe('numbersIn', () => {
  it('treats Dutch decimal commas and points alike', () => {
    expect(numbersIn('2,5 extra ziektedagen')).toEqual(['2.5']);
    expect(numbersIn('2.5 extra ziektedagen')).toEqual(['2.5']);
    expect(numbersIn('gemiddeld 39,7 punten (± 21,1) op een schaal van 0-100')).toEqual([
      '39.7',
      '21.1',
      '0',
      '100',
    ]);
    expect(numbersIn('score van 94,50/100')).toEqual(['94.5', '100']);
  });

  it('joins space-grouped thousands and multi-separator numbers', () => {
    expect(numbersIn('het ging om 2 674 deelnemers')).toEqual(['2674']);
    expect(numbersIn('3\u00a0273 MET-minuten')).toEqual(['3273']);
    expect(numbersIn('1.146.000 mensen')).toEqual(['1146000']);
    expect(numbersIn('na 6 en 12 weken')).toEqual(['6', '12']);
  });

  it('drops signs, percent signs and trailing sentence points', () => {
    expect(numbersIn('verschil van -19,35 punten; 70% therapietrouw; na 12.')).toEqual(['19.35', '70', '12']);
  });

  it('ignores citation markers and digits glued to letters, but keeps years', () => {
    expect(numbersIn('Zo blijkt uit de richtlijn [1] en [2, 3] van 2017.')).toEqual(['2017']);
    expect(numbersIn('TRPV1-agonisten en VO2max, de 1ste keuze; 18- tot 45-jarigen')).toEqual(['18', '45']);
    expect(numbersIn('Geen getallen hier.')).toEqual([]);
  });

  it('property: a decimal written with a comma or a point gives the same number', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999 }), fc.integer({ min: 0, max: 99 }), (whole, frac) => {
        const f = String(frac).padStart(2, '0');
        expect(numbersIn(`waarde ${whole},${f} punten`)).toEqual(numbersIn(`waarde ${whole}.${f} punten`));
      }),
    );
  });
});

describe('supportedNumbers', () => {
  const quote = 'in totaal werden 40 deelnemers in de studie opgenomen tussen december 2022 en mei 2023';

  it('accepts numbers that occur in the sentence’s own quotes', () => {
    expect(supportedNumbers([{ text: 'De studie telde 40 deelnemers [1].', quotes: [quote] }])).toBe(true);
    expect(
      supportedNumbers([
        { text: 'Er waren 2.5 extra ziektedagen [2].', quotes: ['(2,5 extra ziektedagen voor deelnemers'] },
      ]),
    ).toBe(true);
  });

  it('rejects a number that no cited quote contains', () => {
    expect(supportedNumbers([{ text: 'De studie telde 42 deelnemers [1].', quotes: [quote] }])).toBe(false);
    // Numbers must be supported by the sentence's OWN quotes, not by another sentence's.
    expect(
      supportedNumbers([
        { text: 'Er waren 40 deelnemers.', quotes: [] },
        { text: 'Zie [1].', quotes: [quote] },
      ]),
    ).toBe(false);
  });

  it('accepts sentences without numbers, even uncited', () => {
    expect(supportedNumbers([{ text: 'Blijf bewegen [3].', quotes: [] }])).toBe(true);
    expect(supportedNumbers([])).toBe(true);
  });
});

describe('stanceAgreement', () => {
  const rec = { oppositePhrases: ['oefentherapie is effectief bij acute', 'aanbevolen bij acute'] };

  it('fails when a sentence contains an opposite phrase, whatever its case or spacing', () => {
    const answer = 'Blijf bewegen. OEFENTHERAPIE is   effectief bij acute lagerugpijn [1].';
    expect(stanceAgreement(answer, rec)).toBe(false);
    expect(stanceViolations(answer, rec)).toEqual([
      'OEFENTHERAPIE is   effectief bij acute lagerugpijn [1].',
    ]);
  });

  it('passes a faithful answer', () => {
    expect(
      stanceAgreement(
        'De review toont geen klinisch voordeel van oefentherapie bij acute lagerugpijn [1].',
        rec,
      ),
    ).toBe(true);
    expect(stanceAgreement('Wat dan ook.', { oppositePhrases: [] })).toBe(true);
  });
});

describe('percentile', () => {
  it('interpolates linearly between closest ranks', () => {
    expect(percentile([4, 1, 3, 2], 50)).toBe(2.5);
    expect(percentile([1, 2, 3, 4], 95)).toBeCloseTo(3.85, 12);
    expect(percentile([1, 2, 3, 4], 0)).toBe(1);
    expect(percentile([1, 2, 3, 4], 100)).toBe(4);
    expect(percentile([7], 95)).toBe(7);
  });

  it('ignores non-finite values, returns NaN when empty and rejects p outside [0, 100]', () => {
    expect(percentile([Number.NaN, 10, Number.POSITIVE_INFINITY, 20], 50)).toBe(15);
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile([1], 101)).toThrow(RangeError);
    expect(() => percentile([1], -1)).toThrow(RangeError);
  });
});

describe('refusalCorrect', () => {
  it('rewards answering answerable and refusing unanswerable questions', () => {
    expect(refusalCorrect(true, false)).toBe(1);
    expect(refusalCorrect(false, true)).toBe(1);
    expect(refusalCorrect(true, true)).toBe(0);
    expect(refusalCorrect(false, false)).toBe(0);
  });
});

describe('summarize', () => {
  const row = (
    id: string,
    category: PerQuestionRow['category'],
    lang: 'nl' | 'en',
    metrics: PerQuestionRow['metrics'],
  ): PerQuestionRow => ({
    id,
    question: `vraag ${id}`,
    category,
    lang,
    answerable: category !== 'unanswerable',
    answer: '',
    refused: false,
    citations: [],
    metrics,
    failed: [],
  });
  const rows = [
    row('q1', 'number', 'nl', { 'hit@k': 1, factRecall: 0.5 }),
    row('q2', 'number', 'en', { 'hit@k': 0, factRecall: 1 }),
    row('q3', 'unanswerable', 'nl', { 'hit@k': null, refusalCorrect: 1 }),
  ];

  it('averages per category and overall, skipping not-applicable values', () => {
    const s = summarize(rows, 'category');
    expect(s.overall).toEqual({ factRecall: 0.75, 'hit@k': 0.5, refusalCorrect: 1 });
    expect(s.groups).toEqual({
      number: { factRecall: 0.75, 'hit@k': 0.5 },
      unanswerable: { refusalCorrect: 1 },
    });
  });

  it('can group by language', () => {
    expect(summarize(rows, 'lang').groups).toEqual({
      en: { factRecall: 1, 'hit@k': 0 },
      nl: { factRecall: 0.5, 'hit@k': 1, refusalCorrect: 1 },
    });
    expect(summarize([], 'category')).toEqual({ overall: {}, groups: {} });
  });
});

describe('bottom line, leadFact and answer length', () => {
  const answer =
    'Rode vlag: laat dit dringend nakijken. Meestal is een radiografie nutteloos. [1] Het stelt de patiënt bloot aan schadelijke straling. [2]';

  it('takes the text before the first [n] marker as the bottom line (all of it when there is none)', () => {
    expect(bottomLine(answer)).toBe(
      'Rode vlag: laat dit dringend nakijken. Meestal is een radiografie nutteloos. ',
    );
    expect(bottomLine('Geen bron gevonden.')).toBe('Geen bron gevonden.');
    expect(bottomLine('[1] eerst een marker')).toBe('');
  });

  it('gives leadFact 1 only when a fact alternative occurs before the first marker', () => {
    expect(leadFact(answer, [['nutteloos']])).toBe(1);
    expect(leadFact(answer, [['schadelijke straling']])).toBe(0);
    // any alternative of any group counts, with the same folding as factRecall
    expect(leadFact(answer, [['iets anders'], ['onnodig', 'NUTTELOOS']])).toBe(1);
    expect(leadFact(answer, [])).toBeNull();
  });

  it('counts words without [n] markers or lone punctuation', () => {
    expect(answerWords('Blijf bewegen. [1] Rust helpt niet – echt niet. [2, 3]')).toBe(7);
    expect(answerWords('')).toBe(0);
    expect(answerWords('37 aanbevelingen [1]')).toBe(2);
  });

  it('never counts a marker as a word, whatever the text (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('rug', 'pijn', '[1]', '[2, 3]', '–', 'bewegen.'), { maxLength: 30 }),
        (tokens) => {
          const words = tokens.filter((t) => /[\p{L}]/u.test(t)).length;
          expect(answerWords(tokens.join(' '))).toBe(words);
        },
      ),
    );
  });

  it('takes the median of the present values only', () => {
    expect(medianOf([10, null, 30, undefined, 20])).toBe(20);
    expect(medianOf([10, 20])).toBe(15);
    expect(medianOf([null])).toBeNull();
  });
});
