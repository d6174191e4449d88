import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config.js';
import { createEngine, type Engine } from '../../src/engine.js';
import { AppError } from '../../src/errors.js';
import { createApp } from '../../src/http/app.js';
import { ErrorBodySchema } from '../../src/http/errors.js';
import { createLogger } from '../../src/logger.js';
import {
  AnswerSchema,
  SearchResultSchema,
  SourceDetailSchema,
  SourceInfoSchema,
  type Answer,
} from '../../src/schemas.js';
import { parseSse, rawRequest } from '../helpers/http.js';

const QUESTION = 'Helpt oefentherapie bij acute lage rugpijn?';
const logger = createLogger('silent');

let tmp: string;
let config: Config;
let engine: Engine;
const servers: http.Server[] = [];

/** Config isolated from the developer's environment (no token, no LLM), index in a temp dir. */
function testConfig(overrides: Partial<Config> = {}): Config {
  return loadConfig({}, { indexDir: tmp, port: 0, logLevel: 'silent', ...overrides });
}

async function listen(app: Express): Promise<string> {
  const server = app.listen(0, '127.0.0.1');
  servers.push(server);
  await new Promise((resolve) => server.once('listening', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}


const postJson = (base: string, route: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

/** Asserts the shared error shape (and nothing else, so never a stack) and returns the code. */
async function errorCode(res: Response): Promise<string> {
  const body: unknown = await res.json();
  const parsed = ErrorBodySchema.strict().parse(body);
  expect(Object.keys(parsed.error).sort()).toEqual(['code', 'message']);
  expect(parsed.error.message).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
  return parsed.error.code;
}

let base: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'rugwijs-http-'));
  config = testConfig();
  engine = await createEngine(config);
  base = await listen(createApp(engine, config, logger));
});

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  await rm(tmp, { recursive: true, force: true });
});

describe('GET /healthz', () => {
  it('reports the loaded index', async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      status: string;
      index: { chunks: number; builtAt: string; embedder: string };
    };
    expect(body.status).toBe('ok');
    expect(body.index.chunks).toBe(engine.index.manifest.chunks);
    expect(body.index.chunks).toBeGreaterThan(0);
    expect(body.index.builtAt).toBe(engine.index.manifest.builtAt);
    expect(body.index.embedder).toBe(engine.index.manifest.embedder.id);
  });

  it('is 503 loading while the engine loads, and the API says not_ready (but still rejects bad input with 400)', async () => {
    const loading = await listen(createApp(new Promise<Engine>(() => {}), config, logger));
    const health = await fetch(`${loading}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.json()).toEqual({ status: 'loading' });
    const sources = await fetch(`${loading}/api/sources`);
    expect(sources.status).toBe(503);
    expect(sources.headers.get('retry-after')).toBe('5');
    expect(await errorCode(sources)).toBe('not_ready');
    const bad = await postJson(loading, '/api/ask', { question: '' });
    expect(bad.status).toBe(400);
  });

  it('reports a failed load as an error with its code', async () => {
    const failed = Promise.reject(
      new AppError('index_corrupt', 'Index file chunks.json is not valid JSON; run "npm run ingest".'),
    );
    const broken = await listen(createApp(failed, config, logger));
    await new Promise((resolve) => setImmediate(resolve));
    const health = await fetch(`${broken}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ status: 'error', error: { code: 'index_corrupt' } });
    const res = await postJson(broken, '/api/search', { query: 'rugpijn' });
    expect(await errorCode(res)).toBe('index_corrupt');
  });
});

describe('POST /api/ask', () => {
  let json: Answer;

  beforeAll(async () => {
    const res = await postJson(base, '/api/ask', { question: QUESTION });
    expect(res.status).toBe(200);
    json = AnswerSchema.parse(await res.json());
  });

  it('returns an Answer whose [n] markers match its citations, each quoting the original source text', async () => {
    const markers = new Set([...json.answer.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1])));
    expect([...markers].sort((a, b) => a - b)).toEqual(json.citations.map((c) => c.n));
    expect(json.refused || json.citations.length > 0).toBe(true);
    for (const c of json.citations) {
      const res = await fetch(`${base}/api/sources/${encodeURIComponent(c.file)}`);
      const source = SourceDetailSchema.parse(await res.json());
      expect(source.text.slice(c.start, c.end)).toBe(c.quote);
    }
  });

  it('streams meta, the same text in deltas, citations and done with Accept: text/event-stream', async () => {
    const res = await postJson(base, '/api/ask', { question: QUESTION }, { accept: 'text/event-stream' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = parseSse(await res.text());
    const names = events.map((e) => e.event);
    expect(names[0]).toBe('meta');
    expect(names.filter((n) => n === 'delta').length).toBeGreaterThan(1);
    expect(names.slice(-2)).toEqual(['citations', 'done']);
    expect(events[0]?.data).toMatchObject({
      refused: json.refused,
      redFlags: json.redFlags,
      composer: json.composer,
    });
    const text = events
      .filter((e) => e.event === 'delta')
      .map((e) => (e.data as { text: string }).text)
      .join('');
    expect(text).toBe(json.answer);
    expect(events.at(-2)?.data).toEqual(json.citations);
  });

  it('accepts a follow-up with history', async () => {
    const res = await postJson(base, '/api/ask', {
      question: 'En bij chronische rugpijn?',
      history: [{ question: QUESTION, answer: json.answer }],
    });
    expect(res.status).toBe(200);
    AnswerSchema.parse(await res.json());
  });

  it('sends a failure after the stream opened as an error event', async () => {
    // An engine whose index lacks everything but the manifest makes the core throw mid-request.
    const broken = { ...engine, index: { manifest: engine.index.manifest } } as unknown as Engine;
    const brokenBase = await listen(createApp(broken, config, logger));
    const res = await postJson(
      brokenBase,
      '/api/ask',
      { question: QUESTION },
      { accept: 'text/event-stream' },
    );
    expect(res.status).toBe(200);
    const events = parseSse(await res.text());
    expect(events).toEqual([
      { event: 'error', data: { code: 'internal', message: 'Internal server error.' } },
    ]);
  });

  it.each([
    ['an empty question', { question: '   ' }],
    ['a question over 1000 characters', { question: 'rugpijn '.repeat(130) }],
    ['a number as question', { question: 42 }],
    ['a missing question', { k: 3 }],
    ['k out of range', { question: QUESTION, k: 0 }],
    ['history that is not a list', { question: QUESTION, history: 'vorige vraag' }],
  ])('rejects %s with 400 validation_error', async (_name, body) => {
    const res = await postJson(base, '/api/ask', body);
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe('validation_error');
  });
});

describe('body handling', () => {
  it('rejects malformed JSON with 400 bad_request', async () => {
    const res = await fetch(`${base}/api/ask`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"question": "rugpijn"',
    });
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe('bad_request');
  });

  it('rejects a body that is not JSON with 400', async () => {
    const res = await fetch(`${base}/api/search`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'rugpijn',
    });
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe('bad_request');
  });

  it('rejects a 17 kB body with 413 payload_too_large', async () => {
    const res = await postJson(base, '/api/ask', {
      question: QUESTION,
      history: [{ question: 'x', answer: 'a'.repeat(17 * 1024) }],
    });
    expect(res.status).toBe(413);
    expect(await errorCode(res)).toBe('payload_too_large');
  });

  it('never answers arbitrary JSON bodies with a 5xx or a non-error shape', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 2 }), async (body) => {
        const res = await postJson(base, '/api/search', body);
        if (res.status === 200) SearchResultSchema.parse(await res.json());
        else {
          expect(res.status).toBe(400);
          await errorCode(res);
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe('POST /api/search', () => {
  it('returns at most k passages with offsets into the original text', async () => {
    const res = await postJson(base, '/api/search', { query: 'oefentherapie acute lage rugpijn', k: 3 });
    expect(res.status).toBe(200);
    const { results } = SearchResultSchema.parse(await res.json());
    expect(results.length).toBeGreaterThan(0);
    expect(results.length).toBeLessThanOrEqual(3);
    for (const r of results) {
      expect(Object.keys(r)).toEqual(
        expect.arrayContaining(['chunkId', 'file', 'title', 'section', 'text', 'score', 'start', 'end']),
      );
      expect(r.end).toBeGreaterThan(r.start);
    }
  });

  it('rejects an empty query with 400', async () => {
    const res = await postJson(base, '/api/search', { query: '' });
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe('validation_error');
  });
});

describe('GET /api/sources', () => {
  it('lists the five corpus documents', async () => {
    const res = await fetch(`${base}/api/sources`);
    expect(res.status).toBe(200);
    const { sources } = (await res.json()) as { sources: unknown[] };
    expect(sources).toHaveLength(5);
    for (const s of sources) SourceInfoSchema.parse(s);
  });

  it('returns one document with its original text', async () => {
    const res = await fetch(`${base}/api/sources/004_beb946dfbc2e71d7.txt`);
    expect(res.status).toBe(200);
    const source = SourceDetailSchema.parse(await res.json());
    expect(source.text.length).toBe(source.chars);
    expect(source.text).toContain('Lage rugpijn: niet ongerust zijn en blijven bewegen!');
  });

  it('answers an unknown name with 404', async () => {
    const res = await fetch(`${base}/api/sources/005_onbekend.txt`);
    expect(res.status).toBe(404);
    expect(await errorCode(res)).toBe('not_found');
  });

  it.each([
    ['/api/sources/../package.json', [400, 404]],
    ['/api/sources/..%2Fpackage.json', [400]],
    ['/api/sources/%2e%2e%2f%2e%2e%2fetc%2fpasswd', [400]],
    ['/api/sources/%2Fetc%2Fpasswd', [400]],
    ['/api/sources/..%5C..%5Cwindows%5Cwin.ini', [400]],
    ['/api/sources/corpus/004_beb946dfbc2e71d7.txt', [400]],
    ['/api/sources/..', [400]],
    ['/api/sources/%E0%A4%A', [400]],
  ])('refuses the path-like %s', async (route, statuses) => {
    const res = await rawRequest(base, { path: route });
    expect(statuses).toContain(res.status);
    expect(ErrorBodySchema.parse(JSON.parse(res.body)).error.code).toMatch(
      /^(validation_error|bad_request|not_found)$/,
    );
  });

  it('never serves anything for names containing a separator or ".."', async () => {
    const pathLike = fc
      .tuple(
        fc.string({ maxLength: 8 }),
        fc.constantFrom('/', '\\', '..', '../', '..\\'),
        fc.string({ maxLength: 8 }),
      )
      .map(([a, sep, b]) => `${a}${sep}${b}`);
    await fc.assert(
      fc.asyncProperty(pathLike, async (name) => {
        const res = await rawRequest(base, { path: `/api/sources/${encodeURIComponent(name)}` });
        expect([400, 404]).toContain(res.status);
      }),
      { numRuns: 60 },
    );
  });
});

describe('routing, headers and documentation', () => {
  it('answers unknown routes with a 404 JSON error', async () => {
    for (const [method, route] of [
      ['GET', '/nergens'],
      ['POST', '/api/nergens'],
      ['GET', '/api/ask'],
    ] as const) {
      const res = await fetch(`${base}${route}`, { method });
      expect(res.status).toBe(404);
      expect(await errorCode(res)).toBe('not_found');
    }
  });

  it('serves the chat page with a self-only CSP and no framework fingerprint', async () => {
    const res = await fetch(`${base}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toMatch(/unsafe-inline|https:/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-powered-by')).toBeNull();
    const html = await res.text();
    expect(html).toContain('<form id="ask-form"');
    expect(html).not.toMatch(/https?:\/\//);
    for (const asset of ['/app.js', '/style.css']) expect((await fetch(`${base}${asset}`)).status).toBe(200);
  });

  it('sends no CORS headers unless origins are configured', async () => {
    const plain = await fetch(`${base}/api/sources`, { headers: { origin: 'https://example.org' } });
    expect(plain.headers.get('access-control-allow-origin')).toBeNull();

    const withCors = await listen(
      createApp(engine, testConfig({ corsOrigins: 'https://example.org' }), logger),
    );
    const allowed = await fetch(`${withCors}/api/sources`, { headers: { origin: 'https://example.org' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://example.org');
    const other = await fetch(`${withCors}/api/sources`, { headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(`${withCors}/api/ask`, {
      method: 'OPTIONS',
      headers: { origin: 'https://example.org', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
  });

  it('documents every route in an OpenAPI 3.1 document generated from the shared schemas', async () => {
    const res = await fetch(`${base}/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
      components: {
        schemas: Record<string, { properties?: Record<string, { maxLength?: number }>; required?: string[] }>;
      };
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        '/api/admin/reload',
        '/api/ask',
        '/api/search',
        '/api/sources',
        '/api/sources/{file}',
        '/healthz',
        '/mcp',
        '/openapi.json',
      ].sort(),
    );
    expect(Object.keys(doc.paths['/api/ask'] ?? {})).toEqual(['post']);
    expect(doc.components.schemas.AskInput?.required).toEqual(['question']);
    expect(doc.components.schemas.AskInput?.properties?.question?.maxLength).toBe(1000);
    expect(doc.components.schemas.Answer?.required).toEqual(
      expect.arrayContaining(['answer', 'refused', 'citations']),
    );
  });
});

describe('bearer token and rate limit', () => {
  it('requires the bearer token on /api and /mcp when configured, not on the page or /healthz', async () => {
    const secured = await listen(createApp(engine, testConfig({ apiToken: 'geheim-token' }), logger));
    const missing = await fetch(`${secured}/api/sources`);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer');
    expect(await errorCode(missing)).toBe('unauthorized');
    const wrong = await fetch(`${secured}/api/sources`, { headers: { authorization: 'Bearer fout' } });
    expect(wrong.status).toBe(401);
    const right = await fetch(`${secured}/api/sources`, {
      headers: { authorization: 'Bearer geheim-token' },
    });
    expect(right.status).toBe(200);
    const mcp = await postJson(secured, '/mcp', { jsonrpc: '2.0', id: 1, method: 'tools/list' });
    expect(mcp.status).toBe(401);
    expect((await fetch(`${secured}/healthz`)).status).toBe(200);
    expect((await fetch(`${secured}/`)).status).toBe(200);
  });

  it('answers requests over the per-minute budget with 429 in the error shape', async () => {
    const limited = await listen(createApp(engine, testConfig({ rateLimitPerMinute: 3 }), logger));
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await fetch(`${limited}/api/sources`);
      statuses.push(res.status);
      if (res.status === 429) expect(await errorCode(res)).toBe('rate_limited');
      else await res.arrayBuffer();
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect((await fetch(`${limited}/healthz`)).status).toBe(200);
  });
});

describe('POST /mcp host check', () => {
  it('rejects a foreign Host header (DNS rebinding) and accepts the loopback one', async () => {
    const port = new URL(base).port;
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    const foreign = await rawRequest(base, {
      method: 'POST',
      path: '/mcp',
      headers: { ...headers, host: `evil.example:${port}` },
      body,
    });
    expect(foreign.status).toBe(403);
    expect(foreign.body).toContain('Host header not allowed');
    const local = await rawRequest(base, {
      method: 'POST',
      path: '/mcp',
      headers: { ...headers, host: `localhost:${port}` },
      body,
    });
    expect(local.status).not.toBe(403);
  });
});

