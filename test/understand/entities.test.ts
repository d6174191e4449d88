import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../src/text/analyze.js';
import { loadDefaultLexicon, membersOf } from '../../src/text/lexicon.js';
import { findEntities } from '../../src/understand/entities.js';

const { lexicon } = createAnalyzer();
const found = (text: string): string[] =>
  findEntities(text, lexicon).map((e) => `${e.text} → ${e.type}:${e.canonical}`);

describe('findEntities', () => {
  it('maps a brand to its generic, with the span as written', () => {
    const text = 'Mag ik Dafalgan nemen voor mijn rug?';
    const [e] = findEntities(text, lexicon);
    expect(e).toMatchObject({ type: 'drug', canonical: 'paracetamol', relation: 'brand', text: 'Dafalgan' });
    expect(text.slice(e?.start, e?.end)).toBe('Dafalgan');
  });

  it('prefers the longest phrase ("Dafalgan Codeine" is codeine, not paracetamol)', () => {
    expect(found('Is Dafalgan Codeine sterker?')).toEqual(['Dafalgan Codeine → drug:codeïne']);
  });

  it.each([
    ['Helpt Lyrica bij zenuwpijn?', 'Lyrica → drug:pregabaline'],
    ['Heb ik met Bechterew meer kans op rugpijn?', 'Bechterew → condition:spondylitis ankylopoetica'],
    ['Ik ben zwanger en heb last van mijn rug', 'zwanger → population:zwangerschap'],
    ['Wat moet ik doen bij lumbago?', 'lumbago → condition:acute lage rugpijn'],
    ['Ik heb een verschoten rug', 'verschoten rug → condition:acute lage rugpijn'],
    ['Is sciatica dangerous?', 'sciatica → condition:ischias'],
    ['Helpen NSAID’s bij ischias?', 'NSAID’s → drug-class:NSAID'],
    ['Zijn pijnstillers nuttig?', 'pijnstillers → drug-class:pijnstiller'],
    ['Moet er een RX genomen worden?', 'RX → test:radiografie'],
    ['Plots een klapvoet, wat nu?', 'klapvoet → symptom:klapvoet'],
    ['Zijn rugoperaties zinvol?', 'rugoperaties → treatment:chirurgie'],
    ['Mag ik naar de kine?', 'kine → treatment:kinesitherapie'],
    ['Terugbetaling door de mutualiteit?', 'mutualiteit → other:zorgverzekeraar'],
  ])('recognises "%s"', (text, entity) => {
    expect(found(text)).toContain(entity);
  });

  it('finds every entity of a question in order', () => {
    expect(
      findEntities('Mag een zwangere vrouw met ischias Brufen nemen?', lexicon).map((e) => [
        e.type,
        e.canonical,
      ]),
    ).toEqual([
      ['population', 'zwangerschap'],
      ['condition', 'ischias'],
      ['drug', 'ibuprofen'],
    ]);
  });

  it('finds nothing in a text without lexicon words', () => {
    expect(findEntities('Hoe laat is het vandaag?', lexicon)).toEqual([]);
    expect(findEntities('', lexicon)).toEqual([]);
  });

  it('returns ordered, non-overlapping spans that slice to the matched text (any mix of lexicon terms)', () => {
    const terms = loadDefaultLexicon().groups.flatMap((g) => membersOf(g));
    const filler = ['en', 'bij', 'of', 'ik', 'heb', 'mijn', 'de', '?', ',', 'patiënt'];
    const text = fc
      .array(fc.oneof(fc.constantFrom(...terms), fc.constantFrom(...filler), fc.string({ maxLength: 6 })), {
        maxLength: 10,
      })
      .map((parts) => parts.join(' '));
    fc.assert(
      fc.property(text, (t) => {
        const out = findEntities(t, lexicon);
        let end = 0;
        for (const e of out) {
          expect(e.start).toBeGreaterThanOrEqual(end);
          expect(e.end).toBeGreaterThan(e.start);
          expect(t.slice(e.start, e.end)).toBe(e.text);
          expect(e.canonical.length).toBeGreaterThan(0);
          end = e.end;
        }
        expect(findEntities(t, lexicon)).toEqual(out); // pure
      }),
      { numRuns: 300 },
    );
  });
});
