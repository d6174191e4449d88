import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { resolveFollowUp, type Turn } from '../../src/answer/follow-up.js';

/** A small stand-in for the analyzer: lower case, stopwords out, crude Dutch/English suffix stemming. */
const STOP = new Set(
  (
    'de het een en van in op bij voor met is zijn was waren er dat die dit deze daar hoe wat welke wie waarom wanneer hoeveel ' +
    'ook zo nog al niet geen te om aan of maar dan als ik je mijn u ze zij hij wel heb heeft hebben kan moet mag wordt worden ' +
    'the a an and of in on at for with is are was were do does did what which how many much about it that this they there ' +
    'to be been can should i my you your also so than then or but if when'
  ).split(' '),
);
function contentTerms(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])
    .filter((w) => !STOP.has(w))
    .map((w) => (w.length > 5 ? w.replace(/(en|e|s)$/u, '') : w));
}

const turn = (
  question: string,
  answer = 'Volgens de KCE-richtlijn (2017): in beweging blijven is belangrijk. [1]',
): Turn => ({ question, answer });

describe('resolveFollowUp', () => {
  it('without history nothing is a follow-up', () => {
    expect(resolveFollowUp('En bij chronische pijn?', [], contentTerms)).toEqual({
      query: 'En bij chronische pijn?',
      isFollowUp: false,
      carried: [],
    });
  });

  it('"En bij chronische pijn?" carries the intervention and replaces acute by chronic', () => {
    const r = resolveFollowUp(
      'En bij chronische pijn?',
      [turn('Helpt oefentherapie bij acute lagerugpijn?')],
      contentTerms,
    );
    expect(r.isFollowUp).toBe(true);
    expect(r.carried).toEqual(['oefentherapie', 'lagerugpijn']);
    expect(r.query).toBe('En bij chronische pijn? oefentherapie lagerugpijn');
    // "acute" is replaced by "chronische"; "Helpt" only frames the previous question.
    expect(r.carried).not.toContain('acute');
    expect(r.carried).not.toContain('Helpt');
  });

  it('how the previous question asked ("nodig", "resultaat") is not carried, what it asked about is', () => {
    const why = resolveFollowUp('Waarom niet?', [turn('Is een RX nodig bij lumbago?')], contentTerms);
    expect(why.carried).toEqual(['RX', 'lumbago']);
    const how = resolveFollowUp('Hoe zag dat programma eruit?', [turn('hardlopen chronische rugpijn resultaat?')], contentTerms);
    expect(how.carried).toEqual(['hardlopen', 'chronische', 'rugpijn']);
  });

  it('"Hoeveel deelnemers waren er?" is completed with the study topic', () => {
    const r = resolveFollowUp(
      'Hoeveel deelnemers waren er?',
      [turn('Werkt een digitaal loopprogramma bij chronische lagerugpijn?')],
      contentTerms,
    );
    expect(r.isFollowUp).toBe(true);
    expect(r.carried).toEqual(['digitaal', 'loopprogramma', 'chronische', 'lagerugpijn']);
    expect(r.query.startsWith('Hoeveel deelnemers waren er?')).toBe(true);
  });

  it('"En voor kinesitherapie?" and English "What about chronic pain?"', () => {
    const nl = resolveFollowUp(
      'En voor kinesitherapie?',
      [turn('Is beeldvorming nodig bij acute lage rugpijn?')],
      contentTerms,
    );
    expect(nl.isFollowUp).toBe(true);
    expect(nl.carried).toEqual(['beeldvorming', 'acute', 'lage', 'rugpijn']);

    const en = resolveFollowUp(
      'What about chronic pain?',
      [turn('Does exercise therapy help for acute low back pain?')],
      contentTerms,
    );
    expect(en.isFollowUp).toBe(true);
    expect(en.carried).toEqual(['exercise', 'therapy', 'low', 'back']);
  });

  it('"Is dat ook zo bij ouderen?" uses the anaphor and carries the previous topic', () => {
    const r = resolveFollowUp(
      'Is dat ook zo bij ouderen?',
      [turn('Gaat acute lage rugpijn meestal vanzelf over?')],
      contentTerms,
    );
    expect(r.isFollowUp).toBe(true);
    expect(r.query).toContain('rugpijn');
    expect(r.carried).toContain('vanzelf');
  });

  it('a demonstrative before a noun points back too: "Hoe zag dat programma eruit?"', () => {
    const history = [turn('Helpt hardlopen bij chronische lagerugpijn?')];
    for (const q of ['Hoe zag dat programma eruit?', 'How long did that programme last?']) {
      const r = resolveFollowUp(q, history, contentTerms);
      expect(r.isFollowUp, q).toBe(true);
      expect(r.carried).toContain('hardlopen');
    }
    // Without a demonstrative, three content words stand on their own.
    expect(resolveFollowUp('Hoe zag programma eruit?', history, contentTerms).isFollowUp).toBe(false);
  });

  it('uses the most recent question, not older ones, and never words from answers', () => {
    const history = [
      turn('Wat zegt de richtlijn over beeldvorming bij rugpijn?'),
      turn(
        'Helpt hardlopen bij chronische lagerugpijn?',
        'Een Minerva-duiding (2022) stelt: pijnvermindering na 12 weken bij 40 deelnemers. [1]',
      ),
    ];
    const r = resolveFollowUp('Hoeveel deelnemers waren er?', history, contentTerms);
    expect(r.carried).toEqual(['hardlopen', 'chronische', 'lagerugpijn']);
    expect(r.carried).not.toContain('beeldvorming');
    expect(r.carried).not.toContain('Minerva-duiding');
  });

  it('chains follow-ups: the topic survives two elliptical turns', () => {
    const history = [turn('Helpt oefentherapie bij acute lagerugpijn?'), turn('En bij chronische?')];
    const r = resolveFollowUp('Hoeveel studies waren er?', history, contentTerms);
    expect(r.isFollowUp).toBe(true);
    expect(r.carried).toEqual(['oefentherapie', 'lagerugpijn', 'chronische']);
  });

  it('skips a previous question without content when looking for the topic', () => {
    const history = [turn('Helpt wandelen bij chronische rugpijn?'), turn('Waarom?')];
    const r = resolveFollowUp('En hoe vaak per week?', history, contentTerms);
    expect(r.carried).toEqual(['wandelen', 'chronische', 'rugpijn']);
  });

  it('a full standalone question with history is not a follow-up', () => {
    const history = [turn('Helpt hardlopen bij chronische lagerugpijn?')];
    for (const q of [
      'Is een MRI nodig bij acute lage rugpijn?',
      'Welke psychologische factoren maken dat rugpijn chronisch wordt?',
      'Wat zegt de KCE-richtlijn over werkhervatting bij lage rugpijn?',
    ]) {
      expect(resolveFollowUp(q, history, contentTerms)).toEqual({ query: q, isFollowUp: false, carried: [] });
    }
  });

  it('does not carry words the question already has, and keeps surface forms', () => {
    const r = resolveFollowUp(
      'En bij chronische lagerugpijn?',
      [turn("Zijn NSAID's nuttig bij acute lagerugpijn?")],
      contentTerms,
    );
    expect(r.carried).toEqual(["NSAID's"]);
  });

  it('counts words, not compound parts, and carries a compound the question covers only in part', () => {
    // Like the real analyzer: a compound also yields its parts.
    const withParts = (t: string): string[] =>
      contentTerms(t).flatMap((term) => (term.endsWith('rugpijn') ? [term, 'rug', 'pijn'] : [term]));
    const history = [turn('Helpt oefentherapie bij acute lagerugpijn?')];
    const r = resolveFollowUp('En bij chronische lage rugpijn?', history, withParts);
    expect(r.isFollowUp).toBe(true);
    expect(r.carried).toEqual(['oefentherapie', 'lagerugpijn']);
    expect(resolveFollowUp('En bij chronische pijn?', history, withParts).carried).toEqual([
      'oefentherapie',
      'lagerugpijn',
    ]);
  });

  it('a follow-up query always starts with the question and contains each carried word once (property)', () => {
    const words = [
      'oefentherapie',
      'wandelen',
      'chronische',
      'acute',
      'lagerugpijn',
      'beeldvorming',
      'KCE-richtlijn',
      'ouderen',
      'pijn',
    ];
    const question = fc
      .array(fc.constantFrom(...words, 'en', 'bij', 'dat', 'is', 'ook'), { minLength: 1, maxLength: 6 })
      .map((ws) => `${ws.join(' ')}?`);
    fc.assert(
      fc.property(question, fc.array(question, { maxLength: 4 }), (q, previous) => {
        const r = resolveFollowUp(
          q,
          previous.map((p) => turn(p)),
          contentTerms,
        );
        expect(r.query.startsWith(q.trim())).toBe(true);
        expect(r.isFollowUp).toBe(r.carried.length > 0);
        expect(new Set(r.carried.map((w) => w.toLowerCase())).size).toBe(r.carried.length);
        const own = new Set(contentTerms(q));
        for (const w of r.carried) expect(contentTerms(w).every((t) => own.has(t))).toBe(false);
      }),
    );
  });
});
