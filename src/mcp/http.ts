import { Router, type Response } from 'express';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Engine } from '../engine.js';
import type { Logger } from '../logger.js';
import { createMcpServer } from './server.js';

export interface McpHttpOptions {
  /** Returns the loaded engine or throws AppError('not_ready'). */
  engine: () => Engine;
  logger: Logger;
  /** The address the server listens on (config.host); allowed as a Host value unless it is a wildcard. */
  host: string;
  /** Extra allowed Host values, comma-separated (config.allowedHosts); entries without a port also match host:port. */
  allowedHosts?: string | undefined;
}

/**
 * Host header values accepted on /mcp for a server listening on `port`: loopback names with the port, the
 * configured listen host, and the configured extras. Anything else is a possible DNS-rebinding attack.
 */
export function allowedHostsFor(port: number, host: string, extra?: string): string[] {
  const names = ['127.0.0.1', 'localhost', '[::1]'];
  if (!['0.0.0.0', '::', ''].includes(host))
    names.push(host.includes(':') && !host.startsWith('[') ? `[${host}]` : host);
  const hosts = names.map((n) => `${n}:${port}`);
  for (const entry of (extra ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean)) {
    hosts.push(entry);
    // "example.org" means the host on this server's port too (and on :80/:443 behind a proxy, as given).
    if (!/:\d+$/.test(entry)) hosts.push(`${entry}:${port}`);
  }
  return [...new Set(hosts)];
}

/**
 * MCP over Streamable HTTP, mounted at /mcp, stateless: every POST gets a fresh McpServer + transport
 * (no sessions to leak or expire). DNS-rebinding protection is on: a foreign Host header gets 403.
 * GET (standalone notification stream) and DELETE (session end) are 405 because there are no sessions.
 */
export function createMcpRouter(options: McpHttpOptions): Router {
  const router = Router();

  router.post('/', async (req, res) => {
    const port = req.socket.localPort ?? 0;
    const allowedHosts = allowedHostsFor(port, options.host, options.allowedHosts);
    const host = req.headers.host ?? '';
    // Checked before the engine so a rebinding attempt learns nothing, not even whether the index is loaded.
    // Host names are case-insensitive, so "LOCALHOST:3000" is the same host.
    if (!allowedHosts.includes(host.toLowerCase())) {
      jsonRpcError(
        res,
        403,
        -32000,
        'Host header not allowed (DNS-rebinding protection); see RUGWIJS_ALLOWED_HOSTS.',
      );
      return;
    }
    const engine = options.engine();
    const server = createMcpServer(engine, options.logger);
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
      enableDnsRebindingProtection: true,
      // The transport checks again, but case-sensitively: give it the header exactly as sent and checked above.
      allowedHosts: [host],
    });
    transport.onerror = (err) => options.logger.debug({ err }, 'MCP transport error');
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  });

  router.get('/', (_req, res) =>
    jsonRpcError(res, 405, -32000, 'Method not allowed: this server is stateless; POST JSON-RPC messages.'),
  );
  router.delete('/', (_req, res) =>
    jsonRpcError(res, 405, -32000, 'Method not allowed: this server is stateless.'),
  );

  return router;
}

function jsonRpcError(res: Response, status: number, code: number, message: string): void {
  if (status === 405) res.setHeader('Allow', 'POST');
  res.status(status).json({ jsonrpc: '2.0', error: { code, message }, id: null });
}
