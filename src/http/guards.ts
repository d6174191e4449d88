/**
 * Request and connection guards of the HTTP server: allowed Host and Origin (DNS rebinding), bounded bodies
 * (announced or chunked), bounded JSON nesting, and bounded response buffering for clients that stop reading.
 */
import type { RequestHandler } from 'express';
import type { ErrorCode } from '../errors.js';
import type { Logger } from '../logger.js';
import { jsonDepthExceeds, MAX_JSON_DEPTH } from '../mcp/guard.js';
import { sendError } from './errors.js';

/**
 * Host header values accepted for a server listening on `port`: loopback names with the port, the
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

/** Which Host and Origin values a server accepts. */
export interface OriginPolicy {
  /** The address the server listens on (config.host). */
  host: string;
  /** Extra allowed Host values, comma-separated (config.allowedHosts). */
  allowedHosts?: string | undefined;
  /** CORS origins, comma-separated (config.corsOrigins; "*" = any): also allowed as Origin. */
  corsOrigins?: string | undefined;
}

/** Whether a Host header value is allowed on a server listening on `port` (case-insensitive). */
export function hostAllowed(hostHeader: string | undefined, port: number, policy: OriginPolicy): boolean {
  return allowedHostsFor(port, policy.host, policy.allowedHosts).includes((hostHeader ?? '').toLowerCase());
}

/**
 * Whether an Origin header value is allowed: http(s) on an allowed host (the chat page itself), or one of
 * the configured CORS origins. "null" (sandboxed frames, file://) and anything unparsable are refused.
 */
export function originAllowed(origin: string, port: number, policy: OriginPolicy): boolean {
  const cors = (policy.corsOrigins ?? '')
    .split(',')
    .map((o) => o.trim().toLowerCase())
    .filter(Boolean);
  if (cors.includes('*') || cors.includes(origin.toLowerCase())) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (url.origin.toLowerCase() !== origin.toLowerCase().replace(/\/$/, '')) return false;
  const hosts = allowedHostsFor(port, policy.host, policy.allowedHosts);
  // URL.host drops the default port, so "http://rugwijs.example" is the allowed bare name.
  return hosts.includes(url.host.toLowerCase());
}

/**
 * 403 for a Host header that is not allowed (on every route but /healthz, which load balancers and probes
 * call by IP), and for an Origin that is not allowed on a state-changing request (any method but
 * GET/HEAD/OPTIONS). Runs before anything else, so a rebinding page learns nothing.
 */
export function hostAndOriginGuard(policy: OriginPolicy): RequestHandler {
  return (req, res, next) => {
    if (req.path === '/healthz') {
      next();
      return;
    }
    const port = req.socket.localPort ?? 0;
    if (!hostAllowed(req.headers.host, port, policy)) {
      forbid(res, 'Host header not allowed (DNS-rebinding protection); see RUGWIJS_ALLOWED_HOSTS.');
      return;
    }
    const origin = req.headers.origin;
    const changes = !['GET', 'HEAD', 'OPTIONS'].includes(req.method);
    if (origin !== undefined && changes && !originAllowed(origin, port, policy)) {
      forbid(res, 'Origin not allowed; see RUGWIJS_ALLOWED_HOSTS and RUGWIJS_CORS_ORIGINS.');
      return;
    }
    next();
  };
}

function forbid(res: Parameters<RequestHandler>[1], message: string): void {
  // /mcp speaks JSON-RPC even when refusing.
  if (res.req.baseUrl === '/mcp' || res.req.path.startsWith('/mcp')) {
    res.status(403).json({ jsonrpc: '2.0', error: { code: -32000, message }, id: null });
    return;
  }
  sendError(res, 'forbidden' satisfies ErrorCode, message);
}

/** How long a refused chunked upload's connection stays open (unread) so the client can read the 413 (ms). */
const CLOSE_AFTER_REFUSAL_MS = 250;

/**
 * Bounds the request body to `limitBytes` as it arrives: announced larger (Content-Length) → 413 at once;
 * a chunked body that grows past the limit → 413 as soon as it does, and the connection is closed so the
 * rest is never read (body-parser alone reads such a body to its end before answering).
 */
export function bodyLimit(limitBytes: number): RequestHandler {
  const tooLarge = `Request body exceeds the limit of ${Math.round(limitBytes / 1024)} kB.`;
  return (req, res, next) => {
    const length = Number(req.headers['content-length']);
    if (Number.isFinite(length) && length > limitBytes) {
      res.setHeader('Connection', 'close');
      sendError(res, 'payload_too_large', tooLarge);
      return;
    }
    if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] !== undefined) {
      let received = 0;
      const count = (chunk: Buffer) => {
        received += chunk.length;
        if (received <= limitBytes) return;
        req.off('data', count);
        if (!res.headersSent) {
          res.setHeader('Connection', 'close');
          sendError(res, 'payload_too_large', tooLarge);
        }
        // Stop reading: the unread rest of the body is dropped with the connection shortly after the 413 is
        // out (the pause lets the client read the answer before the reset discards it).
        req.pause();
        const close = () => setTimeout(() => req.socket.destroy(), CLOSE_AFTER_REFUSAL_MS).unref();
        if (res.writableFinished) close();
        else res.once('finish', close);
      };
      // Attached in the same tick as the body parser's own listener, so no chunk is missed.
      req.on('data', count);
    }
    next();
  };
}

/**
 * `verify` hook for express.json: refuses JSON nested deeper than {@link MAX_JSON_DEPTH} before it is parsed
 * (400 bad_request), so no recursive validator or serializer ever walks a pathological value.
 */
export function verifyJsonDepth(_req: unknown, _res: unknown, buf: Buffer): void {
  if (jsonDepthExceeds(buf, MAX_JSON_DEPTH)) {
    throw Object.assign(new Error(`JSON nested deeper than ${MAX_JSON_DEPTH} levels.`), {
      status: 400,
      expose: true,
      type: 'entity.too.deep',
    });
  }
}

export interface WriteGuardOptions {
  /** A response whose unsent bytes make no progress for this long is dropped with its connection (ms). */
  stallMs: number;
  /** Unsent response bytes one connection may hold in server memory before it is dropped (bytes). */
  maxBufferedBytes: number;
  logger: Logger;
}

/**
 * Bounds what a client that stops reading can cost: once a response is written, the connection's unsent
 * bytes must shrink at least every `stallMs`, and may never exceed `maxBufferedBytes`; otherwise the
 * connection is destroyed (its buffers freed). Node itself stops parsing pipelined requests while a
 * response is unsent, so this bounds the memory per connection.
 */
export function writeGuard(options: WriteGuardOptions): RequestHandler {
  return (req, res, next) => {
    const socket = req.socket;
    let timer: NodeJS.Timeout | undefined;
    let last = Number.POSITIVE_INFINITY;
    const drop = (why: string) => {
      options.logger.warn({ path: req.path, unsent: socket.writableLength, why }, 'dropping a client that does not read');
      socket.destroy();
    };
    const check = () => {
      timer = undefined;
      if (socket.destroyed || res.writableFinished) return;
      const pending = socket.writableLength;
      // Nothing unsent (e.g. an event stream waiting for its answer): the next write re-arms the check.
      if (pending === 0) {
        last = Number.POSITIVE_INFINITY;
        return;
      }
      if (pending > options.maxBufferedBytes) return drop('buffer cap');
      if (pending >= last) return drop('write stalled');
      last = pending;
      timer = setTimeout(check, options.stallMs);
      timer.unref();
    };
    const originalWrite = res.write.bind(res) as (...args: unknown[]) => boolean;
    const originalEnd = res.end.bind(res) as (...args: unknown[]) => typeof res;
    const arm = () => {
      if (socket.writableLength > options.maxBufferedBytes) {
        setImmediate(() => drop('buffer cap'));
        return;
      }
      if (!timer) {
        timer = setTimeout(check, options.stallMs);
        timer.unref();
      }
    };
    res.write = ((...args: unknown[]) => {
      const ok = originalWrite(...args);
      arm();
      return ok;
    }) as typeof res.write;
    res.end = ((...args: unknown[]) => {
      const r = originalEnd(...args);
      arm();
      return r;
    }) as typeof res.end;
    res.once('close', () => {
      if (timer) clearTimeout(timer);
    });
    next();
  };
}

