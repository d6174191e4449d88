import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answer } from '../../src/answer/answer.js';
import { buildDocEngine, type TestEngine } from '../helpers/engine.js';

/**
 * "Wat is X precies?" is answered by the sentence that defines X ("Mobilisatie is een …"), not by one that
 * only names X among other things. A made-up evidence summary.
 */
const DOC = `# Duiding: manuele therapie bij lage rugpijn

## Achtergrond

Manuele therapie wordt vaak toegepast door kinesitherapeuten en omvat manipulatie, mobilisatie en massage. In de studie kregen de deelnemers ook oefeningen en mobilisatie van de lumbale wervelkolom tijdens de sessies.

## Begrippen

Mobilisatie is een passieve, ritmische beweging met lage snelheid binnen het normale bewegingsbereik van het gewricht. Manipulatie is een snelle stoot met kleine amplitude op een wervelsegment.

## Resultaten

Na zes weken was de pijn in beide groepen gedaald, zonder klinisch relevant verschil tussen de groepen.
`;

let t: TestEngine;
beforeAll(async () => {
  t = await buildDocEngine({ 'duiding.md': DOC });
});
afterAll(() => t.cleanup());

describe('a definition question', () => {
  it.each(['wat is mobilisatie precies?', 'Wat wordt bedoeld met mobilisatie?', 'what is mobilisation?'])(
    '"%s" is answered by the sentence that defines it',
    async (q) => {
      const a = await answer(t.engine, q);
      expect(a.refused).toBe(false);
      expect(a.citations[0]?.quote).toContain('Mobilisatie is een passieve');
    },
  );
});
