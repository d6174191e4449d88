import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { loadConfig, type Config } from '../config.js';
import { createEngine } from '../engine.js';
import { isAppError } from '../errors.js';
import { createLogger, type Logger } from '../logger.js';
import { createMcpServer } from './server.js';

/**
 * Serves MCP over stdio: loads (building if needed) the index first, then connects, so the client's first
 * request is answered from a ready engine. stdout carries nothing but protocol; logs go to stderr.
 * Resolves with the connected server.
 */
export async function runStdioServer(config: Config, logger: Logger): Promise<McpServer> {
  const engine = await createEngine(config, logger);
  const server = createMcpServer(engine, logger);
  await server.connect(new StdioServerTransport());
  logger.info({ chunks: engine.index.manifest.chunks }, 'rugwijs MCP server ready on stdio');
  return server;
}

async function main(): Promise<void> {
  // A stray console.log anywhere (a library, a debug line) would corrupt the JSON-RPC stream on stdout.
  console.log = console.error;
  console.info = console.error;
  console.debug = console.error;
  let config: Config;
  try {
    config = loadConfig();
  } catch (e) {
    console.error(`rugwijs-mcp: ${isAppError(e) ? e.message : String(e)}`);
    process.exit(1);
  }
  const logger = createLogger(config.logLevel);
  let server: McpServer;
  try {
    server = await runStdioServer(config, logger);
  } catch (e) {
    console.error(`rugwijs-mcp: ${isAppError(e) ? e.message : e instanceof Error ? e.message : String(e)}`);
    if (process.env.RUGWIJS_DEBUG) console.error(e);
    process.exit(1);
  }
  const stop = () => {
    void server.close().finally(() => process.exit(0));
  };
  // The client closing our stdin ends the session.
  process.stdin.once('end', stop);
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

// Run only as an entry point (npm run mcp, bin/rugwijs-mcp.js), not when imported by tests.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
