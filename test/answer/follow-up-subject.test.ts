import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answer } from '../../src/answer/answer.js';
import { withoutPointedBack } from '../../src/answer/follow-up.js';
import { buildDocEngine, type TestEngine } from '../helpers/engine.js';

/**
 * A follow-up that names a new subject ("En zenuwblokkades?") is answered by the sentence that names it,
 * even when the previous answer already quoted that sentence for another subject; a follow-up that only
 * points back ("Hoe zag dat programma eruit?") still moves on.
 */
const DOC = `# Richtlijn lage rugpijn

## Invasieve technieken

Sommige technieken kunnen enkel worden overwogen onder strikte voorwaarden: facetinfiltraties (bij uitstralende pijn) en zenuwblokkades (bij langdurige rugpijn die niet verbetert). Chirurgie is bij lage rugpijn zelden nodig. De beslissing tot een operatie wordt altijd in overleg genomen.

## Een studie over zwemmen

Het zwemprogramma verminderde de rugpijn matig na acht weken. Het programma omvatte twee begeleide sessies per week van 45 minuten in een verwarmd bad. De deelnemers waren tevreden over de begeleiding.
`;

let t: TestEngine;
beforeAll(async () => {
  t = await buildDocEngine({ 'richtlijn.md': DOC });
});
afterAll(() => t.cleanup());

describe('a follow-up with a new subject', () => {
  it('quotes the sentence naming it, even if the previous answer quoted it too', async () => {
    const first = 'Wanneer overweeg je facetinfiltraties bij rugpijn?';
    const previous = await answer(t.engine, first);
    expect(previous.citations[0]?.quote).toContain('zenuwblokkades');
    const a = await answer(t.engine, 'En zenuwblokkades?', { history: [{ question: first, answer: previous.answer }] });
    expect(a.refused).toBe(false);
    expect(a.citations[0]?.quote).toContain('zenuwblokkades');
    // Only sentences about the new subject: not the neighbouring ones on surgery.
    expect(a.answer).not.toContain('Chirurgie');
  });

  it('moves on when the follow-up only points back at the previous subject', async () => {
    const first = 'Helpt een zwemprogramma bij rugpijn?';
    const previous = await answer(t.engine, first);
    const lead = previous.citations[0]?.quote ?? '';
    expect(lead).toContain('zwemprogramma');
    const a = await answer(t.engine, 'Hoe zag dat programma eruit?', { history: [{ question: first, answer: previous.answer }] });
    expect(a.answer).not.toBe(previous.answer);
    expect(a.citations.map((c) => c.quote)).not.toContain(lead);
  });
});

describe('a sentence opening with "Het …"', () => {
  it('is not glued to the heading above it', async () => {
    const a = await answer(t.engine, 'Helpt een zwemprogramma bij rugpijn?');
    expect(a.citations[0]?.quote).toMatch(/^Het zwemprogramma/);
    expect(a.answer).not.toContain('Een studie over zwemmen');
  });
});

describe('withoutPointedBack', () => {
  it.each([
    ['Hoe zag dat programma eruit?', 'programma'],
    ['Wat doe je dan bij die mensen?', 'mensen'],
    ['En dat nieuwe schema?', 'schema'],
    ['What did that programme involve?', 'programme'],
  ])('drops the noun a demonstrative points back with: %s', (question, noun) => {
    expect(withoutPointedBack(question)).not.toContain(noun);
  });

  it('keeps nouns that are not pointed back at', () => {
    expect(withoutPointedBack('En hun leeftijd?')).toContain('leeftijd');
    expect(withoutPointedBack('En radiofrequente denervatie?')).toBe('En radiofrequente denervatie?');
  });
});
