/**
 * The supervisor of `rugwijs serve --workers 2` (src/http/supervisor.ts), as a real process tree: a worker
 * SIGKILLed under load is logged and replaced while the service keeps answering, and SIGTERM drains all.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, PROJECT_ROOT } from '../../src/config.js';
import { createEngine } from '../../src/engine.js';

let tmp: string;
let child: ChildProcessWithoutNullStreams | undefined;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'rugwijs-supervisor-'));
  // Build once, so the workers only load.
  await createEngine(loadConfig({}, { indexDir: tmp, logLevel: 'silent' }));
});

afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await rm(tmp, { recursive: true, force: true });
});

interface LogLine {
  msg?: string;
  pid?: number;
  signal?: string;
  url?: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function get(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false, timeout: 3_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('serve --workers 2', () => {
  it('replaces a worker killed with SIGKILL under load, keeps serving, and drains on SIGTERM', async () => {
    child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(PROJECT_ROOT, 'src/cli/main.ts'), 'serve', '--workers', '2'],
      {
        cwd: PROJECT_ROOT,
        env: { ...process.env, RUGWIJS_INDEX_DIR: tmp, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', RUGWIJS_WORKERS: '', RUGWIJS_RATE_LIMIT: '1000000' },
      },
    );
    const lines: LogLine[] = [];
    let buffer = '';
    child.stderr.on('data', (c: Buffer) => {
      buffer += c.toString();
      const parts = buffer.split('\n');
      buffer = parts.pop() ?? '';
      for (const p of parts) {
        if (p.startsWith('{')) lines.push(JSON.parse(p) as LogLine);
      }
    });
    const exited = new Promise<number | null>((resolve) => child?.once('exit', (code) => resolve(code)));
    const waitFor = async (pred: () => boolean, ms: number, what: string) => {
      const end = Date.now() + ms;
      while (!pred()) {
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}; log: ${JSON.stringify(lines)}`);
        await sleep(50);
      }
    };
    const started = () => lines.filter((l) => l.msg === 'worker started').map((l) => l.pid ?? 0);
    await waitFor(() => started().length >= 2 && lines.filter((l) => l.msg === 'index loaded').length >= 2, 60_000, 'two ready workers');
    const url = lines.find((l) => l.msg === 'listening' && l.url)?.url ?? '';
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const [victim, other] = started();

    // Load: 4 loops of sequential requests on fresh connections, until told to stop.
    const statuses: { t: number; status: number }[] = [];
    let loading = true;
    const loops = Array.from({ length: 4 }, async () => {
      while (loading) statuses.push({ t: Date.now(), status: await get(`${url}/api/sources`) });
    });
    await sleep(500);
    const killedAt = Date.now();
    process.kill(victim ?? 0, 'SIGKILL');
    await waitFor(() => started().length >= 3, 20_000, 'a replacement worker');
    const replacement = started()[2] ?? 0;
    expect([victim, other]).not.toContain(replacement);
    await waitFor(() => lines.filter((l) => l.msg === 'index loaded').length >= 3, 60_000, 'the replacement to load');
    await sleep(300);
    loading = false;
    await Promise.all(loops);

    const died = lines.find((l) => l.msg === 'worker died; starting a replacement');
    expect(died).toMatchObject({ pid: victim, signal: 'SIGKILL' });
    // Service continued: the surviving worker answered throughout (a request on the killed worker's
    // connection may fail), and everything after the kill settled is 200.
    const after = statuses.filter((s) => s.t > killedAt + 200);
    expect(after.length).toBeGreaterThan(10);
    const ok = after.filter((s) => s.status === 200).length;
    expect(ok / after.length, JSON.stringify(after.filter((s) => s.status !== 200).slice(0, 5))).toBeGreaterThan(0.95);
    // Once the replacement is up, fresh requests are all served (the load loops' last requests may still
    // have been in flight on a connection the primary handed out while the replacement joined).
    const fresh: number[] = [];
    for (let i = 0; i < 8; i++) fresh.push(await get(`${url}/api/sources`));
    expect(fresh).toEqual([200, 200, 200, 200, 200, 200, 200, 200]);
    expect(alive(other ?? 0)).toBe(true);
    expect(alive(replacement)).toBe(true);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(lines.some((l) => l.msg === 'shutting down: draining all workers')).toBe(true);
    expect(lines.some((l) => l.msg === 'all workers stopped')).toBe(true);
    await sleep(200);
    expect(alive(other ?? 0)).toBe(false);
    expect(alive(replacement)).toBe(false);
  });
});
