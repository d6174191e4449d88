/**
 * Hardening round two (issue 12), each case an attack that used to work: Host/Origin on every route (DNS
 * rebinding), chunked bodies past the limit, deep JSON and batches on /mcp, `arguments: null`, 50 clients
 * that never read their responses, and a server whose index cannot be built (503 with the reason, no paths).
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config.js';
import { createEngine, type Engine } from '../../src/engine.js';
import { startServer, type RunningServer } from '../../src/http/app.js';
import { ErrorBodySchema } from '../../src/http/errors.js';
import { originAllowed } from '../../src/http/guards.js';
import { createLogger } from '../../src/logger.js';
import { rawRequest } from '../helpers/http.js';

const logger = createLogger('silent');
const MCP_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

let tmp: string;
let config: Config;
let engine: Engine;
let running: RunningServer;
let base: string;
let host: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'rugwijs-hardening-'));
  config = loadConfig({}, { indexDir: tmp, port: 0, logLevel: 'silent', rateLimitPerMinute: 1_000_000 });
  engine = await createEngine(config);
  running = await startServer(config, { logger, engine, writeStallMs: 400 });
  base = running.url;
  host = new URL(base).host;
});

afterAll(async () => {
  await running.close(100);
  await rm(tmp, { recursive: true, force: true });
});

const search = JSON.stringify({ query: 'oefentherapie', k: 1 });

describe('Host and Origin (DNS rebinding)', () => {
  it.each(['/', '/index.html', '/openapi.json', '/api/sources', '/mcp'])('refuses a foreign Host on %s with 403', async (route) => {
    const res = await rawRequest(base, {
      method: route === '/mcp' ? 'POST' : 'GET',
      path: route,
      headers: { host: 'evil.example', ...MCP_HEADERS },
      body: route === '/mcp' ? JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }) : undefined,
    });
    expect(res.status).toBe(403);
    expect(res.body).toContain('Host header not allowed');
  });

  it('answers /healthz under any Host (probes call it by IP) and the page under an allowed one', async () => {
    expect((await rawRequest(base, { path: '/healthz', headers: { host: '10.0.0.7:3000' } })).status).toBe(200);
    const port = new URL(base).port;
    for (const h of [host, `localhost:${port}`, `LOCALHOST:${port}`])
      expect((await rawRequest(base, { path: '/', headers: { host: h } })).status).toBe(200);
  });

  it('refuses a foreign Origin on POST /api and /mcp with 403, accepts the page’s own origin', async () => {
    for (const origin of ['http://evil.example', 'null', `http://${host}.evil.example`, `file://`, `http://${host}/x`]) {
      const api = await rawRequest(base, {
        method: 'POST',
        path: '/api/search',
        headers: { 'content-type': 'application/json', origin },
        body: search,
      });
      expect(api.status, origin).toBe(403);
      expect(ErrorBodySchema.parse(JSON.parse(api.body)).error.code).toBe('forbidden');
      const mcp = await rawRequest(base, {
        method: 'POST',
        path: '/mcp',
        headers: { ...MCP_HEADERS, origin },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
      });
      expect(mcp.status, origin).toBe(403);
      expect(JSON.parse(mcp.body)).toMatchObject({ jsonrpc: '2.0', error: { code: -32000 }, id: null });
    }
    for (const origin of [`http://${host}`, `http://localhost:${new URL(base).port}`]) {
      const res = await rawRequest(base, {
        method: 'POST',
        path: '/api/search',
        headers: { 'content-type': 'application/json', origin },
        body: search,
      });
      expect(res.status, origin).toBe(200);
    }
    // A foreign Origin may still read (GET is not state-changing; CORS keeps the browser from showing it).
    expect((await rawRequest(base, { path: '/api/sources', headers: { origin: 'http://evil.example' } })).status).toBe(200);
  });

  it('accepts configured CORS origins and names from RUGWIJS_ALLOWED_HOSTS', () => {
    const policy = { host: '0.0.0.0', allowedHosts: 'rugwijs.example', corsOrigins: 'https://app.example' };
    expect(originAllowed('https://app.example', 3000, policy)).toBe(true);
    expect(originAllowed('https://rugwijs.example', 3000, policy)).toBe(true);
    expect(originAllowed('http://rugwijs.example:3000', 3000, policy)).toBe(true);
    expect(originAllowed('https://evil.example', 3000, policy)).toBe(false);
    expect(originAllowed('http://0.0.0.0:3000', 3000, policy)).toBe(false);
    expect(originAllowed('https://x.example', 3000, { ...policy, corsOrigins: '*' })).toBe(true);
  });
});

describe('bodies', () => {
  it('answers an endless chunked upload with 413 after the limit and stops reading it', async () => {
    const { hostname, port } = new URL(base);
    const result = await new Promise<{ status: number; sent: number }>((resolve, reject) => {
      let sent = 0;
      const req = http.request(
        { host: hostname, port, method: 'POST', path: '/api/ask', headers: { 'content-type': 'application/json' } },
        (res) => {
          res.resume();
          resolve({ status: res.statusCode ?? 0, sent });
        },
      );
      req.on('error', (e) => (sent > 0 ? resolve({ status: 0, sent }) : reject(e)));
      const chunk = Buffer.alloc(16 * 1024, 'a');
      // Up to 200 MB: far more than the kernel buffers could swallow if the server kept reading.
      const pump = () => {
        while (sent < 200 * 1024 ** 2) {
          sent += chunk.length;
          if (!req.write(chunk)) {
            req.once('drain', pump);
            return;
          }
        }
        req.end();
      };
      pump();
    });
    expect(result.status).toBe(413);
    // What got out before the answer is what socket buffers hold, not the 200 MB.
    expect(result.sent).toBeLessThan(40 * 1024 ** 2);
  });

  it('refuses JSON nested deeper than 64 levels on /api (400) and /mcp (-32700)', async () => {
    const deep = `{"query": ${'['.repeat(65)}1${']'.repeat(65)}}`;
    const api = await rawRequest(base, {
      method: 'POST',
      path: '/api/search',
      headers: { 'content-type': 'application/json' },
      body: deep,
    });
    expect(api.status).toBe(400);
    expect(JSON.parse(api.body)).toEqual({
      error: { code: 'bad_request', message: 'JSON nested deeper than 64 levels.' },
    });
    const mcp = await rawRequest(base, {
      method: 'POST',
      path: '/mcp',
      headers: MCP_HEADERS,
      body: `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"search_passages","arguments":{"query":"x","k":${'['.repeat(100_000)}${']'.repeat(100_000)}}}}`,
    });
    expect(mcp.status).toBe(400);
    expect(JSON.parse(mcp.body)).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32700 } });
  });
});

describe('MCP messages', () => {
  const post = (body: string) => rawRequest(base, { method: 'POST', path: '/mcp', headers: MCP_HEADERS, body });

  it('answers a batch with one JSON-RPC error and does none of its work', async () => {
    const q = 'rugpijn oefentherapie '.repeat(50).slice(0, 1000);
    const batch = Array.from({ length: 100 }, (_, i) => ({
      jsonrpc: '2.0',
      id: i,
      method: 'tools/call',
      params: { name: 'search_passages', arguments: { query: q, k: 50 } },
    }));
    const t0 = performance.now();
    const res = await post(JSON.stringify(batch));
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toEqual({
      jsonrpc: '2.0',
      id: null,
      error: { code: -32600, message: expect.stringContaining('batches are not supported') as unknown },
    });
    expect(res.body.length).toBeLessThan(300);
    // No search ran: far below the ~1 s 100 such searches cost.
    expect(performance.now() - t0).toBeLessThan(1_000);
  });

  it.each([null, [], 'x', 5])('answers arguments: %j with a one-line -32602, not -32603 with a dump', async (args) => {
    const res = await post(
      JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name: 'search_passages', arguments: args } }),
    );
    expect(res.status).toBe(200);
    const reply = JSON.parse(res.body) as { id: number; error: { code: number; message: string } };
    expect(reply.id).toBe(9);
    expect(reply.error.code).toBe(-32602);
    expect(reply.error.message).toMatch(/^Invalid params for tools\/call: params\.arguments: /);
    expect(reply.error.message).not.toContain('\n');
  });
});

describe('clients that never read', () => {
  it('50 connections pipelining replies they never read: retained heap stays small, stalled ones are dropped', async () => {
    const { hostname, port } = new URL(base);
    // The largest document, twice (text and structured content): a big reply that is cheap to make.
    const file = [...engine.index.docs.entries()].sort((a, b) => b[1].original.length - a[1].original.length)[0]?.[0];
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'get_source', arguments: { file } } });
    const request = `POST /mcp HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    const plain = `GET /api/sources/${file} HTTP/1.1\r\nHost: ${host}\r\n\r\n`;
    const serverSockets = new Set<net.Socket>();
    const track = (s: net.Socket) => {
      serverSockets.add(s);
      s.once('close', () => serverSockets.delete(s));
    };
    running.server.on('connection', track);
    // Finished connections then close after 500 ms idle instead of the default 5 s.
    const keepAlive = running.server.keepAliveTimeout;
    running.server.keepAliveTimeout = 500;
    // Retained heap (after a full GC) is what the unread replies hold; without GC the figure is noise.
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    let retainedMax = 0;
    const clients: net.Socket[] = [];
    const sampler = setInterval(() => {
      gc();
      retainedMax = Math.max(retainedMax, process.memoryUsage().heapUsed - heapBefore);
    }, 1_000);
    try {
      for (let i = 0; i < 50; i++) {
        const s = net.connect(Number(port), hostname);
        s.on('error', () => undefined);
        // 45 clients with 4 MCP replies of ~50 kB each; 5 with 200 plain ~25 kB replies each (cheap to make),
        // more than the kernel's socket buffers take, so their writes stall. Nobody reads.
        s.write(i < 5 ? plain.repeat(200) : request.repeat(4));
        s.pause();
        clients.push(s);
      }
      const deadline = Date.now() + 40_000;
      await new Promise((resolve) => setTimeout(resolve, 300));
      // Stalled writes are dropped after writeStallMs; the others end idle after the keep-alive timeout.
      while (serverSockets.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(serverSockets.size).toBe(0);
    } finally {
      clearInterval(sampler);
      running.server.keepAliveTimeout = keepAlive;
      running.server.off('connection', track);
      for (const s of clients) s.destroy();
    }
    // Far under the 192 MB heap cap `npm start` runs with.
    expect(retainedMax).toBeLessThan(48 * 1024 ** 2);
    const health = await rawRequest(base, { path: '/healthz' });
    expect(health.status).toBe(200);
  });
});

describe('an index that cannot be built', () => {
  it.each([
    ['manifest.json is a folder', 'manifestdir', /"manifest\.json" in the index folder "[^"]+" is a folder where a file belongs/],
    ['the index folder is a file', 'file', /index folder "[^"]+" \(or a folder above it\) is a file, not a folder/],
  ])('keeps serving 503 {"status":"error"} with the reason when %s, naming no absolute path', async (_name, kind, pattern) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'rugwijs-broken-'));
    let indexDir = dir;
    if (kind === 'manifestdir') await mkdir(path.join(dir, 'manifest.json'));
    else {
      await rm(dir, { recursive: true });
      await import('node:fs/promises').then((fs) => fs.writeFile(dir, 'geen map'));
      indexDir = path.join(dir, 'index');
    }
    const brokenConfig = loadConfig({}, { indexDir, port: 0, logLevel: 'silent' });
    const broken = await startServer(brokenConfig, { logger });
    try {
      await broken.engine.catch(() => undefined);
      const health = await rawRequest(broken.url, { path: '/healthz' });
      expect(health.status).toBe(503);
      const body = JSON.parse(health.body) as { status: string; error: { code: string; message: string } };
      expect(body.status).toBe('error');
      expect(body.error.code).toBe('index_unwritable');
      expect(body.error.message).toMatch(pattern);
      for (const route of ['/api/sources', '/api/search']) {
        const res = await rawRequest(broken.url, {
          method: route === '/api/search' ? 'POST' : 'GET',
          path: route,
          headers: { 'content-type': 'application/json' },
          body: route === '/api/search' ? search : undefined,
        });
        expect(res.status).toBe(503);
        expect(JSON.parse(res.body)).toEqual({ error: body.error });
      }
      const mcp = await rawRequest(broken.url, {
        method: 'POST',
        path: '/mcp',
        headers: MCP_HEADERS,
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
      });
      expect(mcp.status).toBe(503);
      for (const text of [health.body, mcp.body]) {
        expect(text).not.toContain(dir);
        expect(text).not.toContain(os.tmpdir());
      }
    } finally {
      await broken.close(100);
      await rm(dir, { recursive: true, force: true });
    }
  });
});
