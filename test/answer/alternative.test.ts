import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answer } from '../../src/answer/answer.js';
import { buildDocEngine, type TestEngine } from '../helpers/engine.js';

/**
 * "Moet ik in bed blijven?" is answered by the advice given instead of bed rest (the lexicon's `alternative`
 * relation), and "Helpen pijnstillers?" by what the documents say of particular painkillers (a drug class
 * reaches its members), on a small made-up practice sheet that never says "bedrust" or "pijnstillers".
 */
const DOC = `# Praktijkfiche lage rugpijn

## Advies

Geef de patiënt uitleg over het gunstige verloop. Patiënten met acute lage rugpijn moeten zoveel mogelijk in beweging blijven en hun gewone activiteiten hervatten. Een verwijzing naar de kinesitherapeut is zelden meteen nodig.

## Medicatie

Paracetamol heeft bij acute lage rugpijn weinig effect op de pijn. Een NSAID kan kortdurend worden gegeven als de pijn het bewegen belemmert. Tramadol wordt zelden gestart, dan aan 50 mg per dag.

## Nieuws

Een orthopeed vertelde de krant dat hij zijn patiënten eerst een paar dagen rust voorschrijft.
`;

let t: TestEngine;
beforeAll(async () => {
  t = await buildDocEngine({ 'praktijkfiche.md': DOC });
});
afterAll(() => t.cleanup());

describe('a question about a practice the documents advise against', () => {
  it.each([
    'Mijn rug doet pijn, moet ik in bed blijven?',
    'Moet ik plat liggen met mijn lage rugpijn?',
    'Should I stay in bed with low back pain?',
  ])('"%s" is answered with the advice to keep moving', async (question) => {
    const a = await answer(t.engine, question);
    expect(a.refused).toBe(false);
    expect(a.citations[0]?.quote).toContain('in beweging blijven');
  });
});

describe('a question about a drug class', () => {
  it.each(['Helpen pijnstillers bij lage rugpijn?', 'Do painkillers help for low back pain?'])(
    '"%s" is answered with what the documents say of its members',
    async (question) => {
      const a = await answer(t.engine, question);
      expect(a.refused).toBe(false);
      expect(a.citations.some((c) => /Paracetamol|NSAID/.test(c.quote))).toBe(true);
    },
  );
});

describe('a dose asked of a drug class', () => {
  it('is not answered with one member\'s dose', async () => {
    const a = await answer(t.engine, 'Hoeveel opioïden mag ik per dag nemen bij rugpijn?');
    expect(a.refused).toBe(true);
    expect(a.refusalReason).toBe('dose-or-cost');
  });
});
