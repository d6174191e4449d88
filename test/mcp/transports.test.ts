import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, PROJECT_ROOT, type Config } from '../../src/config.js';
import { ask, createEngine, type Engine } from '../../src/engine.js';
import { createApp } from '../../src/http/app.js';
import { createLogger } from '../../src/logger.js';
import { formatAnswer } from '../../src/mcp/server.js';
import { AnswerSchema, SearchResultSchema } from '../../src/schemas.js';

const QUESTION = 'Helpt oefentherapie bij acute lage rugpijn?';

let tmp: string;
let config: Config;
let engine: Engine;
let server: http.Server;
let mcpUrl: URL;

/** Environment of a spawned stdio server: the temp index, no token, quiet logs. */
const childEnv = (): Record<string, string> => ({
  ...(Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== undefined)) as Record<
    string,
    string
  >),
  RUGWIJS_INDEX_DIR: tmp,
  RUGWIJS_API_TOKEN: '',
  LOG_LEVEL: 'warn',
});

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'rugwijs-mcp-transport-'));
  config = loadConfig({}, { indexDir: tmp, port: 0, logLevel: 'silent' });
  engine = await createEngine(config);
  server = createApp(engine, config, createLogger('silent')).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  mcpUrl = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`);
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(tmp, { recursive: true, force: true });
});

/** The text content of a tool result (the union type of callTool results is not worth narrowing here). */
const text = (result: object): string =>
  (((result as { content?: unknown }).content ?? []) as { type: string; text?: string }[])
    // Only the text items: answer_question also returns resource_link items (one per cited source).
    .filter((c) => c.type === 'text')
    .map((c) => c.text ?? '')
    .join('\n');

const transports = {
  // Through the package bin, so the launcher (tsx, stdio passthrough) is exercised too.
  stdio: () =>
    new StdioClientTransport({
      command: process.execPath,
      args: [path.join(PROJECT_ROOT, 'bin/rugwijs-mcp.js')],
      env: childEnv(),
      stderr: 'pipe',
    }),
  'streamable http': () => new StreamableHTTPClientTransport(mcpUrl),
};

describe.each(Object.entries(transports))('MCP over %s', (_name, makeTransport) => {
  let client: Client;

  beforeAll(async () => {
    client = new Client({ name: 'rugwijs-test', version: '0.0.0' });
    await client.connect(makeTransport());
  });

  afterAll(async () => {
    await client.close();
  });

  it('lists the tools', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['answer_question', 'get_source', 'search_passages']);
  });

  it('calls answer_question', async () => {
    const result = await client.callTool({ name: 'answer_question', arguments: { question: QUESTION } });
    expect(result.isError).toBeFalsy();
    const answer = AnswerSchema.parse(result.structuredContent);
    expect(answer).toEqual({ ...(await ask(engine, { question: QUESTION })), timings: answer.timings });
    expect(text(result)).toBe(formatAnswer(answer));
  });

  it('calls search_passages', async () => {
    const result = await client.callTool({
      name: 'search_passages',
      arguments: { query: 'oefentherapie', k: 3 },
    });
    expect(SearchResultSchema.parse(result.structuredContent).results.length).toBeGreaterThan(0);
  });

  it('calls get_source', async () => {
    const result = await client.callTool({
      name: 'get_source',
      arguments: { file: '004_beb946dfbc2e71d7.txt' },
    });
    expect(result.isError).toBeFalsy();
    expect(text(result)).toContain('Lage rugpijn: niet ongerust zijn en blijven bewegen!');
  });

  it('answers invalid arguments with isError', async () => {
    const result = await client.callTool({ name: 'get_source', arguments: { file: '../../etc/passwd' } });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/file/);
  });

  it('reads a source resource', async () => {
    const read = await client.readResource({ uri: 'rugwijs://sources/004_beb946dfbc2e71d7.txt' });
    expect((read.contents[0] as { text: string }).text).toBe(
      engine.index.docs.get('004_beb946dfbc2e71d7.txt')?.original,
    );
  });

  it('gets the prompt', async () => {
    const prompt = await client.getPrompt({
      name: 'ask_back_pain_question',
      arguments: { question: QUESTION },
    });
    expect((prompt.messages[0]?.content as { text: string }).text).toContain(QUESTION);
  });
});

describe('stdio server process', () => {
  it('writes nothing but JSON-RPC on stdout', async () => {
    const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'bin/rugwijs-mcp.js')], {
      env: { ...childEnv(), LOG_LEVEL: 'debug' },
    });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    const firstLine = new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk: string) => {
        stdout += chunk;
        if (stdout.includes('\n')) resolve();
      });
    });
    child.stdin.write(
      `${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '0' } } })}\n`,
    );
    await firstLine;
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.stdin.end();
    expect(await exited).toBe(0);
    const lines = stdout.split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(JSON.parse(line)).toMatchObject({ jsonrpc: '2.0' });
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({
      id: 1,
      result: { serverInfo: { name: 'rugwijs' } },
    });
  });
});
