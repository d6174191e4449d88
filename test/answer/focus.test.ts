import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answer } from '../../src/answer/answer.js';
import { buildTestEngine, type TestEngine } from '../helpers/engine.js';

/** What a question is about decides what gets quoted, and a treatment the corpus never names is refused. */
let t: TestEngine;
beforeAll(async () => {
  t = await buildTestEngine();
});
afterAll(async () => t.cleanup());

describe('answers stay on what the question asks about', () => {
  it.each(['Helpt homeopathie bij rugpijn?', 'Is zwemmen goed bij lage rugpijn?', 'Wat is het effect van reflexologie op rugpijn?'])(
    'refuses "%s": the treatment occurs nowhere in the corpus',
    async (question) => {
      const a = await answer(t.engine, question);
      expect(a.refused).toBe(true);
      expect(a.refusalReason).toBe('unknown-subject');
      expect(a.citations).toEqual([]);
      // The refusal names what the corpus does not cover.
      expect(a.answer).toContain(question.startsWith('Wat is het effect') ? 'reflexologie' : (question.split(' ')[1] ?? ''));
    },
  );

  it.each([
    ['Zijn opioïden aangewezen bij chronische lage rugpijn?', /opio/i],
    ['Werkt acupunctuur bij rugpijn?', /acupunctuur/i],
    ['Helpt een korset bij rugpijn?', /korset/i],
  ])('quotes only sentences that name the subject of "%s"', async (question, subject) => {
    const a = await answer(t.engine, question);
    expect(a.refused).toBe(false);
    expect(a.citations.length).toBeGreaterThan(0);
    for (const c of a.citations) expect(c.quote).toMatch(subject);
  });
});
