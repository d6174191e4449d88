import cluster from 'node:cluster';
import { parseArgs } from 'node:util';
import { createEngine, type Engine } from '../engine.js';
import { startServer } from '../http/app.js';
import { notifyPrimary, onPrimaryShutdown, runSupervisor } from '../http/supervisor.js';
import { createLogger } from '../logger.js';
import { parseIntFlag, type Command } from './command.js';

/**
 * `rugwijs serve`: chat page, JSON API and MCP (Streamable HTTP) on config.host:config.port.
 * `--request-timeout-ms N` sets the slow-client cut-off (default 10 000 ms).
 * `--workers N` (or RUGWIJS_WORKERS; default 1): with N > 1 a supervisor runs N worker processes on the one
 * port (node:cluster), replaces a worker that dies, and drains all of them on SIGTERM/SIGINT.
 * Listens at once (GET /healthz says `loading` while the index is loaded or built), logs the URL to stderr,
 * and on SIGTERM/SIGINT stops accepting connections, lets in-flight requests finish and resolves (exit 0).
 * When the index cannot be built or loaded the server keeps running and answers 503 with the reason.
 */
export const serveCommand: Command = async (args, config) => {
  const { values } = parseArgs({
    args,
    options: {
      // Slow-client cut-off in ms (default 10 000): the whole request must arrive within it, or 408.
      'request-timeout-ms': { type: 'string' },
      workers: { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  const requestTimeoutMs = parseIntFlag('request-timeout-ms', values['request-timeout-ms'], { min: 100, max: 600_000 });
  const workers = parseIntFlag('workers', values.workers, { min: 1, max: 64 }) ?? config.workers;
  const logger = createLogger(config.logLevel);
  if (cluster.isPrimary && workers > 1) {
    await runSupervisor({ workers, logger });
    return;
  }

  let engine: Promise<Engine> | undefined;
  if (cluster.isWorker) {
    // A worker joins the shared port only once its index is loaded (or has failed), so the primary never
    // hands a connection to a worker that would answer 503 not_ready while a sibling is ready.
    engine = createEngine(config, logger);
    await engine.catch(() => undefined);
  }
  const running = await startServer(config, { logger, requestTimeoutMs, engine }).catch((err: unknown) => {
    // The IPC channel would keep a failed worker alive: let it exit so the supervisor sees the failure.
    cluster.worker?.disconnect();
    throw err;
  });
  if (cluster.isWorker) notifyPrimary({ type: 'listening', url: running.url });
  else console.error(`rugwijs: chat page ${running.url}/  ·  API ${running.url}/api  ·  MCP ${running.url}/mcp`);
  logger.info({ url: running.url }, 'listening');
  running.engine.then(
    () => notifyPrimary({ type: 'ready', ok: true }),
    // Logged by the app; the server stays up and answers 503 with the reason (see /healthz).
    () => notifyPrimary({ type: 'ready', ok: false }),
  );

  await new Promise<void>((resolve, reject) => {
    let stopping = false;
    const shutdown = (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'shutting down: finishing in-flight requests');
      running.close().then(resolve, reject);
    };
    process.on('SIGTERM', shutdown);
    process.on('SIGINT', shutdown);
    onPrimaryShutdown(() => shutdown('primary'));
  });
  // Loaded libraries (e.g. a model runtime) may hold handles open; exit anyway once the server is closed.
  setTimeout(() => process.exit(process.exitCode ?? 0), 2_000).unref();
};
