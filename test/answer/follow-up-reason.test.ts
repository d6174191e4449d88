import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answer } from '../../src/answer/answer.js';
import { buildDocEngine, type TestEngine } from '../helpers/engine.js';

/**
 * A follow-up "Waarom niet?" whose reason is stated in the previous answer's own sentence ("…, omdat …")
 * while the next section speaks of something else: the answer is that sentence, not a sentence of the
 * next section and not a refusal.
 */
const DOC = `# Richtlijn lage rugpijn

## Hulpmiddelen

Een lendenkorset wordt niet aanbevolen bij lage rugpijn, omdat bewezen is dat het niet doeltreffend is.

## Medicatie

Paracetamol is bij acute lage rugpijn weinig doeltreffend. Ontstekingsremmers zijn een optie voor korte duur.
`;

let t: TestEngine;
beforeAll(async () => {
  t = await buildDocEngine({ 'richtlijn.md': DOC });
});
afterAll(() => t.cleanup());

describe('a "Waarom?" follow-up', () => {
  it('quotes the previous sentence that states the reason, not the next section', async () => {
    const first = 'Helpt een lendenkorset?';
    const previous = await answer(t.engine, first);
    expect(previous.citations[0]?.quote).toContain('lendenkorset');
    for (const prior of [previous.answer, '']) {
      const a = await answer(t.engine, 'Waarom niet?', { history: [{ question: first, answer: prior }] });
      expect(a.refused).toBe(false);
      expect(a.citations.map((c) => c.quote).join(' ')).toContain('omdat bewezen is');
      expect(a.answer).not.toContain('Paracetamol');
    }
  });
});
