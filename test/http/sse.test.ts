import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { answerEvents, formatEvent, splitIntoPieces } from '../../src/http/sse.js';
import type { Answer } from '../../src/schemas.js';

const answer: Answer = {
  answer:
    'Let op: bij krachtverlies is verwijzing nodig.\n\nOefentherapie geeft weinig of geen verschil in pijn. [1] ' +
    'Blijf in beweging, bv. door te wandelen. [2][3]',
  refused: false,
  redFlags: ['krachtverlies'],
  moreEvidence: [],
  citations: [1, 2, 3].map((n) => ({
    n,
    chunkId: `001_799c556b91de25d4#${n}`,
    file: '001_799c556b91de25d4.txt',
    title: 'Oefentherapie bij acute lagerugpijn',
    kind: 'evidence-summary' as const,
    section: 'Besluit',
    quote: 'Oefentherapie geeft weinig of geen verschil in pijn.',
    start: 100 * n,
    end: 100 * n + 52,
  })),
  composer: 'extractive',
  language: 'nl',
  timings: { retrieveMs: 3.2, composeMs: 1.1 },
};

describe('splitIntoPieces', () => {
  it('cuts a Dutch answer after sentences and their citation markers', () => {
    expect(splitIntoPieces(answer.answer)).toEqual([
      'Let op: bij krachtverlies is verwijzing nodig.\n\n',
      'Oefentherapie geeft weinig of geen verschil in pijn. [1] ',
      'Blijf in beweging, bv. ',
      'door te wandelen. [2][3]',
    ]);
  });

  it('keeps a trailing marker with its sentence and returns nothing for empty text', () => {
    expect(splitIntoPieces('Zie de richtlijn. [4]')).toEqual(['Zie de richtlijn. [4]']);
    expect(splitIntoPieces('')).toEqual([]);
  });

  it('always reassembles to the original text, without empty pieces', () => {
    const alphabet = fc.constantFrom(
      'a',
      'B',
      ' ',
      '\n',
      '.',
      '!',
      '?',
      '…',
      '[',
      ']',
      '1',
      '2',
      '"',
      '’',
      ')',
    );
    fc.assert(
      fc.property(fc.string({ unit: alphabet, maxLength: 200 }), (text) => {
        const pieces = splitIntoPieces(text);
        expect(pieces.join('')).toBe(text);
        expect(pieces.every((p) => p.length > 0)).toBe(true);
      }),
    );
  });
});

describe('answerEvents', () => {
  it('sends meta, the answer in deltas, citations, then done', () => {
    const events = answerEvents(answer);
    expect(events.map((e) => e.event)).toEqual([
      'meta',
      'delta',
      'delta',
      'delta',
      'delta',
      'citations',
      'done',
    ]);
    expect(events[0]?.data).toEqual({
      refused: false,
      redFlags: ['krachtverlies'],
      composer: 'extractive',
      language: 'nl',
    });
    const text = events
      .filter((e) => e.event === 'delta')
      .map((e) => (e.data as { text: string }).text)
      .join('');
    expect(text).toBe(answer.answer);
    expect(events.at(-2)?.data).toEqual(answer.citations);
    expect(events.at(-1)?.data).toEqual({ timings: answer.timings });
  });

  it('carries the refusal reason in meta', () => {
    const refused: Answer = {
      ...answer,
      answer: 'De bronnen beantwoorden deze vraag niet.',
      refused: true,
      refusalReason: 'not-in-corpus',
      redFlags: [],
      citations: [],
    };
    expect(answerEvents(refused)[0]?.data).toMatchObject({ refused: true, refusalReason: 'not-in-corpus' });
  });
});

describe('formatEvent', () => {
  it('writes one event line and one JSON data line, even when the text has newlines', () => {
    expect(formatEvent({ event: 'delta', data: { text: 'Eerste alinea.\n\nTweede.' } })).toBe(
      'event: delta\ndata: {"text":"Eerste alinea.\\n\\nTweede."}\n\n',
    );
  });
});
