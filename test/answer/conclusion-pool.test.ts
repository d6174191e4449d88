import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answer } from '../../src/answer/answer.js';
import { buildDocEngine, type TestEngine } from '../helpers/engine.js';

/**
 * "Helpt X?" is answered with the document's conclusion section even when its methods and results share more
 * words with the question and fill the retrieved passages: an evidence summary with twelve result sections
 * on yoga for acute low back pain, and a short "Besluit".
 */
const outcomes = ['pijn', 'functie', 'werkverzuim', 'slaap', 'angst', 'medicatiegebruik', 'tevredenheid', 'kosten', 'beweeglijkheid', 'kracht', 'stemming', 'herval'];
const DOC = [
  '# Duiding: yoga bij acute lage rugpijn',
  '',
  ...outcomes.flatMap((o, i) => [
    `## Resultaat ${i + 1}: ${o}`,
    '',
    `Voor de uitkomst ${o} vergeleken ${3 + i} studies yoga bij acute lage rugpijn met gewone zorg bij volwassenen met acute lage rugpijn; yoga bij acute lage rugpijn gaf voor ${o} een verschil van ${i + 2} punten op een schaal van 100, met brede betrouwbaarheidsintervallen.`,
    '',
  ]),
  '## Besluit',
  '',
  'Deze review vindt voor yoga geen klinisch relevant voordeel ten opzichte van gewone zorg.',
  '',
].join('\n');

let t: TestEngine;
beforeAll(async () => {
  t = await buildDocEngine({ 'duiding-yoga.md': DOC });
});
afterAll(() => t.cleanup());

describe('an efficacy question', () => {
  it('quotes the conclusion section when the results fill the retrieved passages', async () => {
    const a = await answer(t.engine, 'Helpt yoga bij acute lage rugpijn?');
    expect(a.refused).toBe(false);
    // Ranked against the results by the trained ranker; without the conclusion pool it is never a candidate.
    expect(a.citations.some((c) => c.quote.includes('geen klinisch relevant voordeel'))).toBe(true);
  });
});
