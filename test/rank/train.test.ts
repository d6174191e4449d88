import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bestF1Threshold, fitListwise, fitLogistic, type LabelledPair } from '../../src/rank/train.js';
import { modelProbability, neutralModel } from '../../src/rank/model.js';
import { FEATURE_NAMES, FEATURE_SIGNS } from '../../src/rank/features.js';
import { mulberry32 } from '../helpers/random.js';

/** Toy data: in each question the positive has a higher first feature; the second feature is noise. */
function toy(seed: number, questions = 30, per = 8): LabelledPair[] {
  const rnd = mulberry32(seed);
  const pairs: LabelledPair[] = [];
  for (let q = 0; q < questions; q++) {
    for (let i = 0; i < per; i++) {
      const y = i === 0 ? 1 : 0;
      pairs.push({ question: q, x: [y ? 0.6 + 0.4 * rnd() : 0.5 * rnd(), rnd()], y });
    }
  }
  return pairs;
}

describe('fitting the ranker', () => {
  it('is reproducible bit for bit', () => {
    const pairs = toy(7);
    expect(fitListwise(pairs, 2)).toEqual(fitListwise(pairs, 2));
    expect(fitLogistic(pairs, 2)).toEqual(fitLogistic(pairs, 2));
  });

  it('learns to put the positive first (listwise and pointwise)', () => {
    const pairs = toy(11);
    for (const fitted of [fitListwise(pairs, 2), fitLogistic(pairs, 2)]) {
      expect(fitted.weights[0]).toBeGreaterThan(0);
      expect(Math.abs(fitted.weights[0] as number)).toBeGreaterThan(Math.abs(fitted.weights[1] as number));
      const model = { ...neutralModel(), ...fitted, features: ['a', 'b'] };
      const ps = pairs.map((p) => modelProbability(model, p.x));
      const pos = ps.filter((_, i) => pairs[i]?.y === 1);
      const neg = ps.filter((_, i) => pairs[i]?.y === 0);
      expect(Math.min(...pos)).toBeGreaterThan(Math.max(...neg));
    }
  });

  it('keeps each linear weight to its sign: a feature the data runs against stays at 0, not below', () => {
    // The first feature points at the positive; flip it so the data says "lower is better".
    const flipped = toy(5).map((p) => ({ ...p, x: [-(p.x[0] as number), p.x[1] as number] }));
    expect(fitListwise(flipped, 2).weights[0]).toBeLessThan(0);
    const signed = fitListwise(flipped, 2, { signs: [1, 0] });
    expect(signed.weights[0]).toBe(0);
    expect(fitListwise(toy(5), 2, { signs: [-1, 0] }).weights[0]).toBe(0);
    // An unconstrained feature is untouched by the others' signs.
    expect(fitListwise(toy(5), 2, { signs: [1, 0] })).toEqual(fitListwise(toy(5), 2));
  });

  it('has a sign for every ranker feature', () => {
    expect(Object.keys(FEATURE_SIGNS).sort()).toEqual([...FEATURE_NAMES].sort());
  });

  it('gives probabilities in (0, 1) whatever the features', () => {
    const fitted = fitListwise(toy(3), 2);
    const model = { ...neutralModel(), ...fitted, features: ['a', 'b'] };
    fc.assert(
      fc.property(fc.double({ min: -1e3, max: 1e3, noNaN: true }), fc.double({ min: -1e3, max: 1e3, noNaN: true }), (a, b) => {
        const p = modelProbability(model, [a, b]);
        return p >= 0 && p <= 1;
      }),
    );
  });

  it('picks the F1-best threshold', () => {
    const scored = [
      { p: 0.9, y: 1 as const },
      { p: 0.8, y: 1 as const },
      { p: 0.7, y: 0 as const },
      { p: 0.2, y: 0 as const },
    ];
    expect(bestF1Threshold(scored)).toBe(0.8);
  });

  it('starts from a neutral model over the code feature list', () => {
    const m = neutralModel();
    expect(m.features).toEqual([...FEATURE_NAMES]);
    expect(modelProbability(m, FEATURE_NAMES.map(() => 1))).toBe(0.5);
  });

  it('boosted trees learn an interaction a linear score cannot, reproducibly', () => {
    // The answer has exactly one of two traits; distractors have both or neither (an XOR).
    const rnd = mulberry32(5);
    const pairs: LabelledPair[] = [];
    for (let q = 0; q < 60; q++) {
      const first = q % 2 === 0;
      pairs.push({ question: q, x: first ? [0.8 + 0.2 * rnd(), 0.2 * rnd()] : [0.2 * rnd(), 0.8 + 0.2 * rnd()], y: 1 });
      for (let i = 0; i < 5; i++) {
        const both = i % 2 === 0;
        pairs.push({ question: q, x: both ? [0.8 + 0.2 * rnd(), 0.8 + 0.2 * rnd()] : [0.2 * rnd(), 0.2 * rnd()], y: 0 });
      }
    }
    const top1 = (fitted: ReturnType<typeof fitListwise>): number => {
      const model = { ...neutralModel(), ...fitted, features: ['a', 'b'] };
      let hits = 0;
      for (let q = 0; q < 60; q++) {
        const own = pairs.filter((p) => p.question === q);
        const best = own.reduce((a, b) => (modelProbability(model, b.x) > modelProbability(model, a.x) ? b : a));
        if (best.y === 1) hits++;
      }
      return hits / 60;
    };
    const boosted = fitListwise(pairs, 2, { rounds: 40, minLeaf: 5 });
    expect(boosted.trees.length).toBe(40);
    expect(top1(boosted)).toBeGreaterThan(0.9);
    expect(top1(fitListwise(pairs, 2))).toBeLessThan(0.6);
    expect(fitListwise(pairs, 2, { rounds: 40, minLeaf: 5 })).toEqual(boosted);
  });
});
