import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answer } from '../../src/answer/answer.js';
import { buildDocEngine, type TestEngine } from '../helpers/engine.js';

/**
 * A quoted sentence keeps what it leans on: one that opens "Vraag dan …" is the consequence of the condition
 * in the sentence before, so the two are quoted together (one verbatim span), never the advice without
 * its condition.
 */
const DOC = `# Praktijkblad ischias

## Verwijzing en beeldvorming

Bij ischias is in de eerste zes weken geen beeldvorming nodig. Als de beenpijn na acht weken onvoldoende afneemt, volgt een verwijzing naar de chirurg. Vraag dan een MRI aan of laat die door de chirurg aanvragen.
`;

let t: TestEngine;
beforeAll(async () => {
  t = await buildDocEngine({ 'praktijkblad.md': DOC });
});
afterAll(() => t.cleanup());

describe('a sentence that is the consequence of the one before', () => {
  it('is quoted with its condition', async () => {
    const a = await answer(t.engine, 'MRI aanvragen bij ischias?');
    const quote = a.citations.find((c) => c.quote.includes('Vraag dan een MRI aan'));
    expect(quote).toBeDefined();
    expect(quote?.quote).toContain('na acht weken onvoldoende afneemt');
  });
});
