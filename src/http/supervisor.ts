/**
 * The supervisor of `rugwijs serve --workers N` (or RUGWIJS_WORKERS=N): N worker processes (node:cluster)
 * serve on one port; a worker that dies is logged and replaced; SIGTERM/SIGINT drain every worker.
 * Workers run the ordinary single-process server (src/cli/serve.ts) and talk to the primary by IPC messages.
 */
import cluster, { type Worker } from 'node:cluster';
import type { Logger } from '../logger.js';

/** IPC messages from a worker to the primary. */
export type WorkerMessage =
  | { type: 'listening'; url: string }
  | { type: 'ready'; ok: boolean };

/** IPC message from the primary asking a worker to finish in-flight requests and exit. */
export const SHUTDOWN_MESSAGE = { type: 'shutdown' } as const;

export interface SupervisorOptions {
  /** Number of worker processes (at least 1). */
  workers: number;
  logger: Logger;
  /** How long a drain may take before remaining workers are killed (ms, default 15 000). */
  drainTimeoutMs?: number;
}

/** Restart delay after a worker died: doubles for workers that die soon after starting (crash loop), capped. */
const RESTART_MIN_MS = 100;
const RESTART_MAX_MS = 5_000;
/** A worker that lived at least this long resets the crash-loop backoff (ms). */
const STABLE_AFTER_MS = 10_000;
/** This many workers in a row dying young (e.g. the port is taken) stop the supervisor with exit code 1. */
const MAX_YOUNG_DEATHS = 8;

/**
 * Runs in the cluster primary: starts one worker and waits until it has loaded (or built) the index, so the
 * others only load it; then starts the rest. Resolves once SIGTERM/SIGINT has drained all workers.
 */
export async function runSupervisor(options: SupervisorOptions): Promise<void> {
  const { logger } = options;
  const wanted = Math.max(1, Math.floor(options.workers));
  const started = new Map<Worker, number>();
  let stopping = false;
  let backoff = RESTART_MIN_MS;
  let youngDeaths = 0;
  let announced = false;

  const fork = (): Worker => {
    const worker = cluster.fork();
    started.set(worker, Date.now());
    logger.info({ worker: worker.id, pid: worker.process.pid }, 'worker started');
    worker.on('message', (m: WorkerMessage) => {
      if (m?.type === 'listening' && !announced) {
        announced = true;
        logger.info({ url: m.url, workers: wanted }, 'listening');
        console.error(`rugwijs: ${wanted} workers on ${m.url}  ·  chat page ${m.url}/  ·  API ${m.url}/api  ·  MCP ${m.url}/mcp`);
      }
    });
    return worker;
  };

  cluster.on('exit', (worker, code, signal) => {
    const lived = Date.now() - (started.get(worker) ?? Date.now());
    started.delete(worker);
    if (stopping) return;
    youngDeaths = lived >= STABLE_AFTER_MS ? 0 : youngDeaths + 1;
    if (youngDeaths >= MAX_YOUNG_DEATHS) {
      logger.fatal({ deaths: youngDeaths }, 'workers keep dying right after starting; giving up (see the errors above)');
      stopping = true;
      for (const w of started.keys()) w.process.kill('SIGKILL');
      process.exit(1);
    }
    backoff = lived >= STABLE_AFTER_MS ? RESTART_MIN_MS : Math.min(RESTART_MAX_MS, backoff * 2);
    logger.error(
      { worker: worker.id, pid: worker.process.pid, code, signal, livedMs: lived, restartInMs: backoff },
      'worker died; starting a replacement',
    );
    setTimeout(() => {
      if (!stopping) fork();
    }, backoff);
  });

  // The first worker builds the index when needed; the others then only load it.
  const first = fork();
  await new Promise<void>((resolve) => {
    const done = () => {
      first.off('message', onMessage);
      first.off('exit', done);
      resolve();
    };
    const onMessage = (m: WorkerMessage) => {
      if (m?.type === 'ready') done();
    };
    first.on('message', onMessage);
    first.once('exit', done);
  });
  for (let i = started.size; i < wanted; i++) fork();

  await new Promise<void>((resolve) => {
    const drain = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal, workers: started.size }, 'shutting down: draining all workers');
      const workers = [...started.keys()];
      if (workers.length === 0) {
        resolve();
        return;
      }
      const force = setTimeout(() => {
        for (const w of started.keys()) w.process.kill('SIGKILL');
      }, options.drainTimeoutMs ?? 15_000);
      force.unref();
      cluster.on('exit', () => {
        if (started.size === 0) {
          clearTimeout(force);
          resolve();
        }
      });
      for (const w of workers) {
        if (w.isConnected()) w.send(SHUTDOWN_MESSAGE);
        else w.process.kill('SIGTERM');
      }
    };
    process.on('SIGTERM', drain);
    process.on('SIGINT', drain);
  });
  logger.info('all workers stopped');
}

/** In a worker: tells the primary something (no-op outside a cluster). */
export function notifyPrimary(message: WorkerMessage): void {
  if (cluster.isWorker && process.send) process.send(message);
}

/** In a worker: calls `onShutdown` when the primary asks it to drain. */
export function onPrimaryShutdown(onShutdown: () => void): void {
  if (!cluster.isWorker) return;
  process.on('message', (m: unknown) => {
    if ((m as { type?: unknown } | null)?.type === SHUTDOWN_MESSAGE.type) onShutdown();
  });
}
