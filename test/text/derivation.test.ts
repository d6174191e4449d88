import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { derivedWords } from '../../src/text/derivation.js';

describe('derivedWords (Dutch -eren verb ↔ -atie noun)', () => {
  it.each([
    ['manipuleren', 'manipulatie'],
    ['opereren', 'operatie'],
    ['opereert', 'operatie'],
    ['geopereerd', 'operatie'],
    ['operer', 'operatie'], // the Snowball stem of "opereren"
    ['revalideren', 'revalidatie'],
    ['geinfiltreerd', 'infiltratie'], // folded, as the analyzer passes it
    ['operatie', 'opereren'],
    ['manipulaties', 'manipuleren'],
  ])('derives "%s" into "%s"', (word, derived) => {
    expect(derivedWords(word)).toContain(derived);
  });

  it('leaves short and unrelated words alone', () => {
    for (const word of ['leren', 'keren', 'meer', 'water', 'rugpijn', 'natie', '']) expect(derivedWords(word)).toEqual([]);
  });

  it('never returns the word itself, and derives at most one word (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-zë]{0,14}$/), (w) => {
        const out = derivedWords(w);
        expect(out.length).toBeLessThanOrEqual(1);
        expect(out).not.toContain(w);
      }),
    );
  });
});
