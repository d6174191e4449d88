import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../src/config.js';

/** A `rugwijs serve` child process under test. */
export interface BenchServer {
  pid: number;
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  /** Milliseconds from spawn until GET /healthz first answered 200 (index loaded). */
  readyMs: number;
  /** Milliseconds from spawn until the server logged its URL (listening, index still loading). */
  listeningMs: number;
  child: ChildProcess;
  /** SIGTERM, then SIGKILL after `graceMs` (default 5000); resolves when the child has exited. Idempotent. */
  stop(graceMs?: number): Promise<void>;
}

export interface SpawnOptions {
  /** Built index folder (RUGWIJS_INDEX_DIR). */
  indexDir: string;
  /** Corpus folder (RUGWIJS_CORPUS_DIR); default `<root>/corpus`. */
  corpusDir?: string;
  /** Extra node flags, e.g. ['--cpu-prof', '--cpu-prof-dir=…']. */
  nodeFlags?: string[];
  /** Give up when not healthy within this many ms (default 60 000). */
  timeoutMs?: number;
}

/**
 * Environment of the server under test: port 0 (the OS picks a free port; the URL is read from the
 * server's stderr, so there is no race between choosing and binding a port), 127.0.0.1, rate limit raised
 * to its maximum (1 000 000/min; the default 600/min would turn a load test into a 429 test), no token,
 * no CORS, no LLM (extractive composer), logs at warn so logging does not dominate the profile.
 */
export function benchEnv(options: SpawnOptions): NodeJS.ProcessEnv {
  return {
    ...process.env,
    HOST: '127.0.0.1',
    PORT: '0',
    RUGWIJS_INDEX_DIR: options.indexDir,
    RUGWIJS_CORPUS_DIR: options.corpusDir ?? path.join(PROJECT_ROOT, 'corpus'),
    RUGWIJS_RATE_LIMIT: '1000000',
    RUGWIJS_API_TOKEN: '',
    RUGWIJS_CORS_ORIGINS: '',
    RUGWIJS_LLM_BASE_URL: '',
    RUGWIJS_EMBED_MODEL: '',
    LOG_LEVEL: 'warn',
  };
}

/** The node flags of `npm start` (package.json), so the bench measures the server exactly as it is started. */
function startFlags(): string[] {
  const pkg = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  const words = (pkg.scripts?.start ?? '').split(/\s+/);
  return words.slice(1).filter((w) => w.startsWith('--'));
}

/**
 * Spawns `node dist/cli/main.js serve` (the real server, the same entry as `npm start`; `npm run bench`
 * builds dist/ first) and
 * polls GET /healthz every 5 ms until it answers 200. The child is killed when this process exits, and
 * on any failure before it is ready.
 */
export async function spawnServer(options: SpawnOptions): Promise<BenchServer> {
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    [...startFlags(), ...(options.nodeFlags ?? []), path.join('dist', 'cli', 'main.js'), 'serve'],
    { cwd: PROJECT_ROOT, env: benchEnv(options), stdio: ['ignore', 'ignore', 'pipe'] },
  );
  // A crashed or interrupted bench must not leave a server holding a port.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  let stderr = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within ${options.timeoutMs ?? 60_000} ms:\n${stderr}`)), options.timeoutMs ?? 60_000);
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (d: string) => {
      // Keep only the tail: the server logs little at warn, but a long run must not grow this unbounded.
      stderr = (stderr + d).slice(-20_000);
      const m = /chat page (http:\/\/[^/\s]+)\//.exec(stderr);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with code ${code} before listening:\n${stderr}`));
    });
  }).catch(async (err: unknown) => {
    child.kill('SIGKILL');
    await exited;
    process.removeListener('exit', killOnExit);
    throw err;
  });
  const listeningMs = performance.now() - t0;

  let stopping: Promise<void> | undefined;
  const stop = (graceMs = 5_000): Promise<void> => {
    stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const force = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(force);
      }
      process.removeListener('exit', killOnExit);
    })();
    return stopping;
  };

  try {
    await waitHealthy(url, options.timeoutMs ?? 60_000, () => child.exitCode !== null);
  } catch (err) {
    await stop(0);
    throw new Error(`${(err as Error).message}\n${stderr}`, { cause: err });
  }
  const readyMs = performance.now() - t0;
  if (child.pid === undefined) throw new Error('server has no pid');
  return { pid: child.pid, url, readyMs, listeningMs, child, stop };
}

/** Polls GET /healthz until 200; throws on timeout or when `dead()` says the process is gone. */
async function waitHealthy(url: string, timeoutMs: number, dead: () => boolean): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (dead()) throw new Error('server exited while loading the index');
    try {
      const res = await fetch(`${url}/healthz`);
      await res.arrayBuffer();
      if (res.status === 200) return;
    } catch {
      // Not accepting connections yet: keep polling.
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`server not healthy within ${timeoutMs} ms`);
}

/** Resident set size of a process in MB from /proc/<pid>/status (VmRSS); NaN when unavailable. */
export function readRssMb(pid: number): number {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m?.[1] ? Number(m[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** Samples RSS every `everyMs` (default 100) until `stop()`, which returns the maximum seen (MB). */
export function sampleRss(pid: number, everyMs = 100): { stop(): number } {
  let max = readRssMb(pid);
  const timer = setInterval(() => {
    const v = readRssMb(pid);
    if (Number.isFinite(v) && !(v <= max)) max = v;
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      const last = readRssMb(pid);
      return Math.max(Number.isFinite(max) ? max : 0, Number.isFinite(last) ? last : 0);
    },
  };
}
