/**
 * Hardening of MCP over Streamable HTTP (/mcp) against hostile input: property-based fuzzing of the tools
 * (search_passages, answer_question, get_source) through raw JSON-RPC `tools/call` requests, of resource
 * reads and prompts, and of malformed JSON-RPC envelopes. FUZZ_RUNS tool calls (default 2 000) plus extra cases.
 */
import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config.js';
import { createEngine, type Engine } from '../../src/engine.js';
import { createApp } from '../../src/http/app.js';
import { ErrorBodySchema } from '../../src/http/errors.js';
import { createLogger } from '../../src/logger.js';
import { AnswerSchema, SearchResultSchema, SourceDetailSchema } from '../../src/schemas.js';
import {
  fuzzParams,
  hostileBody,
  hostileString,
  oddValue,
  PATH_ATTACKS,
} from '../helpers/fuzz.js';
import { rawRequest, type RawResponse } from '../helpers/http.js';

const logger = createLogger('silent');
const FUZZ = fuzzParams();

let tmp: string;
let config: Config;
let engine: Engine;
let server: http.Server;
let base: string;
const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'rugwijs-mcp-fuzz-'));
  config = loadConfig({}, { indexDir: tmp, port: 0, logLevel: 'silent', rateLimitPerMinute: 1_000_000 });
  engine = await createEngine(config);
  server = createApp(engine, config, logger).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  agent.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await rm(tmp, { recursive: true, force: true });
});

const MCP_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

function postMcp(body: string, headers: Record<string, string> = MCP_HEADERS): Promise<RawResponse> {
  return rawRequest(base, { method: 'POST', path: '/mcp', headers, body, agent });
}

const JsonRpcErrorSchema = z.object({
  jsonrpc: z.literal('2.0'),
  error: z.object({ code: z.number().int(), message: z.string() }),
});
const CallToolResultSchema = z.object({
  content: z.array(z.object({ type: z.string(), text: z.string().optional() })),
  structuredContent: z.record(z.string(), z.unknown()).optional(),
  isError: z.boolean().optional(),
});
const ResponseSchema = z.object({
  jsonrpc: z.literal('2.0'),
  id: z.union([z.string(), z.number(), z.null()]),
  result: z.unknown().optional(),
  error: z.object({ code: z.number().int(), message: z.string() }).optional(),
});

const OUTPUT_SCHEMAS: Record<string, z.ZodType> = {
  search_passages: SearchResultSchema,
  answer_question: AnswerSchema,
  get_source: SourceDetailSchema,
};

/**
 * The invariant of a tools/call: HTTP 200 with a JSON-RPC response for our id that is either an error
 * (unknown tool, invalid params), an `isError` result with a message, or a result whose structuredContent
 * parses with the tool's output schema.
 */
function expectToolOutcome(res: RawResponse, tool: string, id: number): void {
  if (res.status === 400) {
    // Arguments nested deeper than 64 levels are refused before parsing.
    expect(JsonRpcErrorSchema.parse(JSON.parse(res.body)).error).toMatchObject({ code: -32700, message: expect.stringContaining('nested deeper') as unknown });
    return;
  }
  expect(res.status, res.body.slice(0, 300)).toBe(200);
  const reply = ResponseSchema.parse(JSON.parse(res.body));
  expect(reply.id).toBe(id);
  if (reply.error) {
    expect(reply.error.message.length).toBeGreaterThan(0);
    return;
  }
  const result = CallToolResultSchema.parse(reply.result);
  const text = result.content.map((c) => c.text ?? '').join('\n');
  if (result.isError) {
    expect(text.length).toBeGreaterThan(0);
    // A tool failure names its code; never a stack trace.
    expect(text).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
    expect(text).not.toMatch(/^internal:/);
    return;
  }
  const schema = OUTPUT_SCHEMAS[tool];
  expect(schema, `unknown tool ${tool} succeeded`).toBeDefined();
  schema?.parse(result.structuredContent);
}

async function expectHealthy(): Promise<void> {
  expect((await rawRequest(base, { path: '/healthz', agent })).status).toBe(200);
  const res = await postMcp(
    JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name: 'search_passages', arguments: { query: 'oefentherapie bij lage rugpijn', k: 2 } },
    }),
  );
  expectToolOutcome(res, 'search_passages', 1);
  const result = CallToolResultSchema.parse(ResponseSchema.parse(JSON.parse(res.body)).result);
  expect(result.isError).toBeUndefined();
}

const history = fc.oneof(
  fc.array(fc.record({ question: hostileString(), answer: hostileString() }), { maxLength: 3 }),
  fc.constantFrom('geen lijst', null, [{}], [{ question: '' }]),
);

/** Arguments for each tool: well-formed, wrong types, hostile strings, missing, or not an object at all. */
const toolCall = fc.oneof(
  hostileBody('query').map((args) => ({ name: 'search_passages', args })),
  hostileBody('question', { history }).map((args) => ({ name: 'answer_question', args })),
  fc
    .oneof(
      fc.record({
        file: fc.oneof(
          hostileString(),
          fc.constantFrom(...PATH_ATTACKS),
          fc.constant('004_beb946dfbc2e71d7.txt'),
        ),
      }),
      fc.record({ file: oddValue() }),
      oddValue(),
    )
    .map((args) => ({ name: 'get_source', args })),
);

let nextId = 1;
function callBody(name: string, args: unknown, id: number): string {
  return JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } });
}

describe('fuzzing MCP tools over Streamable HTTP', () => {
  it(`answers hostile tool arguments with isError or valid structured content (${FUZZ.numRuns} calls)`, async () => {
    // FUZZ_RUNS calls on the one /mcp endpoint, spread over the three tools (~5 ms each: a fresh MCP server
    // and transport per request).
    await fc.assert(
      fc.asyncProperty(toolCall, async ({ name, args }) => {
        const id = nextId++;
        expectToolOutcome(await postMcp(callBody(name, args, id)), name, id);
      }),
      FUZZ,
    );
    await expectHealthy();
  });

  it('answers unknown tools, hostile tool names and odd params with a JSON-RPC or tool error', async () => {
    const name = fc.oneof(
      hostileString(),
      fc.constantFrom('', 'search_passages ', 'SEARCH_PASSAGES', '__proto__', 'constructor', '../get_source'),
      oddValue(),
    );
    const params = fc.oneof(
      fc.record({ name, arguments: fc.jsonValue({ maxDepth: 2 }) }),
      fc.record({
        name: fc.constantFrom('search_passages', 'get_source'),
        arguments: fc.constantFrom(null, 1, 'x', []),
      }),
      oddValue(),
    );
    await fc.assert(
      fc.asyncProperty(params, async (p) => {
        const id = nextId++;
        const res = await postMcp(JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: p }));
        expect(res.status, res.body.slice(0, 300)).toBeLessThan(500);
        const reply = ResponseSchema.parse(JSON.parse(res.body));
        if (reply.error) return;
        const result = CallToolResultSchema.parse(reply.result);
        const toolName = (p as { name?: unknown } | null)?.name;
        // Anything that succeeded was a real tool with valid output.
        if (!result.isError) expectToolOutcome(res, String(toolName), id);
      }),
      { ...FUZZ, numRuns: Math.max(200, Math.round(FUZZ.numRuns / 8)) },
    );
    await expectHealthy();
  });

  it('reads only corpus documents as resources and serves prompts for any question', async () => {
    const sourceFiles = new Set(engine.index.docs.keys());
    const request = fc.oneof(
      fc
        .oneof(hostileString(), fc.constantFrom(...PATH_ATTACKS), fc.constantFrom('004_beb946dfbc2e71d7.txt'))
        .map((file) => ({ method: 'resources/read', params: { uri: `rugwijs://sources/${file}` } })),
      fc
        .oneof(
          hostileString(),
          fc.constantFrom('file:///etc/passwd', 'rugwijs://sources/', 'rugwijs://../package.json'),
        )
        .map((uri) => ({ method: 'resources/read', params: { uri } })),
      fc.oneof(hostileString(), oddValue()).map((question) => ({
        method: 'prompts/get',
        params: { name: 'ask_back_pain_question', arguments: { question } },
      })),
    );
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const id = nextId++;
        const res = await postMcp(JSON.stringify({ jsonrpc: '2.0', id, ...r }));
        expect(res.status, res.body.slice(0, 300)).toBe(200);
        const reply = ResponseSchema.parse(JSON.parse(res.body));
        if (reply.error || r.method !== 'resources/read') return;
        const { contents } = z
          .object({ contents: z.array(z.object({ uri: z.string(), text: z.string() })) })
          .parse(reply.result);
        // A successful read is exactly one corpus document's original text.
        expect(contents).toHaveLength(1);
        const file = decodeURIComponent(new URL(contents[0]?.uri ?? '').pathname.replace(/^\//, ''));
        expect(sourceFiles.has(file)).toBe(true);
        expect(contents[0]?.text).toBe(engine.index.docs.get(file)?.original);
      }),
      { ...FUZZ, numRuns: Math.max(200, Math.round(FUZZ.numRuns / 8)) },
    );
    await expectHealthy();
  });

  it('answers malformed JSON-RPC envelopes, batches and bodies with a 4xx or a JSON-RPC error, never a 5xx', async () => {
    const envelope = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      fc
        .record(
          {
            jsonrpc: fc.oneof(fc.constant('2.0'), oddValue()),
            id: fc.oneof(fc.integer(), fc.string({ maxLength: 5 }), oddValue()),
            method: fc.oneof(
              fc.constantFrom(
                'tools/list',
                'tools/call',
                'initialize',
                'resources/list',
                'prompts/list',
                'ping',
                'notifications/initialized',
              ),
              hostileString(),
            ),
            params: fc.oneof(oddValue(), fc.jsonValue({ maxDepth: 2 })),
          },
          { requiredKeys: [] },
        )
        .map((v) => JSON.stringify(v)),
      fc
        .array(fc.constant({ jsonrpc: '2.0', id: 7, method: 'tools/list' }), { minLength: 0, maxLength: 3 })
        .map((v) => JSON.stringify(v)),
      fc.constantFrom(
        '',
        '{',
        'null',
        '{"jsonrpc":"2.0","id":1,"method":"tools/list"',
        `${'['.repeat(20_000)}${']'.repeat(20_000)}`,
        `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}`,
      ),
    );
    const headers = fc.constantFrom<Record<string, string>>(
      MCP_HEADERS,
      { 'content-type': 'application/json' },
      { 'content-type': 'application/json', accept: 'text/event-stream' },
      { 'content-type': 'text/plain', accept: MCP_HEADERS.accept },
      { accept: MCP_HEADERS.accept },
    );
    await fc.assert(
      fc.asyncProperty(envelope, headers, async (body, h) => {
        const res = await postMcp(body, h);
        expect(res.status, res.body.slice(0, 300)).toBeLessThan(500);
        if (res.status === 202 || res.body === '') return;
        const json: unknown = JSON.parse(res.body);
        // Either the API error shape (body parsing failed before MCP) or JSON-RPC.
        if (ErrorBodySchema.safeParse(json).success) return;
        // Batches are refused as a whole (one message per request): never an array of replies.
        expect(Array.isArray(json)).toBe(false);
        if (body.startsWith('[') && res.status !== 415 && res.status !== 406) {
          expect(res.status).toBe(400);
          expect(JsonRpcErrorSchema.parse(json).error.code).toBeLessThan(-32599);
        }
        if (res.status >= 400) JsonRpcErrorSchema.parse(json);
        else ResponseSchema.parse(json);
      }),
      { ...FUZZ, numRuns: Math.max(200, Math.round(FUZZ.numRuns / 8)) },
    );
    await expectHealthy();
  });

  it('answers every batch, whatever it holds, with one -32600 and runs none of it', async () => {
    const message = fc.oneof(
      fc.constant({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      fc.record({
        jsonrpc: fc.constant('2.0'),
        id: fc.integer(),
        method: fc.constant('tools/call'),
        params: fc.record({ name: fc.constant('search_passages'), arguments: fc.record({ query: hostileString(), k: fc.constant(50) }) }),
      }),
      oddValue(),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(message, { minLength: 1, maxLength: 200 }), async (batch) => {
        const res = await postMcp(JSON.stringify(batch));
        expect(res.status).toBe(400);
        const reply = JsonRpcErrorSchema.parse(JSON.parse(res.body));
        expect(reply.error.code).toBe(-32600);
        expect(res.body.length).toBeLessThan(300);
      }),
      { seed: FUZZ.seed, numRuns: 100 },
    );
    await expectHealthy();
  });

  it('refuses an MCP body over 1 MB with 413', async () => {
    const res = await postMcp(callBody('search_passages', { query: 'x'.repeat(1_100_000) }, 1));
    expect(res.status).toBe(413);
    expect(ErrorBodySchema.parse(JSON.parse(res.body)).error.code).toBe('payload_too_large');
  });

  it('lets only the exact bearer token through when one is set', async () => {
    const token = 'geheim-token-42';
    const securedConfig = { ...config, apiToken: token };
    const secured = createApp(engine, securedConfig, logger).listen(0, '127.0.0.1');
    await new Promise((resolve) => secured.once('listening', resolve));
    const securedBase = `http://127.0.0.1:${(secured.address() as AddressInfo).port}`;
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
    const send = (authorization: string | undefined, route = '/mcp') =>
      rawRequest(securedBase, {
        method: 'POST',
        path: route,
        headers: { ...MCP_HEADERS, ...(authorization === undefined ? {} : { authorization }) },
        body: route === '/mcp' ? body : JSON.stringify({ query: 'rugpijn' }),
        agent,
      });
    try {
      const printable = fc
        .string({ unit: 'grapheme-ascii', maxLength: 30 })
        .map((t) => t.replace(/[^\x20-\x7e]/g, ''));
      const authorization = fc.oneof(
        printable,
        printable.map((t) => `Bearer ${t}`),
        fc.constantFrom(
          `Bearer ${token} `,
          `Bearer ${token}x`,
          `Bearer ${token.slice(0, -1)}`,
          `Basic ${Buffer.from(`user:${token}`).toString('base64')}`,
          token,
          'Bearer',
          'Bearer ',
        ),
      );
      await fc.assert(
        fc.asyncProperty(authorization, fc.constantFrom('/mcp', '/api/search'), async (auth, route) => {
          const res = await send(auth, route);
          // "Bearer <token> " with trailing space is the same token; everything else is refused.
          const exact = /^Bearer\s+(.+)$/i.exec(auth)?.[1]?.trim() === token;
          if (exact) expect(res.status).toBe(200);
          else {
            expect(res.status).toBe(401);
            expect(ErrorBodySchema.parse(JSON.parse(res.body)).error.code).toBe('unauthorized');
          }
        }),
        { seed: FUZZ.seed, numRuns: 200 },
      );
      expect((await send(undefined)).status).toBe(401);
      expect((await send(`Bearer ${token}`)).status).toBe(200);
      expect((await send(`bearer   ${token}`, '/api/search')).status).toBe(200);
    } finally {
      secured.closeAllConnections();
      await new Promise((resolve) => secured.close(resolve));
    }
  });

  it('rejects every Host header that is not an allowed loopback name with 403', async () => {
    const { port } = new URL(base);
    const allowed = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
    const host = fc.oneof(
      fc.constantFrom(
        'evil.example',
        `evil.example:${port}`,
        `127.0.0.1.evil.example:${port}`,
        `localhost.:${port}`,
        `LOCALHOST:${port}`,
        `localhost:${port}.evil.example`,
        `localhost:${Number(port) + 1}`,
        `127.0.0.1:${port}@evil.example`,
        '127.0.0.1',
        'localhost',
        ' ',
      ),
      fc.domain().map((d) => `${d}:${port}`),
      fc.ipV4().map((ip) => `${ip}:${port}`),
    );
    await fc.assert(
      fc.asyncProperty(host, async (h) => {
        const res = await postMcp(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }), {
          ...MCP_HEADERS,
          host: h,
        });
        if (allowed.has(h.toLowerCase())) expect(res.status).toBe(200);
        else expect(res.status, h).toBe(403);
      }),
      { seed: FUZZ.seed, numRuns: 200 },
    );
  });
});
