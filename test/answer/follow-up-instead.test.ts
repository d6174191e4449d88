import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answer } from '../../src/answer/answer.js';
import { loadCues } from '../../src/rank/cues.js';
import { buildDocEngine, type TestEngine } from '../helpers/engine.js';

/**
 * "Wat dan wel?" after an answer that advised against something asks what to do instead for the same
 * complaint: the answer is the document's advice, not the thing set aside again. A made-up sheet.
 */
const DOC = `# Praktijkfiche acute lage rugpijn

## Hulpmiddelen

Een lumbaal korset wordt bij acute lage rugpijn niet aanbevolen, omdat het de spieren doet verzwakken. Ook een speciaal kussen heeft geen bewezen effect.

## Advies

Bij acute lage rugpijn volstaat meestal een eenvoudige aanpak: leg het gunstige verloop uit en moedig de patiënt aan om in beweging te blijven en de gewone activiteiten te hervatten.

## Verloop

De meeste patiënten herstellen binnen zes weken. Een klein deel houdt langer klachten.
`;

let t: TestEngine;
beforeAll(async () => {
  t = await buildDocEngine({ 'fiche.md': DOC });
});
afterAll(() => t.cleanup());

describe('a "what instead?" follow-up', () => {
  it.each(['Wat dan wel?', 'What should I do instead?'])('"%s" after a korset question gets the advice', async (q) => {
    const first = 'Helpt een korset bij acute lage rugpijn?';
    const previous = await answer(t.engine, first);
    expect(previous.citations[0]?.quote).toContain('korset');
    const a = await answer(t.engine, q, { history: [{ question: first, answer: previous.answer }] });
    expect(a.refused).toBe(false);
    expect(a.citations[0]?.quote).toContain('in beweging te blijven');
    expect(a.citations.some((c) => c.quote.includes('korset'))).toBe(false);
  });
});

describe('a "what instead?" follow-up after a question with nothing but its subject', () => {
  it('is still a back-pain advice question, not one without content', async () => {
    const first = 'Helpt een korset?';
    const previous = await answer(t.engine, first);
    const a = await answer(t.engine, 'Wat dan wel?', { history: [{ question: first, answer: previous.answer }] });
    expect(a.refusalReason).not.toBe('no-content');
    expect(a.refused).toBe(false);
  });
});

describe('the wording of a "what instead?" question', () => {
  const cues = loadCues();
  const asks = (q: string): boolean => cues.alternativeQuestion.some((p) => p.test(q));
  it.each(['Wat dan wel?', 'En wat kan ik dan doen?', 'Wat helpt dan wel?', 'what instead?', 'Are there alternatives?'])(
    '"%s" asks for the alternative',
    (q) => expect(asks(q)).toBe(true),
  );
  it.each(['Waarom?', 'Hoe lang duurt het?', 'Wat is lumbago?', 'Helpt het wel?'])('"%s" does not', (q) =>
    expect(asks(q)).toBe(false),
  );
});
