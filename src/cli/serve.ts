import { parseArgs } from 'node:util';
import { startServer } from '../http/app.js';
import { createLogger } from '../logger.js';
import { parseIntFlag, type Command } from './command.js';

/**
 * `rugwijs serve`: chat page, JSON API and MCP (Streamable HTTP) on config.host:config.port from one process.
 * `--request-timeout-ms N` sets the slow-client cut-off (default 10 000 ms).
 * Listens at once (GET /healthz says `loading` while the index is loaded or built), logs the URL to stderr,
 * and on SIGTERM/SIGINT stops accepting connections, lets in-flight requests finish and resolves (exit 0).
 * Rejects (exit 1) when the index cannot be loaded at all.
 */
export const serveCommand: Command = async (args, config) => {
  const { values } = parseArgs({
    args,
    // Slow-client cut-off in ms (default 10 000): the whole request must arrive within it, or 408.
    options: { 'request-timeout-ms': { type: 'string' } },
    strict: true,
    allowPositionals: false,
  });
  const requestTimeoutMs = parseIntFlag('request-timeout-ms', values['request-timeout-ms'], { min: 100, max: 600_000 });
  const logger = createLogger(config.logLevel);
  const running = await startServer(config, { logger, requestTimeoutMs });
  console.error(`rugwijs: chat page ${running.url}/  ·  API ${running.url}/api  ·  MCP ${running.url}/mcp`);
  logger.info({ url: running.url }, 'listening');

  await new Promise<void>((resolve, reject) => {
    const shutdown = (signal: NodeJS.Signals) => {
      logger.info({ signal }, 'shutting down: finishing in-flight requests');
      running.close().then(resolve, reject);
    };
    process.once('SIGTERM', shutdown);
    process.once('SIGINT', shutdown);
    running.engine.catch((err: unknown) => {
      running.close().then(() => reject(err), reject);
    });
  });
  // Loaded libraries (e.g. a model runtime) may hold handles open; exit anyway once the server is closed.
  setTimeout(() => process.exit(process.exitCode ?? 0), 2_000).unref();
};
