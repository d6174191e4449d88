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
  it.each([
    ['Helpt homeopathie bij rugpijn?', 'homeopathie'],
    ['Is zwemmen goed bij lage rugpijn?', 'zwemmen'],
    ['Wat is het effect van reflexologie op rugpijn?', 'reflexologie'],
  ])(
    'refuses "%s": the treatment occurs nowhere in the corpus',
    async (question, subject) => {
      const a = await answer(t.engine, question);
      expect(a.refused).toBe(true);
      expect(a.refusalReason).toBe('unknown-subject');
      // Only the nearest sections, marked as pointers, not claims.
      expect(a.citations.every((c) => c.nearest === true)).toBe(true);
      // The refusal names what the corpus does not cover.
      expect(a.answer).toContain(`„${subject}”`);
    },
  );

  it.each([
    ['Welk hoofdkussen is het best bij rugpijn?', 'hoofdkussen'],
    ['Wat doet een podoloog bij lage rugpijn?', 'podoloog'],
    ['welke vitamine helpt bij rugpijn?', 'vitamine'],
  ])('refuses "%s": the thing it asks to choose or explain occurs nowhere in the corpus', async (question, subject) => {
    const a = await answer(t.engine, question);
    expect(a.refused).toBe(true);
    expect(a.refusalReason).toBe('unknown-subject');
    expect(a.answer).toContain(`„${subject}”`);
  });

  it.each([
    'Welke pijnstiller bij rugpijn?',
    'Welke medicatie is het best bij acute rugpijn?',
    'Wat doet een kinesitherapeut bij rugpijn?',
    'Welk percentage van de rugklachten is aspecifiek?',
  ])('answers "%s": what it asks to choose is in the corpus (or it asks a number)', async (question) => {
    const a = await answer(t.engine, question);
    expect(a.refused).toBe(false);
  });

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
