import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectIntent } from '../../src/answer/intent.js';
import { weighQuestion } from '../../src/answer/question-terms.js';
import { jaccard, scoreSentences, selectSentences, type ScoredSentence } from '../../src/answer/select.js';
import { candidateSentences } from '../../src/answer/sentences.js';
import type { LoadedIndex } from '../../src/ingest/load.js';
import { retrieve } from '../../src/retrieve/retrieve.js';
import { buildTestEngine, type TestEngine } from '../helpers/engine.js';

let te: TestEngine;
let index: LoadedIndex;
/** Scored sentences of the real passages of each question. */
const scoredByQuestion = new Map<string, ScoredSentence[]>();

const QUESTIONS = [
  'Helpt oefentherapie bij acute lage rugpijn?',
  'Is hardlopen zinvol bij chronische lagerugpijn?',
  'Wanneer is beeldvorming nodig bij rugpijn?',
  'Hoeveel deelnemers waren er in de studie over hardlopen?',
  'Waarom wordt rugpijn chronisch?',
  'Does exercise help acute low back pain?',
];

async function scoreFor(question: string): Promise<ScoredSentence[]> {
  const passages = await retrieve(index, question, { k: 6 });
  return scoreSentences(candidateSentences(index, passages), weighQuestion(index.analyzer, index.bm25, question), detectIntent(question));
}

beforeAll(async () => {
  te = await buildTestEngine();
  index = te.engine.index;
  for (const q of QUESTIONS) scoredByQuestion.set(q, await scoreFor(q));
});

afterAll(async () => {
  await te.cleanup();
});

const scoredList = () => fc.constantFrom(...QUESTIONS).map((q) => scoredByQuestion.get(q) ?? []);
const options = fc.record(
  {
    maxSentences: fc.integer({ min: 0, max: 8 }),
    maxPerPassage: fc.integer({ min: 1, max: 4 }),
    relativeFloor: fc.double({ min: 0, max: 1, noNaN: true }),
    minCoverage: fc.double({ min: 0, max: 1, noNaN: true }),
    redundancy: fc.double({ min: 0, max: 1, noNaN: true }),
  },
  { requiredKeys: [] },
);

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

describe('scoreSentences', () => {
  it('scores every candidate once, in order, keeping its verbatim span', async () => {
    for (const q of QUESTIONS) {
      const passages = await retrieve(index, q, { k: 6 });
      const candidates = candidateSentences(index, passages);
      const scored = scoredByQuestion.get(q) ?? [];
      expect(scored).toHaveLength(candidates.length);
      scored.forEach((s, i) => {
        const c = candidates[i];
        expect([s.start, s.end, s.quote, s.text]).toEqual([c?.start, c?.end, c?.quote, c?.text]);
        expect(Number.isFinite(s.score)).toBe(true);
        expect(s.coverage).toBeGreaterThanOrEqual(0);
        expect(s.coverage).toBeLessThanOrEqual(1);
        expect(index.docs.get(s.passage.chunk.file)?.original.slice(s.start, s.end)).toBe(s.quote);
      });
    }
  });

  it('a sentence from a reference list or author block never scores higher than the same body sentence', async () => {
    const q = QUESTIONS[0] as string;
    const passages = await retrieve(index, q, { k: 6 });
    const candidates = candidateSentences(index, passages);
    const terms = weighQuestion(index.analyzer, index.bm25, q);
    const intent = detectIntent(q);
    const body = scoreSentences(candidates, terms, intent);
    for (const role of ['references', 'authors'] as const) {
      const moved = candidates.map((c) => ({ ...c, passage: { ...c.passage, chunk: { ...c.passage.chunk, role } } }));
      const other = scoreSentences(moved, terms, intent);
      other.forEach((s, i) => expect(s.score).toBeLessThanOrEqual(body[i]?.score ?? -Infinity));
    }
  });

  it('gives full coverage to a sentence containing every question word', () => {
    const q = 'oefentherapie acute rugpijn';
    const terms = weighQuestion(index.analyzer, index.bm25, q);
    const any = scoredByQuestion.get(QUESTIONS[0] as string)?.[0];
    expect(any).toBeDefined();
    if (!any) return;
    const [s] = scoreSentences([{ ...any, terms: index.analyzer.terms(q) }], terms, detectIntent(q));
    expect(s?.coverage).toBe(1);
  });
});

describe('selectSentences', () => {
  it('returns [] for no candidates', () => {
    expect(selectSentences([])).toEqual([]);
  });

  it('respects every limit it is given (property)', () => {
    fc.assert(
      fc.property(scoredList(), options, (scored, opts) => {
        const picked = selectSentences(scored, opts);
        const max = opts.maxSentences ?? 4;
        const perPassage = opts.maxPerPassage ?? 2;
        const floor = opts.relativeFloor ?? 0.5;
        const minCoverage = opts.minCoverage ?? 0.15;
        const redundancy = opts.redundancy ?? 0.5;
        const best = Math.max(...scored.map((s) => s.score));

        expect(picked.length).toBeLessThanOrEqual(max);
        expect(new Set(picked).size).toBe(picked.length);
        for (const p of picked) {
          expect(scored).toContain(p);
          expect(p.coverage).toBeGreaterThanOrEqual(minCoverage);
          expect(p.score).toBeGreaterThanOrEqual(best * floor);
        }
        const perChunk = new Map<string, number>();
        for (const p of picked) perChunk.set(p.passage.chunk.id, (perChunk.get(p.passage.chunk.id) ?? 0) + 1);
        for (const n of perChunk.values()) expect(n).toBeLessThanOrEqual(perPassage);
        picked.forEach((a, i) =>
          picked.slice(i + 1).forEach((b) => expect(jaccard(a.terms, b.terms)).toBeLessThanOrEqual(redundancy)),
        );
        // Greedy by score: picked in descending score order.
        picked.forEach((p, i) => {
          if (i > 0) expect(p.score).toBeLessThanOrEqual(picked[i - 1]?.score ?? Infinity);
        });
      }),
      { numRuns: 200 },
    );
  });

  it('picks the best-scoring eligible sentence first', () => {
    for (const scored of scoredByQuestion.values()) {
      const picked = selectSentences(scored, { minCoverage: 0 });
      if (scored.length === 0) continue;
      expect(picked[0]?.score).toBe(Math.max(...scored.map((s) => s.score)));
    }
  });

  it('does not depend on the order of its input', () => {
    fc.assert(
      fc.property(
        scoredList().chain((s) => fc.tuple(fc.constant(s), fc.shuffledSubarray(s, { minLength: s.length, maxLength: s.length }))),
        ([scored, shuffled]) => {
          const key = (list: ScoredSentence[]) => list.map((s) => `${s.passage.chunk.id}:${s.start}`);
          expect(key(selectSentences(shuffled))).toEqual(key(selectSentences(scored)));
        },
      ),
      { numRuns: 50 },
    );
  });

  it('selects something for answerable questions with the default options', () => {
    for (const q of QUESTIONS) expect(selectSentences(scoredByQuestion.get(q) ?? []).length, q).toBeGreaterThan(0);
  });
});
