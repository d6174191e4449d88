import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answer } from '../../src/answer/answer.js';
import { buildDocEngine, type TestEngine } from '../helpers/engine.js';

/**
 * A list item is shown under its lead-in line: "• Opioïden" under "Niet aanbevolen:" must not read as advice.
 * The quote runs from the line to the item, so every word shown is in the cited span. Made-up sheet.
 */
const DOC = `# Praktijkfiche medicatie bij lage rugpijn

## Medicatie

Voor de behandeling van acute lage rugpijn gelden de volgende aanbevelingen.

Aanbevolen bij onvoldoende effect van advies:

- NSAID's in de laagste werkzame dosis
- Spierrelaxantia slechts enkele dagen

Niet aanbevolen bij acute lage rugpijn:

- Opioïden voor routinematig gebruik
- Systemische corticosteroïden

## Hulpmiddelen

De richtlijn geeft de volgende aanbevelingen over hulpmiddelen bij acute lage rugpijn:

- Aanbevolen:
  - Een warmtekompres bij spierspanning.
- Niet aanbevolen:
  - Een lumbaal korset dragen.
`;

let t: TestEngine;
beforeAll(async () => {
  t = await buildDocEngine({ 'fiche.md': DOC });
});
afterAll(() => t.cleanup());

describe('a list item in an answer', () => {
  it('is shown after its lead-in line, and the quote holds both', async () => {
    const a = await answer(t.engine, 'Zijn opioïden zinvol bij acute lage rugpijn?');
    expect(a.refused).toBe(false);
    const item = a.citations.find((c) => c.quote.includes('Opioïden voor routinematig gebruik'));
    expect(item).toBeDefined();
    expect(item?.quote.startsWith('Niet aanbevolen bij acute lage rugpijn:')).toBe(true);
    expect(a.answer).toMatch(/Niet aanbevolen bij acute lage rugpijn: [-•] ?Opioïden voor routinematig gebruik/);
  });

  it('shows a lead-in line once for the items under it', async () => {
    const a = await answer(t.engine, 'Welke medicatie is niet aanbevolen bij acute lage rugpijn?');
    const shown = a.answer.split('Niet aanbevolen bij acute lage rugpijn:').length - 1;
    expect(shown).toBeLessThanOrEqual(1);
    for (const c of a.citations) expect(DOC).toContain(c.quote.replace(/\s+/g, ' ').slice(0, 20));
  });

  it('reads a nested item under its own label, not under the outer line', async () => {
    const a = await answer(t.engine, 'Is een lumbaal korset aanbevolen bij acute lage rugpijn?');
    const item = a.citations.find((c) => c.quote.includes('lumbaal korset'));
    expect(item?.quote).toMatch(/^\W*Niet aanbevolen:\s*\W*Een lumbaal korset/);
    expect(a.answer).toMatch(/Niet aanbevolen: [-•] ?Een lumbaal korset/);
    expect(a.answer).not.toMatch(/hulpmiddelen bij acute lage rugpijn: [-•] ?Een lumbaal korset/);
  });

  it('no citation holds another citation\'s quote', async () => {
    for (const q of ['Welke medicatie is aanbevolen of niet aanbevolen bij acute lage rugpijn?', 'Welke medicatie bij acute lage rugpijn?']) {
      const a = await answer(t.engine, q);
      const spans = a.citations.filter((c) => !c.nearest).map((c) => [c.start, c.end] as const);
      for (const [i, x] of spans.entries())
        for (const [j, y] of spans.entries()) if (i !== j) expect(x[0] <= y[0] && y[1] <= x[1], q).toBe(false);
    }
  });
});
