import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, PROJECT_ROOT } from '../../src/config.js';
import { createEngine, type Engine } from '../../src/engine.js';
import { startServer } from '../../src/http/app.js';
import { createLogger } from '../../src/logger.js';

let tmp: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'rugwijs-serve-'));
  // Build the index once so the server processes below only load it.
  await createEngine(loadConfig({}, { indexDir: tmp }));
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** Starts a POST whose body is only half sent, so the request stays in flight until `finish()`. */
function inFlightSearch(base: string): {
  finish: () => void;
  response: Promise<{ status: number; body: string }>;
} {
  const url = new URL(base);
  const body = JSON.stringify({ query: 'oefentherapie bij acute lage rugpijn', k: 2 });
  const half = Math.floor(body.length / 2);
  let req!: http.ClientRequest;
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: 'POST',
        path: '/api/search',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.write(body.slice(0, half));
  });
  return { finish: () => req.end(body.slice(half)), response };
}

describe('startServer', () => {
  it('listens before the engine is ready, sets request timeouts and closes gracefully', async () => {
    const config = loadConfig({}, { indexDir: tmp, host: '127.0.0.1', port: 0 });
    let provide!: (engine: Promise<Engine>) => void;
    const engine = new Promise<Engine>((resolve) => (provide = resolve));
    const running = await startServer(config, { logger: createLogger('silent'), engine });
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(running.server.requestTimeout).toBe(10_000);
    expect(running.server.headersTimeout).toBeLessThanOrEqual(10_000);
    expect((await fetch(`${running.url}/healthz`)).status).toBe(503);
    provide(createEngine(config));
    await running.engine;
    expect((await fetch(`${running.url}/healthz`)).status).toBe(200);

    const request = inFlightSearch(running.url);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const closed = running.close();
    request.finish();
    const res = await request.response;
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toHaveProperty('results');
    await closed;
    await expect(running.close()).resolves.toBeUndefined();
    await expect(fetch(`${running.url}/healthz`)).rejects.toThrow();
  });

  it('refuses a port that is already taken with a config_error', async () => {
    const first = await startServer(loadConfig({}, { indexDir: tmp, host: '127.0.0.1', port: 0 }), {
      logger: createLogger('silent'),
    });
    const port = Number(new URL(first.url).port);
    await expect(
      startServer(loadConfig({}, { indexDir: tmp, host: '127.0.0.1', port }), {
        logger: createLogger('silent'),
        engine: first.engine,
      }),
    ).rejects.toMatchObject({ code: 'config_error' });
    await first.engine;
    await first.close();
  });
});

describe('rugwijs serve', () => {
  let child: ChildProcessWithoutNullStreams;

  afterAll(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });

  it('logs its URL to stderr, serves, and exits 0 on SIGTERM after finishing in-flight requests', async () => {
    child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve'], {
      cwd: PROJECT_ROOT,
      env: {
        ...process.env,
        HOST: '127.0.0.1',
        PORT: '0',
        RUGWIJS_INDEX_DIR: tmp,
        RUGWIJS_API_TOKEN: '',
        LOG_LEVEL: 'warn',
      },
    });
    let stderr = '';
    const base = await new Promise<string>((resolve, reject) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        const m = /chat page (http:\/\/127\.0\.0\.1:\d+)\//.exec(stderr);
        if (m?.[1]) resolve(m[1]);
      });
      child.once('exit', (code) => reject(new Error(`serve exited early (${code}): ${stderr}`)));
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));

    for (let i = 0; i < 100; i++) {
      if ((await fetch(`${base}/healthz`)).status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect((await fetch(`${base}/healthz`)).status).toBe(200);

    const request = inFlightSearch(base);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 100));
    request.finish();
    expect((await request.response).status).toBe(200);
    expect(await exited).toBe(0);
    expect(stdout).toBe('');
  });
});
