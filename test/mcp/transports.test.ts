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

describe('stdio server against bad input lines', () => {
  it('answers invalid JSON (-32700), an oversized line (-32600), a batch and arguments: null, and keeps serving', async () => {
    const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'bin/rugwijs-mcp.js')], { env: childEnv() });
    child.stdin.on('error', () => undefined);
    const replies: { id?: unknown; result?: unknown; error?: { code: number; message: string } }[] = [];
    let buffer = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffer += chunk;
      const parts = buffer.split('\n');
      buffer = parts.pop() ?? '';
      for (const p of parts) if (p) replies.push(JSON.parse(p) as (typeof replies)[number]);
    });
    const waitForReplies = async (n: number) => {
      const end = Date.now() + 30_000;
      while (replies.length < n && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
      expect(replies.length).toBeGreaterThanOrEqual(n);
    };
    const send = (line: string) => child.stdin.write(`${line}\n`);
    send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '0' } } }));
    await waitForReplies(1);
    send('{"jsonrpc": "2.0", "id": 2, "method": "ping"');
    await waitForReplies(2);
    // 3 MB in one line, over the 1 MB limit: refused at once, skipped without being held in memory.
    send(`{"jsonrpc":"2.0","id":3,"method":"ping","params":{"pad":"${'a'.repeat(3 * 1024 * 1024)}"}}`);
    await waitForReplies(3);
    send(JSON.stringify([{ jsonrpc: '2.0', id: 4, method: 'ping' }]));
    await waitForReplies(4);
    send(JSON.stringify({ jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 'search_passages', arguments: null } }));
    await waitForReplies(5);
    send(JSON.stringify({ jsonrpc: '2.0', id: 6, method: 'ping' }));
    await waitForReplies(6);
    expect(replies[0]).toMatchObject({ id: 1, result: { serverInfo: { name: 'rugwijs' } } });
    expect(replies[1]).toMatchObject({ id: null, error: { code: -32700 } });
    expect(replies[2]).toMatchObject({ id: null, error: { code: -32600, message: expect.stringContaining('longer than 1024 kB') as unknown } });
    expect(replies[3]).toMatchObject({ id: null, error: { code: -32600, message: expect.stringContaining('batches') as unknown } });
    expect(replies[4]).toMatchObject({ id: 5, error: { code: -32602 } });
    expect(replies[4]?.error?.message).toMatch(/^Invalid params for tools\/call: params\.arguments: [^\n]+$/);
    expect(replies[5]).toMatchObject({ id: 6, result: {} });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.stdin.end();
    expect(await exited).toBe(0);
  });
});
