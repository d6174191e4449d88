import { parseArgs } from 'node:util';
import { startServer } from '../http/app.js';
import { createLogger } from '../logger.js';
import type { Command } from './command.js';

/**
 * `rugwijs serve`: chat page, JSON API and MCP (Streamable HTTP) on config.host:config.port from one process.
 * Listens at once (GET /healthz says `loading` while the index is loaded or built), logs the URL to stderr,
 * and on SIGTERM/SIGINT stops accepting connections, lets in-flight requests finish and resolves (exit 0).
 * Rejects (exit 1) when the index cannot be loaded at all.
 */
export const serveCommand: Command = async (args, config) => {
  parseArgs({ args, options: {}, strict: true, allowPositionals: false });
  const logger = createLogger(config.logLevel);
  const running = await startServer(config, { logger });
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
