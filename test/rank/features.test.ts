import { describe, expect, it } from 'vitest';
import { sentenceTraits, isConclusionSection } from '../../src/rank/features.js';
import { loadCues } from '../../src/rank/cues.js';
import type { CandidateSentence } from '../../src/answer/sentences.js';

/** A candidate sentence of a one-chunk document (only what sentenceTraits reads matters). */
function candidate(text: string, section: string[] = ['Resultaten']): CandidateSentence {
  return {
    passage: {
      chunk: { id: 'c1', file: 'x.txt', text, section, role: 'body', start: 0, end: text.length },
      score: 1,
      ranks: { lexical: 1, dense: 1 },
      lexicalScore: 1,
      similarity: 0.5,
      matched: [],
    },
    passageRank: 0,
    cleanStart: 0,
    text,
    start: 0,
    end: text.length,
    quote: text,
    terms: [],
    context: { previous: '', leadIn: '', listItem: text.startsWith('•'), contextTerms: [], headingTerms: [] },
  } as unknown as CandidateSentence;
}

describe('sentenceTraits', () => {
  const cues = loadCues();

  it('a line ending in a colon introduces a list: it is a label, not an answer', () => {
    expect(sentenceTraits(candidate('• oefentherapie versus geen behandeling:'), cues).isLabel).toBe(true);
    expect(sentenceTraits(candidate('De aanbevelingen van de richtlijn zijn de volgende:'), cues).isLabel).toBe(true);
    expect(sentenceTraits(candidate('Oefentherapie toont geen klinisch voordeel bij acute lage rugpijn.'), cues).isLabel).toBe(false);
  });

  it('a negating compound prefix ("niet-invasieve") is no conclusion cue; a real "niet" is', () => {
    const compound = sentenceTraits(candidate('Er waren 56 niet-invasieve behandelingen in de analyse opgenomen.'), cues);
    const negation = sentenceTraits(candidate('Deze behandeling werkt niet bij lage rugpijn volgens de review.'), cues);
    expect(compound.cue.conclusion).toBe(0);
    expect(negation.cue.conclusion).toBeGreaterThan(0);
  });
});

describe('a sentence about the text itself', () => {
  const cues = loadCues();
  it.each([
    'We bespreken verder in dit artikel enkele aanbevelingen voor de praktijk.',
    'Hieronder vatten we de belangrijkste aanbevelingen samen.',
    'In this article we discuss the main recommendations for back pain.',
  ])('"%s" is a signpost', (text) => {
    expect(sentenceTraits(candidate(text), cues).metaDiscourse).toBe(true);
  });
  it.each([
    'Het artikel van de krant noemde rust als eerste behandeling.',
    'De richtlijn beveelt aan om in beweging te blijven bij acute lage rugpijn.',
  ])('"%s" is a claim', (text) => {
    expect(sentenceTraits(candidate(text), cues).metaDiscourse).toBe(false);
  });
});

describe('a question that asks what a term means', () => {
  const cues = loadCues();
  const defines = (q: string): boolean => cues.definitionQuestion.some((p) => p.test(q));
  it.each([
    'Wat wordt bedoeld met subacute lage rugpijn?',
    'Wanneer spreekt men van chronische rugpijn?',
    'radiculaire pijn definitie',
    'What does non-specific back pain mean?',
    'wat betekent lumbago?',
  ])('"%s" asks for a definition', (q) => expect(defines(q)).toBe(true));
  it.each(['Helpt oefentherapie bij lage rugpijn?', 'Wat is de beste behandeling bij ischias?', 'How long does back pain last?'])(
    '"%s" does not',
    (q) => expect(defines(q)).toBe(false),
  );
  it('a defining sentence carries the definition cue, another does not', () => {
    const def = sentenceTraits(candidate('De term subacute pijn verwijst naar pijn die zes tot twaalf weken duurt.'), cues);
    const other = sentenceTraits(candidate('Oefentherapie helpt bij chronische lage rugpijn volgens de review.'), cues);
    expect(def.cue.definition).toBeGreaterThan(0);
    expect(other.cue.definition).toBe(0);
  });
});

describe('isConclusionSection', () => {
  it.each([
    [['Besluit'], true],
    [['Duiding', 'Besluit van Minerva'], true],
    [['Voor de praktijk'], true],
    [['Kernboodschappen'], true],
    [['Samenvatting', 'Resultaten'], false],
    [['Gedeelde besluitvorming'], false],
    [['Aanbevelingen voor onderzoek'], false],
    [[], false],
  ])('%j → %s', (section, expected) => {
    expect(isConclusionSection(section)).toBe(expected);
  });
});
