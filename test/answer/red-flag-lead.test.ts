import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answer } from '../../src/answer/answer.js';
import { buildDocEngine, type TestEngine } from '../helpers/engine.js';
import { parseRedFlagTable } from '../../src/understand/red-flags.js';
import table from '../../src/understand/red-flags.json' with { type: 'json' };

/**
 * Under a red-flag notice the sentence that says what to do about the very sign asked about leads; one that
 * only names the sign (a study's exclusion criterion) does not. A made-up practice sheet, never the corpus.
 */
const DOC = `# Praktijkfiche rugpijn

## Alarmsignalen

Zorgverleners moeten rode vlaggen bij rugpijn altijd actief uitsluiten. Een ernstige oorzaak is zeldzaam maar mag niet gemist worden. Bij duidelijk krachtverlies in het been wordt de patiënt dringend doorverwezen naar een neurochirurg.

## Bestudeerde populatie

Uitgesloten werden patiënten met symptomen van een cauda equina-syndroom of met een tumor. Patiënten met een cauda equina-syndroom of blaasproblemen werden dringend verwezen en uitgesloten als deelnemers.
`;

let t: TestEngine;
beforeAll(async () => {
  t = await buildDocEngine({ 'fiche.md': DOC });
});
afterAll(() => t.cleanup());

describe('the first sentence under a red-flag notice', () => {
  it.each(['ischias en mijn voet sleept sinds twee dagen', 'Sciatica with a clearly weak foot: when do I refer?'])(
    '"%s" opens with the referral for weakness',
    async (question) => {
      const a = await answer(t.engine, question);
      expect(a.redFlags.length).toBeGreaterThan(0);
      expect(a.citations[0]?.quote).toContain('krachtverlies');
    },
  );

  it('a sentence that only names the sign does not lead', async () => {
    const a = await answer(t.engine, 'rugpijn en sinds gisteren kan ik niet meer plassen');
    expect(a.redFlags.length).toBeGreaterThan(0);
    expect(a.citations[0]?.quote).not.toContain('Uitgesloten');
    expect(a.citations[0]?.quote).not.toContain('deelnemers');
  });
});

describe('the sentence cues of the red-flag table', () => {
  it('a bad regular expression is refused by name', () => {
    const bad = { ...table, sentences: { ...table.sentences, action: '(' } };
    expect(() => parseRedFlagTable(bad)).toThrow(/sentences/);
  });
});
