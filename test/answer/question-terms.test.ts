import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coverageOf, hasEquivalent, weighQuestion, withoutFrameVerb, type TermStats } from '../../src/answer/question-terms.js';
import { createAnalyzer } from '../../src/text/analyze.js';

const analyzer = createAnalyzer();
/** A toy corpus vocabulary: every word of these sentences occurs once (df 1), anything else never. */
const corpus = new Set(
  analyzer.terms(
    'Bedrust wordt afgeraden. Ontstekingsremmers zijn een optie. Bij radiculaire pijn is dat anders. Een manipulatie kan helpen. Het risico is vroeg in te schatten.',
  ),
);
const stats: TermStats = {
  df: (t) => (corpus.has(t) ? 1 : 0),
  idf: (t) => (corpus.has(t) ? 2 : 5),
};

describe('weighQuestion', () => {
  it('knows a verb whose noun the corpus uses ("manipuleren" → manipulatie), and not a verb it lacks', () => {
    const [verb] = weighQuestion(analyzer, stats, 'manipuleren');
    expect(verb?.known).toBe(true);
    expect(verb?.equivalents).toContain(analyzer.terms('manipulatie')[0]);
    expect(weighQuestion(analyzer, stats, 'opereren')[0]?.known).toBe(false);
  });

  it('a split separable verb in the question means the whole verb the corpus uses ("schat … in" → inschatten)', () => {
    const schat = weighQuestion(analyzer, stats, 'Wanneer schat ik het risico in?').find((t) => t.term === analyzer.terms('schat')[0]);
    expect(schat?.equivalents).toContain(analyzer.terms('inschatten')[0]);
    expect(schat?.known).toBe(true);
    // A rebuilt form the corpus lacks adds nothing, so it can never make an unknown word.
    const rebuilt = analyzer.verbForms('Wanneer neemt de pijn af?').map((v) => v.term);
    expect(rebuilt.length).toBeGreaterThan(0);
    const neemt = weighQuestion(analyzer, stats, 'Wanneer neemt de pijn af?');
    for (const t of rebuilt) expect(neemt.flatMap((q) => q.equivalents)).not.toContain(t);
  });

  it('takes a lexicon phrase as one asked word, not its parts ("bed rest" → bedrust)', () => {
    const terms = weighQuestion(analyzer, stats, 'is bed rest good for lumbago?');
    const bedRest = terms.find((t) => t.equivalents.includes(analyzer.terms('bedrust')[0] ?? ''));
    expect(bedRest?.term).toContain(' ');
    expect(bedRest?.known).toBe(true);
    expect(terms.map((t) => t.term)).not.toContain('bed');
  });

  it('reaches a drug class through a brand name (Voltaren → diclofenac → NSAID)', () => {
    const [voltaren] = weighQuestion(analyzer, stats, 'Voltaren?');
    expect(voltaren?.known).toBe(true);
    expect(coverageOf([voltaren!], new Set(analyzer.terms('Ontstekingsremmers zijn een optie.')))).toBe(1);
  });

  it('marks another name of the corpus topic as topic ("LRP")', () => {
    const [lrp] = weighQuestion(analyzer, stats, 'LRP');
    expect(lrp?.topic).toBe(true);
  });

  it('matches a multi-word equivalent when every word is there ("ischias" ~ "radiculaire pijn")', () => {
    const [ischias] = weighQuestion(analyzer, stats, 'ischias');
    expect(coverageOf([ischias!], new Set(analyzer.terms('Bij radiculaire pijn is dat anders.')))).toBe(1);
    expect(coverageOf([ischias!], new Set(analyzer.terms('De pijn is anders.')))).toBe(0);
  });
});

describe('hasEquivalent', () => {
  it('holds for a phrase exactly when the set has each of its words', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { minLength: 1, maxLength: 3 }), fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd')), (words, present) => {
        const set = new Set(present);
        expect(hasEquivalent(words.join(' '), set)).toBe(words.every((w) => set.has(w)));
      }),
    );
  });
});

describe('withoutFrameVerb', () => {
  it('drops "werkt/werken" where it asks whether something works, keeps it as content elsewhere', () => {
    expect(withoutFrameVerb('Werken antidepressiva bij rugpijn?').trim()).toBe('antidepressiva bij rugpijn?');
    expect(withoutFrameVerb('Welke behandelingen werken bij rugpijn?')).not.toMatch(/werken/);
    expect(withoutFrameVerb('Wat werkt er bij spit?')).not.toMatch(/werkt/);
    for (const q of ['Mag ik werken met rugpijn?', 'Wanneer weer aan het werk?', 'werkhervatting bij lage rugpijn?'])
      expect(withoutFrameVerb(q)).toBe(q);
  });
});
