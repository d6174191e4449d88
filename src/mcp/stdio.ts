import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { JSONRPCMessageSchema, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { loadConfig, type Config } from '../config.js';
import { createEngine, type Engine } from '../engine.js';
import { loadSources } from '../corpus/load.js';
import { isAppError } from '../errors.js';
import { redactPaths } from '../http/errors.js';
import { createLogger, type Logger } from '../logger.js';
import { checkMessage, jsonDepthExceeds, JSONRPC, jsonRpcError, MAX_JSON_DEPTH } from './guard.js';
import { buildInstructions, createMcpServer, mcpLogger, type InstructionSource } from './server.js';

/** Longest input line (one JSON-RPC message) accepted on stdin, in bytes; as the HTTP /mcp body limit. */
export const MAX_LINE_BYTES = 1024 * 1024;

/**
 * Newline-delimited JSON-RPC over a pair of streams, bounded: a line over `maxLineBytes` is answered with
 * -32600 at once and the rest of it is skipped unread into memory; a line that is not JSON gets -32700; a
 * batch, a non-message or bad params get -32600/-32602 (src/mcp/guard.ts). The session goes on after each.
 * (The SDK's StdioServerTransport closes the session on an oversized line and ignores invalid JSON.)
 */
export class BoundedStdioTransport implements Transport {
  onmessage?: (message: JSONRPCMessage) => void;
  onerror?: (error: Error) => void;
  onclose?: () => void;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private skipping = false;

  constructor(
    private readonly input: NodeJS.ReadableStream = process.stdin,
    private readonly output: NodeJS.WritableStream = process.stdout,
    private readonly maxLineBytes = MAX_LINE_BYTES,
  ) {}

  start(): Promise<void> {
    this.input.on('data', this.onData);
    this.input.on('error', this.onInputError);
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.input.off('data', this.onData);
    this.input.off('error', this.onInputError);
    this.pending = [];
    this.pendingBytes = 0;
    this.onclose?.();
    return Promise.resolve();
  }

  send(message: JSONRPCMessage): Promise<void> {
    return new Promise((resolve) => {
      if (this.output.write(`${JSON.stringify(message)}\n`)) resolve();
      else this.output.once('drain', resolve);
    });
  }

  private readonly onInputError = (err: Error) => this.onerror?.(err);

  private readonly onData = (chunk: Buffer | string) => {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    let start = 0;
    while (start <= bytes.length) {
      const newline = bytes.indexOf(0x0a, start);
      const piece = bytes.subarray(start, newline === -1 ? bytes.length : newline);
      if (!this.skipping) {
        if (this.pendingBytes + piece.length > this.maxLineBytes) {
          this.pending = [];
          this.pendingBytes = 0;
          this.skipping = true;
          this.reply(
            jsonRpcError(
              JSONRPC.invalidRequest,
              `Invalid Request: message longer than ${Math.round(this.maxLineBytes / 1024)} kB; it was skipped.`,
            ),
          );
        } else if (piece.length > 0) {
          this.pending.push(piece);
          this.pendingBytes += piece.length;
        }
      }
      if (newline === -1) return;
      if (this.skipping) this.skipping = false;
      else {
        const line = Buffer.concat(this.pending, this.pendingBytes);
        this.pending = [];
        this.pendingBytes = 0;
        this.handleLine(line);
      }
      start = newline + 1;
    }
  };

  private handleLine(line: Buffer): void {
    const text = line.toString('utf8').replace(/\r$/, '');
    if (text.trim() === '') return;
    if (jsonDepthExceeds(line, MAX_JSON_DEPTH)) {
      this.reply(jsonRpcError(JSONRPC.parseError, `Parse error: JSON nested deeper than ${MAX_JSON_DEPTH} levels.`));
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      this.reply(jsonRpcError(JSONRPC.parseError, 'Parse error: the line is not valid JSON.'));
      return;
    }
    const refusal = checkMessage(value);
    if (refusal) {
      this.reply(refusal.response);
      return;
    }
    const parsed = JSONRPCMessageSchema.safeParse(value);
    if (!parsed.success) {
      const id = (value as { id?: unknown }).id;
      this.reply(
        jsonRpcError(
          JSONRPC.invalidRequest,
          'Invalid Request: not a JSON-RPC 2.0 request, notification or response.',
          typeof id === 'string' || typeof id === 'number' ? id : null,
        ),
      );
      return;
    }
    this.onmessage?.(parsed.data);
  }

  private reply(response: ReturnType<typeof jsonRpcError>): void {
    void this.send(response as unknown as JSONRPCMessage);
  }
}

/**
 * Serves MCP over stdio: connects first, then loads (building if needed) the index, so load and rebuild
 * notices reach the client as MCP log messages; requests that arrive meanwhile wait for the engine. The
 * instructions come from the corpus metadata (sources.json), which is read before connecting. stdout
 * carries nothing but protocol; logs go to stderr (and, at the client's level, to the client).
 * Resolves with the connected server once the index is loaded; rejects when it cannot be loaded.
 */
function isComplete(e: Awaited<ReturnType<typeof loadSources>>[number]): e is InstructionSource & typeof e {
  return e.kind !== undefined && e.label !== undefined && e.authority !== undefined && e.title !== undefined;
}

export async function runStdioServer(config: Config, logger: Logger): Promise<McpServer> {
  // Before the index is loaded only sources.json can be read, and with metadata optional it may list some
  // documents or none: the instructions then describe the corpus without a count (see buildInstructions).
  const entries = await loadSources(config.corpusDir);
  const sources = entries.every(isComplete) ? entries.filter(isComplete) : [];
  let provide!: (engine: Promise<Engine>) => void;
  const engine = new Promise<Engine>((resolve) => {
    provide = resolve;
  });
  const server = createMcpServer(engine, logger, { instructions: buildInstructions(sources) });
  await server.connect(new BoundedStdioTransport());
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
    // The client shows this line to its user: no absolute server paths.
    console.error(`rugwijs-mcp: ${redactPaths(isAppError(e) ? e.message : e instanceof Error ? e.message : String(e))}`);
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
