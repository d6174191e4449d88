import express from 'express';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import { errorHandler } from '../../src/http/errors.js';
import { createLogger } from '../../src/logger.js';
import { allowedHostsFor, createMcpRouter } from '../../src/mcp/http.js';

describe('allowedHostsFor', () => {
  it('allows the loopback names on the listening port', () => {
    expect(allowedHostsFor(3000, '127.0.0.1')).toEqual(['127.0.0.1:3000', 'localhost:3000', '[::1]:3000']);
  });

  it('adds a non-wildcard listen host and the configured extras (with this port when none is given)', () => {
    expect(allowedHostsFor(8080, '0.0.0.0', 'Rugwijs.Example, intern.lan:443')).toEqual([
      '127.0.0.1:8080',
      'localhost:8080',
      '[::1]:8080',
      'rugwijs.example',
      'rugwijs.example:8080',
      'intern.lan:443',
    ]);
    expect(allowedHostsFor(8080, '192.168.1.20')).toContain('192.168.1.20:8080');
    expect(allowedHostsFor(8080, '::1')).toContain('[::1]:8080');
  });
});

describe('createMcpRouter', () => {
  let server: http.Server;
  let port = 0;

  beforeAll(async () => {
    const app = express();
    const logger = createLogger('silent');
    // The engine is still loading: host checks and method checks must not depend on it.
    const notReady = () => {
      throw new AppError('not_ready', 'The index is still loading.');
    };
    app.use(
      '/mcp',
      express.json(),
      createMcpRouter({ engine: notReady, logger, host: '127.0.0.1', allowedHosts: 'rugwijs.example' }),
    );
    app.use(errorHandler(logger));
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  function request(method: string, host: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          method,
          path: '/mcp',
          headers: {
            host,
            'content-type': 'application/json',
            accept: 'application/json, text/event-stream',
          },
        },
        (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      req.end(
        method === 'POST' ? JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }) : undefined,
      );
    });
  }

  it('rejects foreign Host headers with a JSON-RPC 403 before touching the engine', async () => {
    for (const host of [
      'evil.example',
      `evil.example:${port}`,
      `127.0.0.1.evil.example:${port}`,
      `localhost:${port + 1}`,
    ]) {
      const res = await request('POST', host);
      expect(res.status).toBe(403);
      expect(JSON.parse(res.body)).toMatchObject({ jsonrpc: '2.0', error: { code: -32000 }, id: null });
    }
  });

  it('lets allowed hosts through to the engine (here: still loading → 503)', async () => {
    for (const host of [
      `127.0.0.1:${port}`,
      `localhost:${port}`,
      'rugwijs.example',
      `rugwijs.example:${port}`,
    ]) {
      const res = await request('POST', host);
      expect(res.status).toBe(503);
      expect(JSON.parse(res.body)).toEqual({
        error: { code: 'not_ready', message: 'The index is still loading.' },
      });
    }
  });

  it('answers GET and DELETE with 405 because the server is stateless', async () => {
    for (const method of ['GET', 'DELETE']) {
      const res = await request(method, `127.0.0.1:${port}`);
      expect(res.status).toBe(405);
      expect(JSON.parse(res.body)).toMatchObject({ jsonrpc: '2.0', error: { code: -32000 } });
    }
  });
});
