import { Router, type Response } from 'express';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Engine } from '../engine.js';
import { allowedHostsFor, hostAllowed, originAllowed } from '../http/guards.js';
import type { Logger } from '../logger.js';
import { checkMessage } from './guard.js';
import { createMcpServer } from './server.js';

export { allowedHostsFor };

export interface McpHttpOptions {
  /** Returns the loaded engine or throws AppError('not_ready'). */
  engine: () => Engine;
  logger: Logger;
  /** The address the server listens on (config.host); allowed as a Host value unless it is a wildcard. */
  host: string;
  /** Extra allowed Host values, comma-separated (config.allowedHosts); entries without a port also match host:port. */
  allowedHosts?: string | undefined;
  /** CORS origins (config.corsOrigins), also accepted as Origin. */
  corsOrigins?: string | undefined;
}

/**
 * MCP over Streamable HTTP, mounted at /mcp, stateless: every POST gets a fresh McpServer + transport
 * (no sessions to leak or expire). DNS-rebinding protection: a foreign Host header, or an Origin header that
 * is present and not allowed, gets 403 (MCP 2025-11-25). One JSON-RPC message per POST: batches and
 * malformed params are answered with a JSON-RPC error before the SDK sees them (src/mcp/guard.ts).
 * GET (standalone notification stream) and DELETE (session end) are 405 because there are no sessions.
 */
export function createMcpRouter(options: McpHttpOptions): Router {
  const router = Router();

  router.post('/', async (req, res) => {
    const port = req.socket.localPort ?? 0;
    const host = req.headers.host ?? '';
    // Checked before the engine so a rebinding attempt learns nothing, not even whether the index is loaded.
    // Host names are case-insensitive, so "LOCALHOST:3000" is the same host.
    if (!hostAllowed(host, port, options)) {
      jsonRpcError(
        res,
        403,
        -32000,
        'Host header not allowed (DNS-rebinding protection); see RUGWIJS_ALLOWED_HOSTS.',
      );
      return;
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !originAllowed(origin, port, options)) {
      jsonRpcError(res, 403, -32000, 'Origin not allowed; see RUGWIJS_ALLOWED_HOSTS and RUGWIJS_CORS_ORIGINS.');
      return;
    }
    if (req.body !== undefined) {
      const refusal = checkMessage(req.body);
      if (refusal) {
        res.status(refusal.status).json(refusal.response);
        return;
      }
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
