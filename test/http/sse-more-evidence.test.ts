import { describe, expect, it } from 'vitest';
import { answerEvents } from '../../src/http/sse.js';
import type { Answer } from '../../src/schemas.js';

/** The chat page reads `moreEvidence` from the stream's meta event (its "Meer uit de bronnen" part). */
const base: Answer = {
  answer: 'Blijf in beweging. [1]',
  refused: false,
  redFlags: [],
  moreEvidence: [],
  citations: [
    {
      n: 1,
      chunkId: 'a#0',
      file: 'a.txt',
      title: 'Richtlijn',
      kind: 'guideline',
      section: '',
      quote: 'Blijf in beweging.',
      start: 0,
      end: 18,
    },
  ],
  composer: 'extractive',
  language: 'nl',
  timings: { retrieveMs: 1, composeMs: 1 },
};

describe('answerEvents — moreEvidence', () => {
  it('meta carries moreEvidence when the answer has some', () => {
    const more = [
      {
        chunkId: 'b#2',
        file: 'b.txt',
        title: 'Duiding',
        kind: 'evidence-summary' as const,
        section: 'Besluit',
        quote: 'Wandelen helpt matig.',
        start: 5,
        end: 26,
        strength: 'matig bewijs',
      },
    ];
    const meta = answerEvents({ ...base, moreEvidence: more })[0];
    expect(meta?.event).toBe('meta');
    expect((meta?.data as { moreEvidence?: unknown }).moreEvidence).toEqual(more);
  });

  it('meta has no moreEvidence field when there is none (unchanged for existing clients)', () => {
    expect(answerEvents(base)[0]?.data).not.toHaveProperty('moreEvidence');
  });
});
