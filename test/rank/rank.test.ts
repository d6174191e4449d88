import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answer } from '../../src/answer/answer.js';
import { buildTestEngine, type TestEngine } from '../helpers/engine.js';

let te: TestEngine;
beforeAll(async () => {
  te = await buildTestEngine();
}, 120_000);
afterAll(async () => te?.cleanup());

/** Questions written for this test (not from the eval sets), the way clinicians type them. */
const QUESTIONS = [
  'zin in beeldvorming bij acute rugpijn?',
  'oefentherapie bij chronische lage rugpijn: helpt dat?',
  'Moet iemand met lage rugpijn in bed blijven?',
  'Wat zegt men over pijnstillers bij rugpijn?',
  'Hoeveel mensen deden mee aan de studie over hardlopen?',
  'Is een operatie aan de rug zinvol?',
];

describe('bottom line first', () => {
  it('opens with one cited sentence that names what the question is about', async () => {
    const { index } = te.engine;
    for (const q of QUESTIONS) {
      const a = await answer(te.engine, q);
      if (a.refused) continue;
      const first = a.answer.split(/\[\d+\]/)[0] ?? '';
      expect(first.length, q).toBeGreaterThan(0);
      expect(a.citations[0], q).toBeDefined();
      const about = index.analyzer.contentTerms(q);
      const quoted = new Set(index.analyzer.terms(a.citations[0]?.quote ?? ''));
      expect(about.some((t) => index.analyzer.equivalents(t).some((e) => quoted.has(e))), q).toBe(true);
      // At most the bottom line and two sentences that add something.
      expect(a.citations.length, q).toBeLessThanOrEqual(3);
    }
  });

  it('returns further evidence verbatim and not repeated from the answer', async () => {
    const { index } = te.engine;
    for (const q of QUESTIONS) {
      const a = await answer(te.engine, q);
      for (const m of a.moreEvidence) {
        expect(index.docs.get(m.file)?.original.slice(m.start, m.end)).toBe(m.quote);
        expect(a.citations.some((c) => c.file === m.file && c.start === m.start), q).toBe(false);
      }
    }
  });

  it('labels a strength only with words the source states near the quote', async () => {
    const { index } = te.engine;
    for (const q of [...QUESTIONS, 'welke geneesmiddelen raadt de richtlijn aan?', 'wat is matig aanbevolen?']) {
      const a = await answer(te.engine, q);
      for (const c of [...a.citations, ...a.moreEvidence]) {
        if (!c.strength) continue;
        const original = index.docs.get(c.file)?.original ?? '';
        const near = original.slice(Math.max(0, c.start - 2000), c.end).replace(/\s+/g, ' ');
        expect(near, q).toContain(c.strength.replace(/\s+/g, ' '));
      }
    }
  });
});

describe('follow-ups move on', () => {
  it('"Waarom?" does not repeat the previous bottom line', async () => {
    for (const first of ['Is een RX nodig bij acute lage rugpijn?', 'Helpt oefentherapie bij acute lage rugpijn?']) {
      const previous = await answer(te.engine, first);
      for (const follow of ['Waarom?', 'Waarom niet?', 'Hoe dan?']) {
        const next = await answer(te.engine, follow, { history: [{ question: first, answer: previous.answer }] });
        if (next.refused || previous.refused) continue;
        expect(next.citations[0]?.quote, `${first} → ${follow}`).not.toBe(previous.citations[0]?.quote);
        // Nothing an earlier answer already quoted is quoted again.
        for (const c of next.citations) expect(previous.citations.map((p) => p.quote)).not.toContain(c.quote);
      }
    }
  });

  it('also moves on when the client sends the history without the answers', async () => {
    const first = 'Is een RX nodig bij acute lage rugpijn?';
    const previous = await answer(te.engine, first);
    const next = await answer(te.engine, 'Waarom?', { history: [{ question: first, answer: '' }] });
    if (!next.refused && !previous.refused) expect(next.citations[0]?.quote).not.toBe(previous.citations[0]?.quote);
  });
});
