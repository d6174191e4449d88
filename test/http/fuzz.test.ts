/**
 * Hardening of the HTTP API against hostile input and faults: property-based fuzzing of POST /api/ask,
 * POST /api/search and GET /api/sources/:file (FUZZ_RUNS cases each, default 2 000, fixed FUZZ_SEED),
 * oversized bodies, slow clients, a broken LLM endpoint and per-client rate limiting.
 */
import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import fc from 'fast-check';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config.js';
import { createEngine, type Engine } from '../../src/engine.js';
import { createApp, startServer } from '../../src/http/app.js';
import { ErrorBodySchema } from '../../src/http/errors.js';
import { createLogger } from '../../src/logger.js';
import { AnswerSchema, SearchResultSchema, SourceDetailSchema, SourceInfoSchema } from '../../src/schemas.js';
import { startFakeOpenAI, type FakeOpenAI } from '../helpers/fake-openai.js';
import {
  awkwardText,
  fuzzParams,
  hostileBody,
  hostileString,
  PATH_ATTACKS,
  PROMPT_INJECTIONS,
} from '../helpers/fuzz.js';
import { parseSse, rawRequest, type RawResponse } from '../helpers/http.js';

const logger = createLogger('silent');
const FUZZ = fuzzParams();
/** Error codes a client mistake may produce; anything else (internal, index_*) is a server fault. */
const CLIENT_CODES = ['bad_request', 'validation_error', 'payload_too_large', 'not_found'];
const KNOWN_FILE = '004_beb946dfbc2e71d7.txt';
const SourceListSchema = z.object({ sources: z.array(SourceInfoSchema) });

let tmp: string;
let config: Config;
let engine: Engine;
let base: string;
const servers: http.Server[] = [];
// Keep-alive connections make thousands of sequential requests cheap.
const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

async function listen(app: Express): Promise<string> {
  const server = app.listen(0, '127.0.0.1');
  servers.push(server);
  await new Promise((resolve) => server.once('listening', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'rugwijs-http-fuzz-'));
  // Rate limiting off (well, out of reach) for the fuzzers; it has its own test below.
  config = loadConfig({}, { indexDir: tmp, port: 0, logLevel: 'silent', rateLimitPerMinute: 1_000_000 });
  engine = await createEngine(config);
  base = await listen(createApp(engine, config, logger));
});

afterAll(async () => {
  agent.destroy();
  for (const s of servers) s.closeAllConnections();
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  await rm(tmp, { recursive: true, force: true });
});

/**
 * The invariant of every API response: never a 5xx; a 200 parses with the route's schema; anything else is
 * the shared `{ error: { code, message } }` shape (nothing more, no stack) with a client-error code.
 */
function expectValidOrClientError(res: RawResponse, schema: z.ZodType): void {
  expect(res.status, res.body.slice(0, 300)).toBeLessThan(500);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  const json: unknown = JSON.parse(res.body);
  if (res.status === 200) {
    schema.parse(json);
    return;
  }
  const { error } = ErrorBodySchema.strict().parse(json);
  expect(Object.keys(error).sort()).toEqual(['code', 'message']);
  expect(CLIENT_CODES).toContain(error.code);
  expect(error.message).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
  expect([400, 404, 413]).toContain(res.status);
}

/** POST with a JSON body (JSON.stringify escapes lone surrogates, so the body is always valid UTF-8). */
function postJson(route: string, body: unknown, headers: Record<string, string> = {}): Promise<RawResponse> {
  const text = JSON.stringify(body) ?? 'null';
  return rawRequest(base, {
    method: 'POST',
    path: route,
    headers: { 'content-type': 'application/json', ...headers },
    body: text,
    agent,
  });
}

async function expectHealthy(url = base): Promise<void> {
  const health = await rawRequest(url, { path: '/healthz', agent });
  expect(health.status).toBe(200);
  const res = await rawRequest(url, {
    method: 'POST',
    path: '/api/search',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: 'oefentherapie bij acute lage rugpijn', k: 2 }),
    agent,
  });
  expect(res.status).toBe(200);
  expect(SearchResultSchema.parse(JSON.parse(res.body)).results.length).toBeGreaterThan(0);
}


const turn = fc.record({ question: hostileString(), answer: fc.oneof(hostileString(), fc.constant('')) });
const history = fc.oneof(
  fc.array(turn, { maxLength: 3 }),
  fc.array(fc.record({ question: fc.constantFrom('Wat is rugpijn?'), answer: fc.constant('') }), {
    minLength: 21,
    maxLength: 22,
  }),
  fc.constantFrom('vorige vraag', null, [null], [{}], [{ question: 1 }]),
);

describe('fuzzing POST /api/ask', () => {
  it(`never answers hostile bodies with a 5xx or an invalid shape (${FUZZ.numRuns} cases)`, async () => {
    await fc.assert(
      fc.asyncProperty(hostileBody('question', { history }), fc.boolean(), async (body, stream) => {
        // About one in ten asks for the event stream; its errors travel as `error` events.
        const res = await postJson('/api/ask', body, stream ? { accept: 'text/event-stream' } : {});
        if (stream && res.status === 200) {
          expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
          const events = parseSse(res.body);
          expect(events.map((e) => e.event)).not.toContain('error');
          expect(events.at(-1)?.event).toBe('done');
          return;
        }
        expectValidOrClientError(res, AnswerSchema);
      }),
      FUZZ,
    );
    await expectHealthy();
  });

  it('keeps prompt-injection text out of the rules: refused or grounded in verbatim quotes', async () => {
    for (const injection of PROMPT_INJECTIONS) {
      for (const question of [injection, `Helpt oefentherapie bij lage rugpijn? ${injection}`]) {
        const res = await postJson('/api/ask', { question });
        expect(res.status).toBe(200);
        const answer = AnswerSchema.parse(JSON.parse(res.body));
        // Every citation is a verbatim quote of a source; nothing the question injected becomes a citation.
        for (const c of answer.citations) {
          expect(engine.index.docs.get(c.file)?.original.slice(c.start, c.end)).toBe(c.quote);
        }
        expect(answer.refused || answer.citations.length > 0).toBe(true);
      }
    }
  });
});

describe('fuzzing POST /api/search', () => {
  it(`never answers hostile bodies with a 5xx or an invalid shape (${FUZZ.numRuns} cases)`, async () => {
    await fc.assert(
      fc.asyncProperty(hostileBody('query'), async (body) => {
        const res = await postJson('/api/search', body);
        expectValidOrClientError(res, SearchResultSchema);
        if (res.status === 200) {
          const { results } = SearchResultSchema.parse(JSON.parse(res.body));
          const k = (body as { k?: unknown }).k;
          expect(results.length).toBeLessThanOrEqual(typeof k === 'number' ? k : 5);
        }
      }),
      FUZZ,
    );
    await expectHealthy();
  });

  it('survives raw bodies: invalid UTF-8, wrong content types and encodings, truncated and deep JSON', async () => {
    const rawBody = fc.oneof(
      fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
      fc.constantFrom(
        '{"query": "rugpijn"',
        '{"query": "\\ud800"}',
        '{"query": "\\u0000"}',
        '{"query": "rugpijn", "query": 5}',
        '{"query": "rugpijn",}',
        "{'query': 'rugpijn'}",
        'null',
        '',
        '[]',
        '"rugpijn"',
        '1e999',
        `{"query": "rugpijn", "k": ${'9'.repeat(400)}}`,
        `${'['.repeat(7_000)}${']'.repeat(7_000)}`,
        `{"query": ${'['.repeat(5_000)}"rugpijn"${']'.repeat(5_000)}}`,
        `${'{"a":'.repeat(3_000)}1${'}'.repeat(3_000)}`,
      ),
      fc.constantFrom(
        Buffer.from([0x7b, 0x22, 0x71, 0xff, 0xfe, 0x22, 0x7d]),
        Buffer.from('\uFEFF{"query":"rugpijn"}'),
      ),
    );
    const contentType = fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'application/json; charset=utf-16',
      'application/json; charset=latin1',
      'application/vnd.api+json',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      '',
    );
    const encoding = fc.constantFrom(undefined, 'gzip', 'deflate', 'br', 'identity', 'bogus');
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/api/search', '/api/ask'),
        rawBody,
        contentType,
        encoding,
        async (route, body, type, enc) => {
          const headers: Record<string, string> = {};
          if (type) headers['content-type'] = type;
          if (enc) headers['content-encoding'] = enc;
          const res = await rawRequest(base, { method: 'POST', path: route, headers, body, agent });
          expect(res.status, res.body.slice(0, 300)).toBeLessThan(500);
          if (res.status !== 200) {
            expect(CLIENT_CODES).toContain(ErrorBodySchema.parse(JSON.parse(res.body)).error.code);
          }
        },
      ),
      { ...FUZZ, numRuns: Math.max(200, Math.round(FUZZ.numRuns / 4)) },
    );
    await expectHealthy();
  });
});

/** Percent-encodes every UTF-8 byte outside printable ASCII (a lone surrogate becomes U+FFFD's bytes). */
function pctEncodeBytes(s: string): string {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    out +=
      byte > 0x20 && byte < 0x7f
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** encodeURIComponent that also takes lone surrogates (they are sent as U+FFFD). */
const encodeComponent = (s: string): string => encodeURIComponent(Buffer.from(s, 'utf8').toString('utf8'));

describe('fuzzing GET /api/sources/:file', () => {
  it(`never serves anything but a corpus document, and never a 5xx (${FUZZ.numRuns} cases)`, async () => {
    const name = fc.oneof(
      hostileString(),
      fc.constantFrom(...PATH_ATTACKS),
      fc.constantFrom(KNOWN_FILE, '005_onbekend.txt'),
    );
    const route = fc.oneof(
      // Encoded as a browser would, raw as an attacker would, with extra segments, and with broken escapes.
      name.map((n) => `/api/sources/${encodeComponent(n)}`),
      name.map((n) => `/api/sources/${pctEncodeBytes(n)}`),
      fc.tuple(name, name).map(([a, b]) => `/api/sources/${pctEncodeBytes(a)}/${pctEncodeBytes(b)}`),
      fc
        .constantFrom('%', '%zz', '%E0%A4%A', '%C0%AE%C0%AE%2F', '%ED%A0%80', '%00', '..%00', '%2e%2e')
        .map((n) => `/api/sources/${n}`),
      // Raw: "/", "%" and "\\" stay as they are; only bytes an HTTP path cannot carry are escaped.
      fc.constantFrom(...PATH_ATTACKS).map((n) => `/api/sources/${pctEncodeBytes(n)}`),
    );
    const sourceFiles = new Set(engine.index.docs.keys());
    await fc.assert(
      fc.asyncProperty(route, async (p) => {
        const res = await rawRequest(base, { path: p, agent });
        expect(res.status, `${p.slice(0, 200)} → ${res.body.slice(0, 200)}`).toBeLessThan(500);
        // Node itself answers 431 (no body) for a request line over its 16 kB header limit.
        if (res.status === 431) return;
        expect([200, 400, 404]).toContain(res.status);
        const json: unknown = JSON.parse(res.body);
        if (res.status === 200 && typeof json === 'object' && json !== null && 'sources' in json) {
          // An empty name ("/api/sources/") is the list route with a trailing slash.
          expect(
            SourceListSchema.parse(json)
              .sources.map((s) => s.file)
              .sort(),
          ).toEqual([...sourceFiles].sort());
        } else if (res.status === 200) {
          const detail = SourceDetailSchema.parse(json);
          // Only a listed corpus document, with exactly its own text.
          expect(sourceFiles.has(detail.file)).toBe(true);
          expect(detail.text).toBe(engine.index.docs.get(detail.file)?.original);
        } else {
          expect(CLIENT_CODES).toContain(ErrorBodySchema.strict().parse(json).error.code);
        }
      }),
      FUZZ,
    );
    await expectHealthy();
  });

  it('never serves a file from outside the page and corpus for traversal under /api and /', async () => {
    const prefix = fc.constantFrom('/api/', '/api/sources/', '/', '/mcp/', '/%2e%2e/', '/api/..%2f');
    const attack = fc.oneof(
      fc.constantFrom(...PATH_ATTACKS).map(pctEncodeBytes),
      fc.constantFrom(...PATH_ATTACKS).map(encodeComponent),
      fc.constantFrom('..', '../..', '..%2f..', '..%5c..').map((up) => `${up}/package.json`),
    );
    await fc.assert(
      fc.asyncProperty(prefix, attack, async (pre, a) => {
        const res = await rawRequest(base, { path: `${pre}${a}`, agent });
        expect(res.status).toBeLessThan(500);
        // Whatever the route, nothing from the project or the system leaks (the chat page itself may be served).
        expect(res.body).not.toMatch(/"name":\s*"rugwijs"|root:x:0:0|\[fonts\]|PRIVATE KEY/);
        if (res.status >= 300 && res.status < 400) expect(res.headers.location ?? '').toMatch(/^\/[^/\\]/);
      }),
      { ...FUZZ, numRuns: Math.min(FUZZ.numRuns, 300) },
    );
  });
});

describe('oversized bodies', () => {
  it.each([
    ['/api/ask', { question: 'Helpt bewegen?', history: [{ question: 'x', answer: 'a'.repeat(16_500) }] }],
    ['/api/search', { query: 'rugpijn', padding: 'é'.repeat(9_000) }],
    ['/api/ask', { question: 'x'.repeat(200_000) }],
  ])('refuses an over-16 kB body on %s with 413 payload_too_large', async (route, body) => {
    const res = await postJson(route, body);
    expect(res.status).toBe(413);
    expect(ErrorBodySchema.parse(JSON.parse(res.body)).error.code).toBe('payload_too_large');
  });

  it('refuses an over-16 kB body announced by Content-Length before reading it', async () => {
    // The client announces 1 MB but sends only a little: the 413 must not wait for the rest.
    const url = new URL(base);
    const socket = net.connect(Number(url.port), url.hostname);
    const reply = await new Promise<string>((resolve, reject) => {
      let text = '';
      socket.on('data', (c: Buffer) => {
        text += c.toString('utf8');
        if (text.includes('\r\n\r\n') && text.includes('}')) resolve(text);
      });
      socket.on('error', reject);
      socket.on('close', () => resolve(text));
      socket.write(
        `POST /api/ask HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\nContent-Length: 1048576\r\n\r\n{"question":"`,
      );
    });
    socket.destroy();
    expect(reply).toMatch(/^HTTP\/1\.1 413 /);
    expect(reply).toContain('"payload_too_large"');
  });

  it('accepts a body just under 16 kB', async () => {
    const res = await postJson('/api/ask', {
      question: 'Helpt bewegen bij lage rugpijn?',
      history: [{ question: 'Wat is lage rugpijn?', answer: 'a'.repeat(15_000) }],
    });
    expect(res.status).toBe(200);
    AnswerSchema.parse(JSON.parse(res.body));
  });
});

describe('slow clients', () => {
  const TIMEOUT_MS = 400;

  /**
   * Opens a raw socket, sends `head`, then dribbles `drip` one byte every 50 ms (for far longer than the
   * timeout). Resolves with what the server answered once it closes the connection.
   */
  function dribble(url: string, head: string, drip: string): Promise<{ reply: string; sent: number }> {
    const { hostname, port } = new URL(url);
    return new Promise((resolve, reject) => {
      const socket = net.connect(Number(port), hostname);
      let reply = '';
      let sent = 0;
      let timer: NodeJS.Timeout | undefined;
      socket.on('connect', () => {
        socket.write(head);
        timer = setInterval(() => {
          // 200 drips = 10 s, 25 times the timeout: if the server waits that long it never cuts anyone off.
          if (sent >= drip.length || sent >= 200) {
            clearInterval(timer);
            socket.destroy();
            reject(new Error(`the server was still waiting after ${sent} dribbled bytes`));
            return;
          }
          socket.write(drip[sent] ?? ' ');
          sent++;
        }, 50);
      });
      socket.on('data', (c: Buffer) => (reply += c.toString('utf8')));
      socket.on('error', () => {
        /* a reset after the 408 is fine: the close handler reports */
      });
      socket.on('close', () => {
        clearInterval(timer);
        resolve({ reply, sent });
      });
    });
  }

  let running: Awaited<ReturnType<typeof startServer>>;

  beforeAll(async () => {
    running = await startServer(config, { logger, engine, requestTimeoutMs: TIMEOUT_MS });
    await running.engine;
  });

  afterAll(async () => {
    await running.close(100);
  });

  it('applies a configured request and headers timeout', () => {
    expect(running.server.requestTimeout).toBe(TIMEOUT_MS);
    expect(running.server.headersTimeout).toBeLessThanOrEqual(TIMEOUT_MS);
  });

  it('cuts off a client that dribbles its headers', async () => {
    const { host } = new URL(running.url);
    const { reply, sent } = await dribble(
      running.url,
      'GET /healthz HTTP/1.1\r\n',
      `Host: ${host}\r\nX-Slow: ${'a'.repeat(400)}`,
    );
    expect(reply).toMatch(/^HTTP\/1\.1 408 /);
    expect(sent).toBeLessThan(200);
  });

  it('cuts off a client that dribbles its body', async () => {
    const { host } = new URL(running.url);
    const body = JSON.stringify({ query: `oefentherapie ${'a'.repeat(400)}` });
    const head = `POST /api/search HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`;
    const { reply, sent } = await dribble(running.url, head, body);
    expect(reply).toMatch(/^HTTP\/1\.1 408 /);
    expect(sent).toBeLessThan(body.length);
  });

  it('still serves normal clients afterwards', async () => {
    await expectHealthy(running.url);
  });
});

describe('LLM endpoint down, slow or returning garbage', () => {
  let fake: FakeOpenAI;
  let llmBase: string;

  beforeAll(async () => {
    fake = await startFakeOpenAI();
    // The loaded index is reused; only the composer settings differ. 300 ms bounds the "slow" case.
    const llmConfig: Config = {
      ...config,
      llmBaseUrl: fake.baseUrl,
      llmModel: 'fake-model',
      llmTimeoutMs: 300,
    };
    llmBase = await listen(createApp({ ...engine, config: llmConfig }, llmConfig, logger));
  });

  afterAll(async () => {
    await fake.close();
  });

  const QUESTION = 'Helpt oefentherapie bij acute lage rugpijn?';

  async function askExpectingOffline(): Promise<void> {
    const before = fake.requests.length;
    const res = await rawRequest(llmBase, {
      method: 'POST',
      path: '/api/ask',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ question: QUESTION }),
    });
    expect(res.status).toBe(200);
    const answer = AnswerSchema.parse(JSON.parse(res.body));
    expect(answer.composer).toBe('extractive');
    expect(answer.refused).toBe(false);
    expect(answer.citations.length).toBeGreaterThan(0);
    // The LLM really was tried (so this is the fallback path, not a skipped composer).
    expect(fake.requests.length).toBe(before + 1);
  }

  it.each([
    ['a 500', { kind: 'status', status: 500 }],
    ['a 429', { kind: 'status', status: 429, message: 'rate limited' }],
    ['a 401', { kind: 'status', status: 401, message: 'bad key' }],
    ['garbage instead of JSON', { kind: 'garbage' }],
    ['JSON that is not a completion', { kind: 'garbage', body: '{"hello": "world"}' }],
    [
      'a reply without citations',
      { kind: 'reply', content: 'Ja hoor, neem gewoon rust. Geen bronnen nodig.' },
    ],
    [
      'a reply citing passages that do not exist',
      { kind: 'reply', content: 'Bedrust helpt altijd [42]. [0] [-1]' },
    ],
    ['an empty reply', { kind: 'reply', content: '' }],
    ['a reply slower than the timeout', { kind: 'slow', delayMs: 5_000, content: 'te laat [1]' }],
  ] as const)('falls back to the offline answer on %s', async (_name, behaviour) => {
    fake.respond(behaviour);
    await askExpectingOffline();
  });

  it('falls back to the offline answer when the LLM endpoint is down (connection refused)', async () => {
    // A port that was just free: nothing listens there.
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const downConfig: Config = { ...config, llmBaseUrl: `http://127.0.0.1:${port}/v1`, llmTimeoutMs: 300 };
    const downBase = await listen(createApp({ ...engine, config: downConfig }, downConfig, logger));
    const res = await rawRequest(downBase, {
      method: 'POST',
      path: '/api/ask',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ question: QUESTION }),
    });
    expect(res.status).toBe(200);
    const events = parseSse(res.body);
    expect(events.map((e) => e.event)).not.toContain('error');
    expect(events[0]).toMatchObject({ event: 'meta', data: { composer: 'extractive', refused: false } });
  });

  it('keeps answering hostile questions without a 5xx while the LLM returns garbage', async () => {
    fake.respond({ kind: 'garbage' });
    await fc.assert(
      fc.asyncProperty(awkwardText(12), async (question) => {
        const res = await rawRequest(llmBase, {
          method: 'POST',
          path: '/api/ask',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ question }),
          agent,
        });
        expectValidOrClientError(res, AnswerSchema);
      }),
      { seed: FUZZ.seed, numRuns: 60 },
    );
  });
});

describe('rate limiting', () => {
  it('counts each client separately: one client over its budget gets 429, another still gets through', async () => {
    const limitedBase = await listen(createApp(engine, { ...config, rateLimitPerMinute: 5 }, logger));
    const { port } = new URL(limitedBase);
    // Two loopback source addresses are two clients to the server.
    const from = (localAddress: string): Promise<number> =>
      new Promise((resolve, reject) => {
        const req = http.get({ host: '127.0.0.1', port, path: '/api/sources', localAddress }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', reject);
      });
    const first: number[] = [];
    for (let i = 0; i < 7; i++) first.push(await from('127.0.0.1'));
    expect(first).toEqual([200, 200, 200, 200, 200, 429, 429]);
    expect(await from('127.0.0.2')).toBe(200);
    // The MCP endpoint shares the budget of the client.
    const mcp = await rawRequest(limitedBase, {
      method: 'POST',
      path: '/mcp',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(mcp.status).toBe(429);
    expect(ErrorBodySchema.parse(JSON.parse(mcp.body)).error.code).toBe('rate_limited');
  });
});

describe('fuzzing chunked bodies and slow readers', () => {
  it('answers chunked bodies of any split and size: 413 past 16 kB, never a 5xx, and reads no further', async () => {
    const { hostname, port } = new URL(base);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 40_000 }),
        fc.array(fc.integer({ min: 1, max: 9_000 }), { minLength: 1, maxLength: 12 }),
        fc.constantFrom('/api/search', '/api/ask'),
        async (padding, splits, route) => {
          const body = Buffer.from(JSON.stringify({ query: 'rugpijn', question: 'Helpt bewegen?', pad: 'x'.repeat(padding) }));
          const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
            const req = http.request(
              { host: hostname, port, method: 'POST', path: route, agent: false, headers: { 'content-type': 'application/json' } },
              (r) => {
                let text = '';
                r.on('data', (c: Buffer) => (text += c.toString()));
                r.on('end', () => resolve({ status: r.statusCode ?? 0, body: text }));
                r.on('error', reject);
              },
            );
            req.on('error', reject);
            let offset = 0;
            for (const size of splits) {
              if (offset >= body.length) break;
              req.write(body.subarray(offset, offset + size));
              offset += size;
            }
            req.end(body.subarray(offset));
          });
          expect(res.status).toBeLessThan(500);
          if (body.length > 16 * 1024) {
            expect(res.status).toBe(413);
            expect(ErrorBodySchema.parse(JSON.parse(res.body)).error.code).toBe('payload_too_large');
          } else expect([200, 400]).toContain(res.status);
        },
      ),
      { seed: FUZZ.seed, numRuns: 60 },
    );
    await expectHealthy();
  });

  it('serves slow but steady readers completely (pausing after every chunk it receives)', async () => {
    const { hostname, port } = new URL(base);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 40 }),
        fc.constantFrom(KNOWN_FILE, '001_799c556b91de25d4.txt'),
        async (pauseMs, file) => {
          const text = await new Promise<string>((resolve, reject) => {
            const socket = net.connect(Number(port), hostname);
            const parts: Buffer[] = [];
            socket.on('error', reject);
            socket.on('data', (c: Buffer) => {
              parts.push(c);
              socket.pause();
              setTimeout(() => socket.resume(), pauseMs);
            });
            socket.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
            socket.write(`GET /api/sources/${file} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nConnection: close\r\n\r\n`);
          });
          expect(text).toMatch(/^HTTP\/1\.1 200 /);
          const json = text.slice(text.indexOf('\r\n\r\n') + 4);
          expect(SourceDetailSchema.parse(JSON.parse(json)).text).toBe(engine.index.docs.get(file)?.original);
        },
      ),
      { seed: FUZZ.seed, numRuns: 15 },
    );
  });
});
