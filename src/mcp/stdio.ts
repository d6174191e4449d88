import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { loadConfig, type Config } from '../config.js';
import { createEngine, type Engine } from '../engine.js';
import { loadSources } from '../corpus/load.js';
import { isAppError } from '../errors.js';
import { createLogger, type Logger } from '../logger.js';
import { buildInstructions, createMcpServer, mcpLogger } from './server.js';

/**
 * Serves MCP over stdio: connects first, then loads (building if needed) the index, so load and rebuild
 * notices reach the client as MCP log messages; requests that arrive meanwhile wait for the engine. The
 * instructions come from the corpus metadata (sources.json), which is read before connecting. stdout
 * carries nothing but protocol; logs go to stderr (and, at the client's level, to the client).
 * Resolves with the connected server once the index is loaded; rejects when it cannot be loaded.
 */
export async function runStdioServer(config: Config, logger: Logger): Promise<McpServer> {
  const sources = await loadSources(config.corpusDir);
  let provide!: (engine: Promise<Engine>) => void;
  const engine = new Promise<Engine>((resolve) => {
    provide = resolve;
  });
  const server = createMcpServer(engine, logger, { instructions: buildInstructions(sources) });
  await server.connect(new StdioServerTransport());
  const log = mcpLogger(server, logger);
  provide(createEngine(config, log));
  const loaded = await engine;
  log.info({ chunks: loaded.index.manifest.chunks }, 'rugwijs MCP server ready on stdio');
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
