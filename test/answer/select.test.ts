import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countPattern, jaccard } from '../../src/answer/select.js';

describe('jaccard', () => {
  const terms = fc.array(fc.constantFrom('rug', 'pijn', 'acut', 'chronisch', 'oefen', 'bewegen', 'koorts'), { maxLength: 8 });

  it('is symmetric, within [0, 1], 1 on equal sets and 0 on disjoint non-empty sets', () => {
    fc.assert(
      fc.property(terms, terms, (a, b) => {
        const j = jaccard(a, b);
        expect(j).toBe(jaccard(b, a));
        expect(j).toBeGreaterThanOrEqual(0);
        expect(j).toBeLessThanOrEqual(1);
        expect(jaccard(a, [...a].reverse().concat(a))).toBe(1);
        if (a.length > 0 && b.length > 0 && !a.some((t) => b.includes(t))) expect(j).toBe(0);
      }),
    );
  });

  it('counts sets, not lists', () => {
    expect(jaccard(['rug', 'rug', 'pijn'], ['rug', 'pijn'])).toBe(1);
    expect(jaccard(['rug', 'pijn'], ['rug', 'koorts'])).toBeCloseTo(1 / 3);
  });
});


describe('countPattern', () => {
  it('matches a number right before what is counted, with grouped thousands and one word between', () => {
    const re = countPattern(['deelnem']);
    expect(re?.test('in totaal werden 40 deelnemers opgenomen')).toBe(true);
    expect(re?.test('voor alle studies samen ging het om 2 674 deelnemers')).toBe(true);
    expect(re?.test('23 gerandomiseerde deelnemers')).toBe(true);
    expect(re?.test('de deelnemers waren 40 jaar')).toBe(false);
  });

  it('has nothing to count without a focus of three letters or more', () => {
    expect(countPattern([])).toBeUndefined();
    expect(countPattern(['a', 'bc'])).toBeUndefined();
  });
});
