import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reciprocalRankFusion } from '../../src/retrieve/fuse.js';

/** A ranking of distinct ids (a ranker never lists a passage twice). */
const ranking = fc.uniqueArray(fc.constantFrom(...'abcdefghijklmnop'.split('')), { maxLength: 16 });
const weight = fc.double({ min: 0.01, max: 5, noNaN: true });

/** Ids sorted best first, ties broken by id (what retrieve() does with the fused scores). */
const order = (scores: Map<string, number>): string[] =>
  [...scores].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([id]) => id);

describe('reciprocalRankFusion', () => {
  it('scores a single ranking by weight / (rrfK + rank)', () => {
    const scores = reciprocalRankFusion([{ ranking: ['rugpijn', 'bewegen', 'rust'], weight: 2 }], 10);
    expect(scores.get('rugpijn')).toBeCloseTo(2 / 11);
    expect(scores.get('bewegen')).toBeCloseTo(2 / 12);
    expect(scores.get('rust')).toBeCloseTo(2 / 13);
  });

  it('returns an empty map for empty rankings', () => {
    expect(reciprocalRankFusion([]).size).toBe(0);
    expect(reciprocalRankFusion([{ ranking: [], weight: 1 }]).size).toBe(0);
  });

  it('scores exactly the union of the ranked ids, each positive', () => {
    fc.assert(
      fc.property(ranking, ranking, weight, weight, (a, b, wa, wb) => {
        const scores = reciprocalRankFusion([
          { ranking: a, weight: wa },
          { ranking: b, weight: wb },
        ]);
        expect(new Set(scores.keys())).toEqual(new Set([...a, ...b]));
        for (const s of scores.values()) expect(s).toBeGreaterThan(0);
      }),
    );
  });

  it('puts a passage ranked first by both rankers first', () => {
    fc.assert(
      fc.property(ranking, ranking, weight, weight, fc.integer({ min: 1, max: 100 }), (a, b, wa, wb, k) => {
        const top = 'TOP';
        const scores = reciprocalRankFusion(
          [
            { ranking: [top, ...a], weight: wa },
            { ranking: [top, ...b], weight: wb },
          ],
          k,
        );
        const best = Math.max(...scores.values());
        expect(scores.get(top)).toBe(best);
        // Strictly first: nothing else can tie with rank 1 in both lists.
        for (const [id, s] of scores) if (id !== top) expect(s).toBeLessThan(best);
      }),
    );
  });

  it('keeps the order of a single ranking, whatever its weight and rrfK', () => {
    fc.assert(
      fc.property(ranking, weight, fc.integer({ min: 0, max: 1000 }), (a, w, k) => {
        const scores = reciprocalRankFusion([{ ranking: a, weight: w }], k);
        expect([...scores].sort((x, y) => y[1] - x[1]).map(([id]) => id)).toEqual(a);
      }),
    );
  });

  it('respects weights: with disjoint top passages the heavier ranker wins', () => {
    fc.assert(
      fc.property(weight, weight, (w1, w2) => {
        fc.pre(Math.abs(w1 - w2) > 1e-9);
        const scores = reciprocalRankFusion([
          { ranking: ['lexicaal', 'x'], weight: w1 },
          { ranking: ['dense', 'y'], weight: w2 },
        ]);
        expect(order(scores)[0]).toBe(w1 > w2 ? 'lexicaal' : 'dense');
      }),
    );
  });

  it('a ranker with weight 0 changes nothing', () => {
    fc.assert(
      fc.property(ranking, ranking, weight, (a, b, w) => {
        const alone = reciprocalRankFusion([{ ranking: a, weight: w }]);
        const withZero = reciprocalRankFusion([
          { ranking: a, weight: w },
          { ranking: b, weight: 0 },
        ]);
        for (const id of a) expect(withZero.get(id)).toBeCloseTo(alone.get(id) ?? Number.NaN, 12);
      }),
    );
  });

  it('scales linearly with the weights (scaling all weights keeps the order)', () => {
    fc.assert(
      fc.property(ranking, ranking, weight, weight, fc.double({ min: 0.1, max: 10, noNaN: true }), (a, b, wa, wb, c) => {
        const base = reciprocalRankFusion([
          { ranking: a, weight: wa },
          { ranking: b, weight: wb },
        ]);
        const scaled = reciprocalRankFusion([
          { ranking: a, weight: wa * c },
          { ranking: b, weight: wb * c },
        ]);
        for (const [id, s] of base) expect(scaled.get(id)).toBeCloseTo(s * c, 10);
      }),
    );
  });

  it('raising one ranker’s weight raises exactly the passages it lists', () => {
    fc.assert(
      fc.property(ranking, ranking, weight, weight, weight, (a, b, wa, wb, extra) => {
        const before = reciprocalRankFusion([
          { ranking: a, weight: wa },
          { ranking: b, weight: wb },
        ]);
        const after = reciprocalRankFusion([
          { ranking: a, weight: wa + extra },
          { ranking: b, weight: wb },
        ]);
        // A passage only the boosted ranker lists gains; one it does not list keeps its score.
        for (const [id, s] of before) {
          if (a.includes(id)) expect(after.get(id)).toBeGreaterThan(s);
          else expect(after.get(id)).toBeCloseTo(s, 12);
        }
      }),
    );
  });
});
