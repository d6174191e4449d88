import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { ask, createEngine, getSource, type Engine } from '../../src/engine.js';
import { createMcpServer, formatAnswer } from '../../src/mcp/server.js';
import { AnswerSchema, SearchResultSchema, SourceDetailSchema, type Answer } from '../../src/schemas.js';

const QUESTION = 'Helpt oefentherapie bij acute lage rugpijn?';

let tmp: string;
let engine: Engine;
let client: Client;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'rugwijs-mcp-'));
  engine = await createEngine(loadConfig({}, { indexDir: tmp }));
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await createMcpServer(engine).connect(serverSide);
  client = new Client({ name: 'rugwijs-test', version: '0.0.0' });
  await client.connect(clientSide);
});

afterAll(async () => {
  await client.close();
  await rm(tmp, { recursive: true, force: true });
});

/** The text content of a tool result (the union type of callTool results is not worth narrowing here). */
const text = (result: object): string =>
  (((result as { content?: unknown }).content ?? []) as { text?: string }[])
    .map((c) => c.text ?? '')
    .join('\n');

describe('formatAnswer', () => {
  const base: Answer = {
    answer: 'Oefentherapie geeft weinig of geen verschil in pijn. [1] Blijf bewegen. [2]',
    refused: false,
    redFlags: [],
    moreEvidence: [],
    citations: [
      {
        n: 1,
        chunkId: '001_799c556b91de25d4#4',
        file: '001_799c556b91de25d4.txt',
        title: 'Oefentherapie bij acute lagerugpijn',
        kind: 'evidence-summary',
        date: '2025-06-20',
        section: 'Besluit',
        quote: 'weinig of geen verschil in pijn',
        start: 120,
        end: 151,
      },
      {
        n: 2,
        chunkId: '004_beb946dfbc2e71d7#0',
        file: '004_beb946dfbc2e71d7.txt',
        title: 'Lage rugpijn: niet ongerust zijn en blijven bewegen!',
        kind: 'guideline',
        section: '',
        quote: 'In beweging blijven is belangrijk',
        start: 472,
        end: 505,
      },
    ],
    composer: 'extractive',
    language: 'nl',
    timings: { retrieveMs: 2, composeMs: 1 },
  };

  it('appends the numbered sources with kind, date, section, offsets and the verbatim quote', () => {
    expect(formatAnswer(base)).toBe(
      `${base.answer}\n\nBronnen:\n` +
        '[1] Oefentherapie bij acute lagerugpijn (evidence-summary, 2025-06-20, Besluit) — 001_799c556b91de25d4.txt 120–151\n' +
        '    “weinig of geen verschil in pijn”\n' +
        '[2] Lage rugpijn: niet ongerust zijn en blijven bewegen! (guideline) — 004_beb946dfbc2e71d7.txt 472–505\n' +
        '    “In beweging blijven is belangrijk”',
    );
  });

  it('uses an English heading for English answers and leaves a refusal without sources as is', () => {
    expect(formatAnswer({ ...base, language: 'en' })).toContain('\n\nSources:\n[1] ');
    const refusal = {
      ...base,
      answer: 'De bronnen beantwoorden deze vraag niet.',
      refused: true,
      citations: [],
    };
    expect(formatAnswer(refusal)).toBe(refusal.answer);
  });
});

describe('createMcpServer', () => {
  it('offers three read-only tools with the shared input and output schemas', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['answer_question', 'get_source', 'search_passages']);
    for (const tool of tools) {
      expect(tool.annotations?.readOnlyHint).toBe(true);
      expect(tool.outputSchema?.type).toBe('object');
      expect(tool.description?.length).toBeGreaterThan(20);
    }
    const answerTool = tools.find((t) => t.name === 'answer_question');
    expect(answerTool?.inputSchema.required).toEqual(['question']);
    expect(Object.keys(answerTool?.inputSchema.properties ?? {})).toEqual(
      expect.arrayContaining(['question', 'history']),
    );
    expect(answerTool?.outputSchema?.required).toEqual(
      expect.arrayContaining(['answer', 'refused', 'citations']),
    );
  });

  it('answer_question returns the core answer as structured content and as text with numbered sources', async () => {
    const result = await client.callTool({ name: 'answer_question', arguments: { question: QUESTION } });
    expect(result.isError).toBeFalsy();
    const answer = AnswerSchema.parse(result.structuredContent);
    const direct = await ask(engine, { question: QUESTION });
    expect(answer.answer).toBe(direct.answer);
    expect(answer.citations).toEqual(direct.citations);
    expect(text(result)).toBe(formatAnswer(answer));
  });

  it('answer_question resolves a follow-up against history', async () => {
    const first = AnswerSchema.parse(
      (await client.callTool({ name: 'answer_question', arguments: { question: QUESTION } }))
        .structuredContent,
    );
    const result = await client.callTool({
      name: 'answer_question',
      arguments: {
        question: 'En bij chronische rugpijn?',
        history: [{ question: QUESTION, answer: first.answer }],
      },
    });
    expect(result.isError).toBeFalsy();
    AnswerSchema.parse(result.structuredContent);
  });

  it('search_passages returns passages as structured content', async () => {
    const result = await client.callTool({
      name: 'search_passages',
      arguments: { query: 'beeldvorming bij lage rugpijn', k: 2 },
    });
    expect(result.isError).toBeFalsy();
    const { results } = SearchResultSchema.parse(result.structuredContent);
    expect(results.length).toBeGreaterThan(0);
    expect(results.length).toBeLessThanOrEqual(2);
    expect(text(result)).toContain(results[0]?.file ?? '?');
  });

  it('get_source returns the original text', async () => {
    const result = await client.callTool({
      name: 'get_source',
      arguments: { file: '004_beb946dfbc2e71d7.txt' },
    });
    const detail = SourceDetailSchema.parse(result.structuredContent);
    expect(detail.text).toBe(getSource(engine, '004_beb946dfbc2e71d7.txt').text);
    expect(text(result)).toContain(detail.text);
  });

  it.each([
    ['answer_question', { question: '' }, /question/],
    ['answer_question', { question: 'x'.repeat(1001) }, /1000/],
    ['answer_question', {}, /question/],
    ['search_passages', { query: 'rugpijn', k: 500 }, /k/],
    ['get_source', { file: '../package.json' }, /file/],
    ['get_source', { file: '/etc/passwd' }, /file/],
  ])('%s with invalid arguments %j is an isError result naming the problem', async (name, args, pattern) => {
    const result = await client.callTool({ name, arguments: args });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(pattern);
  });

  it('get_source for an unknown file is an isError result with not_found', async () => {
    const result = await client.callTool({ name: 'get_source', arguments: { file: '009_bestaat_niet.txt' } });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/^not_found: /);
  });

  it('lists every source as a rugwijs://sources/{file} resource and reads its original text', async () => {
    const { resources } = await client.listResources();
    expect(resources).toHaveLength(5);
    for (const r of resources) {
      expect(r.uri).toBe(`rugwijs://sources/${r.name}`);
      expect(r.mimeType).toBe('text/plain');
      expect(r.title?.length).toBeGreaterThan(0);
    }
    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate)).toEqual(['rugwijs://sources/{file}']);
    const read = await client.readResource({ uri: 'rugwijs://sources/001_799c556b91de25d4.txt' });
    expect(read.contents[0]).toMatchObject({
      uri: 'rugwijs://sources/001_799c556b91de25d4.txt',
      mimeType: 'text/plain',
    });
    expect((read.contents[0] as { text: string }).text).toBe(
      getSource(engine, '001_799c556b91de25d4.txt').text,
    );
    await expect(client.readResource({ uri: 'rugwijs://sources/009_bestaat_niet.txt' })).rejects.toThrow(
      /Unknown source/,
    );
  });

  it('completes source file names', async () => {
    const { completion } = await client.complete({
      ref: { type: 'ref/resource', uri: 'rugwijs://sources/{file}' },
      argument: { name: 'file', value: '00' },
    });
    expect(completion.values).toHaveLength(5);
  });

  it('offers the ask_back_pain_question prompt with the question and relevant passages', async () => {
    const { prompts } = await client.listPrompts();
    expect(prompts.map((p) => p.name)).toEqual(['ask_back_pain_question']);
    expect(prompts[0]?.arguments?.map((a) => a.name)).toEqual(['question']);
    const prompt = await client.getPrompt({
      name: 'ask_back_pain_question',
      arguments: { question: QUESTION },
    });
    const message = prompt.messages[0];
    expect(message?.role).toBe('user');
    const body = (message?.content as { text: string }).text;
    expect(body).toContain(`Vraag: ${QUESTION}`);
    expect(body).toMatch(/\[1\] .+\(\d{3}_[0-9a-f]+\.txt\)/);
  });
});
