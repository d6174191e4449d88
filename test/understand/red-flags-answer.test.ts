import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answer } from '../../src/answer/answer.js';
import { buildTestEngine, type TestEngine } from '../helpers/engine.js';

/** A red-flag question is never refused: the notice, then what the corpus says about red flags and referral. */
let te: TestEngine;
beforeAll(async () => {
  te = await buildTestEngine();
});
afterAll(async () => te.cleanup());

const positives = readFileSync(new URL('./fixtures/red-flags.positive.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => (JSON.parse(l) as { q: string }).q);

describe('red-flag questions through answer()', () => {
  it('every phrasing of the suite gets the notice and is never refused', async () => {
    const failures: string[] = [];
    for (const q of positives) {
      const a = await answer(te.engine, q);
      const notice =
        (a.language === 'en' ? te.engine.prompts.redFlag.en : te.engine.prompts.redFlag.nl).split('{{')[0] ??
        '';
      if (a.refused || a.redFlags.length === 0 || !a.answer.startsWith(notice)) failures.push(q);
    }
    expect(failures).toEqual([]);
  });

  it('the notice is followed by what the corpus says about red flags or referral, cited', async () => {
    const a = await answer(te.engine, 'Ik kan mijn voet niet goed meer optillen en sleep ermee, met rugpijn');
    expect(a.citations.length).toBeGreaterThan(0);
    expect(a.citations.some((c) => /rode vlag|doorverw|spierkracht|ernstig/i.test(c.quote))).toBe(true);
  });
});
