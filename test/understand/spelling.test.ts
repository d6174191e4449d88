import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildSpellingVocabulary, completeWord, correctSpelling, correctWord, editDistance } from '../../src/understand/spelling.js';

const vocab = buildSpellingVocabulary(
  [
    'Hardlopen en wandelen bij chronische lagerugpijn. Paracetamol is een pijnstiller. Oefentherapie helpt.',
    'Oefentherapie bij acute rugpijn; zadelanesthesie is een alarmsignaal. Hardlopen, hardlopen.',
  ],
  ['ibuprofen', 'pregabaline'],
);

describe('typo correction', () => {
  it('corrects a letter dropped, added, swapped or replaced', () => {
    expect(correctWord('hardlopn', vocab)).toBe('hardlopen');
    expect(correctWord('parcetamol', vocab)).toBe('paracetamol');
    expect(correctWord('oefentherapy', vocab)).toBe('oefentherapie');
    expect(correctWord('ibuprofne', vocab)).toBe('ibuprofen');
    expect(correctWord('zadelanestesie', vocab)).toBe('zadelanesthesie');
  });

  it('leaves known, short and far-off words alone (an unknown drug keeps its name)', () => {
    expect(correctWord('hardlopen', vocab)).toBeUndefined();
    expect(correctWord('rugg', vocab)).toBeUndefined();
    expect(correctWord('cannabis', vocab)).toBeUndefined();
    expect(correctWord('homeopathie', vocab)).toBeUndefined();
    // A different first letter is not taken for a typo.
    expect(correctWord('bardlopen', vocab)).toBeUndefined();
  });

  it('rewrites only the unknown words of a question and reports them', () => {
    const r = correctSpelling('Helpt hardlopn bij chronische rugpijn?', vocab, () => false);
    expect(r.text).toBe('Helpt hardlopen bij chronische rugpijn?');
    expect(r.corrections).toEqual([{ from: 'hardlopn', to: 'hardlopen' }]);
    expect(correctSpelling('Helpt hardlopn?', vocab, (w) => w === 'hardlopn').text).toBe('Helpt hardlopn?');
  });

  it('edit distance is a bounded metric', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
        const d = editDistance(a, b, 20);
        expect(d).toBe(editDistance(b, a, 20));
        expect(editDistance(a, a, 20)).toBe(0);
        expect(d).toBeLessThanOrEqual(Math.max(a.length, b.length));
        expect(editDistance(a, b, 1)).toBeLessThanOrEqual(2);
      }),
    );
  });

  it('never changes a question with no unknown word', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('hardlopen', 'helpt', 'bij', 'paracetamol', 'oefentherapie', '?'), { maxLength: 8 }), (words) => {
        const q = words.join(' ');
        expect(correctSpelling(q, vocab, () => false).text).toBe(q);
      }),
    );
  });
});

describe('editDistance bound', () => {
  it('reports any distance over max as max + 1, also when no row exceeded it early', () => {
    // Found by the property above (fast-check seed 98186791): the full distance is 3.
    expect(editDistance(' ,', ',! ', 1)).toBe(2);
    expect(editDistance(' ,', ',! ', 5)).toBe(3);
  });
});

describe('truncated words', () => {
  const vocab = buildSpellingVocabulary([
    'Chronische rugpijn is chronische pijn. Chronische klachten vragen een chronische aanpak.',
    'Manipulatie en manipulatie: de manipulatie van de wervels.',
    'Oefentherapie helpt. Oefentherapie werkt. Psychologische en psychische en psychosociale factoren.',
  ]);
  it('completes a clinician\'s truncation to the one frequent word it begins', () => {
    expect(completeWord('chron', vocab)).toBe('chronische');
    expect(completeWord('manip', vocab)).toBe('manipulatie');
    expect(completeWord('oefenther', vocab)).toBe('oefentherapie');
  });
  it('leaves a prefix of several families, an inflection and a short word alone', () => {
    expect(completeWord('psych', vocab)).toBeUndefined();
    expect(completeWord('chronisch', vocab)).toBeUndefined();
    expect(completeWord('rug', vocab)).toBeUndefined();
  });
  it('rewrites the question, keeping known words', () => {
    const out = correctSpelling('manip bij chron rugpijn?', vocab, (w) => w === 'rugpijn');
    expect(out.text).toBe('manipulatie bij chronische rugpijn?');
  });
  it('leaves a written abbreviation and a part of a hyphenated word alone', () => {
    expect(correctSpelling('chron. pijn', vocab, () => false).text).toBe('chron. pijn');
    expect(correctSpelling('chron-achtige pijn', vocab, () => false).text).toBe('chron-achtige pijn');
  });
  it('a completion is a word of the vocabulary that begins with the truncation', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z]{4,8}$/), (w) => {
        const c = completeWord(w, vocab);
        return c === undefined || (c.startsWith(w) && vocab.counts.has(c) && c.length >= w.length + 3);
      }),
    );
  });
});
