import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { ask, createEngine, getSource, type Engine } from '../../src/engine.js';
import { buildInstructions, createMcpServer, formatAnswer, mcpLogger } from '../../src/mcp/server.js';
import { ErrorCode, LoggingMessageNotificationSchema, McpError, type LoggingMessageNotification, type ResourceLink } from '@modelcontextprotocol/sdk/types.js';
import { listSources } from '../../src/engine.js';
import { createLogger } from '../../src/logger.js';
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
  (((result as { content?: unknown }).content ?? []) as { type: string; text?: string }[])
    .filter((c) => c.type === 'text')
    .map((c) => c.text ?? '')
    .join('\n');

/** The resource_link items of a tool result. */
const links = (result: object): ResourceLink[] =>
  (((result as { content?: unknown }).content ?? []) as { type: string }[]).filter(
    (c): c is ResourceLink => c.type === 'resource_link',
  );

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
  });

  it.each(['rugwijs://sources/009_bestaat_niet.txt', 'rugwijs://sources/..%2Fpackage.json'])(
    'reading the unknown resource %s is the SDK resource-not-found error, not an internal error',
    async (uri) => {
      const err: unknown = await client.readResource({ uri }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(McpError);
      expect((err as McpError).code).toBe(ErrorCode.InvalidParams);
      expect((err as McpError).message).toMatch(/Resource .+ not found/);
    },
  );

  it('answer_question adds one resource_link per distinct cited source, in citation order', async () => {
    const result = await client.callTool({ name: 'answer_question', arguments: { question: QUESTION } });
    const answer = AnswerSchema.parse(result.structuredContent);
    const files = [...new Set(answer.citations.map((c) => c.file))];
    expect(files.length).toBeGreaterThan(0);
    const got = links(result);
    expect(got.map((l) => l.uri)).toEqual(files.map((f) => `rugwijs://sources/${f}`));
    for (const l of got) {
      expect(l.mimeType).toBe('text/plain');
      expect(l.title).toBe(answer.citations.find((c) => `rugwijs://sources/${c.file}` === l.uri)?.title);
      // Every link opens: it is one of the listed resources.
      const read = await client.readResource({ uri: l.uri });
      expect((read.contents[0] as { text: string }).text.length).toBeGreaterThan(0);
    }
  });

  it('a refusal without citations carries no resource links', async () => {
    const result = await client.callTool({ name: 'answer_question', arguments: { question: 'Hoe behandel ik een gebroken pols?' } });
    const answer = AnswerSchema.parse(result.structuredContent);
    expect(answer.refused).toBe(true);
    expect(links(result)).toHaveLength(answer.citations.length === 0 ? 0 : new Set(answer.citations.map((c) => c.file)).size);
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

describe('MCP instructions', () => {
  it('are generated from the loaded corpus: its document count and every label, nothing it does not hold', async () => {
    const sources = listSources(engine);
    const instructions = client.getInstructions() ?? '';
    expect(instructions).toBe(buildInstructions(sources));
    expect(instructions).toContain(`${sources.length} Dutch documents`);
    for (const s of sources) expect(instructions).toContain(s.label);
    expect(instructions).not.toMatch(/Cochrane/);
  });

  it('follow the corpus: another set of sources gives other counts and labels', () => {
    const one = buildInstructions([
      { kind: 'guideline', authority: 1, label: 'de richtlijn van P' },
    ]);
    expect(one).toContain('from 1 Dutch document only: 1 guideline (de richtlijn van P)');
    const three = buildInstructions([
      { kind: 'news', authority: 4, label: 'krant' },
      { kind: 'evidence-summary', authority: 2, label: 'duiding 1' },
      { kind: 'evidence-summary', authority: 2, label: 'duiding 2' },
    ]);
    expect(three).toContain('3 Dutch documents only: 2 evidence summaries (duiding 1; duiding 2), 1 news item (krant)');
  });
});

describe('MCP logging', () => {
  /** A fresh client+server pair that records the log notifications it receives. */
  async function loggingPair(): Promise<{ c: Client; received: LoggingMessageNotification['params'][]; server: ReturnType<typeof createMcpServer> }> {
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    const server = createMcpServer(engine, createLogger('silent'));
    await server.connect(serverSide);
    const c = new Client({ name: 'rugwijs-log-test', version: '0.0.0' });
    const received: LoggingMessageNotification['params'][] = [];
    c.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
      received.push(n.params);
    });
    await c.connect(clientSide);
    return { c, received, server };
  }
  const settle = () => new Promise((r) => setTimeout(r, 20));
  const RED_FLAG_QUESTION = 'Ik heb rugpijn en koorts en verlies gewicht, wat nu?';

  it('declares the logging capability and accepts logging/setLevel with {}', async () => {
    const { c } = await loggingPair();
    expect(c.getServerCapabilities()?.logging).toEqual({});
    expect(await c.setLoggingLevel('info')).toEqual({});
    await c.close();
  });

  it('sends answer notices as notifications/message, filtered by the level the client set', async () => {
    const { c, received } = await loggingPair();
    await c.callTool({ name: 'answer_question', arguments: { question: RED_FLAG_QUESTION } });
    await settle();
    // No level set: everything, including the debug line with the timings.
    expect(received.map((m) => m.level)).toContain('debug');
    expect(received.find((m) => m.level === 'warning')?.data).toMatchObject({ event: 'red-flags' });
    expect(received.every((m) => m.logger === 'rugwijs')).toBe(true);

    received.length = 0;
    await c.setLoggingLevel('warning');
    await c.callTool({ name: 'answer_question', arguments: { question: RED_FLAG_QUESTION } });
    await c.callTool({ name: 'answer_question', arguments: { question: 'Hoe behandel ik een gebroken pols?' } });
    await settle();
    expect(received.length).toBeGreaterThan(0);
    expect(received.every((m) => ['warning', 'error', 'critical', 'alert', 'emergency'].includes(m.level))).toBe(true);
    await c.close();
  });

  it('mcpLogger forwards warnings (e.g. an index rebuild) to the client and still writes them to the logger', async () => {
    const { c, received, server } = await loggingPair();
    const lines: string[] = [];
    const base = createLogger('info');
    const spy = base.child({});
    // Capture what reaches the original logger.
    spy.warn = ((obj: unknown, msg?: string) => {
      lines.push(`${JSON.stringify(obj)} ${msg ?? ''}`);
    }) as typeof spy.warn;
    const log = mcpLogger(server, spy);
    log.warn({ code: 'index_stale' }, 'Corpus changed. Building the index now.');
    log.debug('below the logger level: neither sent nor written');
    await settle();
    expect(received).toEqual([
      { level: 'warning', logger: 'rugwijs', data: { code: 'index_stale', message: 'Corpus changed. Building the index now.' } },
    ]);
    expect(lines).toHaveLength(1);
    await c.close();
  });
});
