import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  buildMessages,
  composeWithLlm,
  parseDraft,
  type LlmInput,
  type LlmOptions,
} from '../../src/answer/llm.js';
import { loadPrompts, NO_ANSWER_TOKEN, type Prompts } from '../../src/answer/prompts.js';
import { verifySentences } from '../../src/answer/verify.js';
import { startFakeOpenAI, type FakeOpenAI } from '../helpers/fake-openai.js';

/** A small stand-in for the analyzer: lower case, stopwords out, crude suffix stemming. */
const STOP = new Set(
  (
    'de het een en van in op bij voor met is zijn was waren er dat die dit deze na tot dan ook zo niet geen te om aan of als ' +
    'werd werden wordt worden kan moet hun'
  ).split(' '),
);
function contentTerms(text: string): string[] {
  return (text.toLowerCase().match(/\p{L}+/gu) ?? [])
    .filter((w) => !STOP.has(w))
    .map((w) => (w.length > 5 ? w.replace(/(en|e|s)$/u, '') : w));
}

const passages: LlmInput['passages'] = [
  {
    n: 1,
    label: 'Minerva-duiding',
    section: 'Resultaten',
    text: 'De deelnemers volgden gedurende 12 weken een digitaal loop- en wandelprogramma. In totaal namen 40 deelnemers met chronische lagerugpijn deel.',
  },
  {
    n: 2,
    label: 'KCE-richtlijn',
    section: 'Zelfzorg is de basis',
    text: 'Mensen met rugpijn moeten in beweging blijven. Bedrust wordt afgeraden.',
  },
];
const input: LlmInput = {
  question: 'Helpt een loopprogramma bij chronische lagerugpijn?',
  language: 'nl',
  passages,
  history: [
    {
      question: 'Moet ik in bed blijven met rugpijn?',
      answer: 'Volgens de KCE-richtlijn: in beweging blijven. [1]',
    },
  ],
};

let server: FakeOpenAI;
let prompts: Prompts;
let options: LlmOptions;

beforeAll(async () => {
  server = await startFakeOpenAI();
  prompts = await loadPrompts(path.resolve(import.meta.dirname, '../../prompts'));
  options = { baseUrl: server.baseUrl, model: 'fake-model', timeoutMs: 5_000 };
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.requests.length = 0;
});

describe('composeWithLlm against a fake OpenAI-compatible server', () => {
  it('sends the system prompt and the numbered passages, and parses a cited reply', async () => {
    server.respond({
      kind: 'reply',
      content:
        'Een digitaal loop- en wandelprogramma werd gedurende 12 weken gevolgd door deelnemers met chronische lagerugpijn [1]. ' +
        'Mensen met rugpijn moeten in beweging blijven [2].',
    });
    const draft = await composeWithLlm(input, prompts, options);
    expect(draft).toEqual([
      {
        text: 'Een digitaal loop- en wandelprogramma werd gedurende 12 weken gevolgd door deelnemers met chronische lagerugpijn.',
        cites: [1],
      },
      { text: 'Mensen met rugpijn moeten in beweging blijven.', cites: [2] },
    ]);
    expect(verifySentences(draft, passages, contentTerms).kept).toEqual(draft);

    expect(server.requests).toHaveLength(1);
    const request = server.requests[0];
    expect(request?.url).toBe('/v1/chat/completions');
    expect(request?.body.model).toBe('fake-model');
    expect(request?.body.stream).toBeFalsy();
    const [system, user] = request?.body.messages ?? [];
    expect(system?.role).toBe('system');
    expect(system?.content).toBe(buildMessages(input, prompts).system);
    expect(system?.content).toContain(NO_ANSWER_TOKEN);
    expect(system?.content).toMatch(/Nederlands/);
    expect(user?.role).toBe('user');
    expect(user?.content).toContain(
      '[1] Minerva-duiding — Resultaten\nDe deelnemers volgden gedurende 12 weken',
    );
    expect(user?.content).toContain('[2] KCE-richtlijn — Zelfzorg is de basis\nMensen met rugpijn');
    expect(user?.content).toContain('Vraag: Helpt een loopprogramma bij chronische lagerugpijn?');
    // Previous questions are context; previous answers are not sent.
    expect(user?.content).toContain('- Moet ik in bed blijven met rugpijn?');
    expect(user?.content).not.toContain('Volgens de KCE-richtlijn: in beweging blijven');
  });

  it('with verifySentences keeps only supported sentences: the uncited claim and the wrong number go', async () => {
    server.respond({
      kind: 'reply',
      content: [
        'In totaal namen 40 deelnemers met chronische lagerugpijn deel [1].',
        'Hardlopen geneest rugpijn bij iedereen binnen een week.',
        'Het loop- en wandelprogramma duurde 16 weken [1].',
        'Mensen met rugpijn moeten in beweging blijven [2].',
      ].join(' '),
    });
    const draft = await composeWithLlm(input, prompts, options);
    expect(draft).toHaveLength(4);
    const { kept, dropped } = verifySentences(draft, passages, contentTerms);
    expect(kept.map((s) => s.text)).toEqual([
      'In totaal namen 40 deelnemers met chronische lagerugpijn deel.',
      'Mensen met rugpijn moeten in beweging blijven.',
    ]);
    expect(dropped.map((d) => d.reason)).toEqual(['uncited', 'number-not-in-source']);
  });

  it('returns no sentences when the model says the passages do not answer', async () => {
    server.respond({ kind: 'reply', content: NO_ANSWER_TOKEN });
    await expect(composeWithLlm(input, prompts, options)).resolves.toEqual([]);
  });

  it('sends the English system prompt for an English question and the API key when given', async () => {
    server.respond({ kind: 'reply', content: 'People with back pain should stay active [2].' });
    await composeWithLlm({ ...input, language: 'en', question: 'Should I stay active?' }, prompts, {
      ...options,
      apiKey: 'sk-test',
    });
    const request = server.requests[0];
    expect(request?.body.messages?.[0]?.content).toMatch(/Answer in English/);
    expect(request?.body.messages?.[1]?.content).toContain('Question: Should I stay active?');
    expect(request?.headers.authorization).toBe('Bearer sk-test');
  });

  it('rejects a 500 with llm_error after a single attempt', async () => {
    server.respond({ kind: 'status', status: 500, message: 'model crashed' });
    await expect(composeWithLlm(input, prompts, options)).rejects.toMatchObject({ code: 'llm_error' });
    expect(server.requests).toHaveLength(1);
  });

  it('rejects garbage JSON with llm_error', async () => {
    server.respond({ kind: 'garbage' });
    await expect(composeWithLlm(input, prompts, options)).rejects.toMatchObject({ code: 'llm_error' });
  });

  it('rejects an empty reply with llm_error', async () => {
    server.respond({ kind: 'reply', content: '' });
    await expect(composeWithLlm(input, prompts, options)).rejects.toMatchObject({ code: 'llm_error' });
  });

  it(
    'rejects a reply slower than the timeout with llm_error, without waiting for it',
    { timeout: 4_000 },
    async () => {
      // The server would answer after 30 s; the 4 s test timeout proves the 300 ms client timeout fired.
      server.respond({ kind: 'slow', delayMs: 30_000, content: 'Te laat [1].' });
      await expect(composeWithLlm(input, prompts, { ...options, timeoutMs: 300 })).rejects.toMatchObject({
        code: 'llm_error',
      });
    },
  );

  it('rejects when nothing listens on the port with llm_error', async () => {
    const closed = await startFakeOpenAI();
    const baseUrl = closed.baseUrl;
    await closed.close();
    await expect(composeWithLlm(input, prompts, { ...options, baseUrl })).rejects.toMatchObject({
      code: 'llm_error',
    });
  });
});

describe('parseDraft', () => {
  it('attaches markers before or after the full stop to their sentence', () => {
    expect(parseDraft('Wandelen helpt [1]. Bedrust niet. [2] Slot [1][2]')).toEqual([
      { text: 'Wandelen helpt.', cites: [1] },
      { text: 'Bedrust niet.', cites: [2] },
      { text: 'Slot', cites: [1, 2] },
    ]);
  });

  it('reads lists and ranges of citations', () => {
    expect(parseDraft('Eerste zin [1, 3]. Tweede zin [2-4].')).toEqual([
      { text: 'Eerste zin.', cites: [1, 3] },
      { text: 'Tweede zin.', cites: [2, 3, 4] },
    ]);
  });

  it('does not split at decimals or abbreviations, and strips markdown', () => {
    expect(
      parseDraft('- **Het verschil** was 2.5 punten, o.a. op pijn [2].\n\n## Kop\n1. Tweede punt [1].'),
    ).toEqual([
      { text: 'Het verschil was 2.5 punten, o.a. op pijn.', cites: [2] },
      { text: 'Kop', cites: [] },
      { text: 'Tweede punt.', cites: [1] },
    ]);
  });

  it('keeps an uncited sentence with no citations', () => {
    expect(parseDraft('Dit is een bewering zonder bron. En dit wel [1].')).toEqual([
      { text: 'Dit is een bewering zonder bron.', cites: [] },
      { text: 'En dit wel.', cites: [1] },
    ]);
  });
});
