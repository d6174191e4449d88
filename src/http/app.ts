import { requireBearer } from './auth.js';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import type { Config } from '../config.js';
import { type Engine } from '../engine.js';
import { EngineHolder } from '../engine-holder.js';
import { createAdminRouter } from './admin.js';
import { AppError, isAppError } from '../errors.js';
import { createLogger, type Logger } from '../logger.js';
import { JSONRPC, jsonRpcError } from '../mcp/guard.js';
import { createMcpRouter } from '../mcp/http.js';
import { SERVER_VERSION } from '../mcp/server.js';
import {
  errorHandler,
  notFoundHandler,
  redactPaths,
  sendError,
  ServiceUnavailableError,
  toHttpError,
} from './errors.js';
import { bodyLimit, hostAndOriginGuard, verifyJsonDepth, writeGuard } from './guards.js';
import { buildOpenApiDocument, type Health } from './openapi.js';
import { createApiRouter } from './routes.js';

/** Folder of the static chat page (index.html, app.js, style.css). */
export const PAGE_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'page');

/** Request bodies on /api are small questions; anything bigger is refused before parsing (bytes). */
const API_BODY_LIMIT = 16 * 1024;
/** MCP messages may carry a full conversation history (20 turns of up to 20 000 characters) (bytes). */
const MCP_BODY_LIMIT = 1024 * 1024;
/** Slow clients are cut off: the whole request (headers + body) must arrive within this many ms. */
const REQUEST_TIMEOUT_MS = 10_000;
/** How long shutdown waits for in-flight requests before closing their connections (ms). */
const SHUTDOWN_GRACE_MS = 10_000;
/** A client that reads none of its response for this long is disconnected (ms). */
const WRITE_STALL_MS = 10_000;
/**
 * Unsent response bytes one connection may hold (bytes). The largest response (a whole source document over
 * MCP, text twice) is a few hundred kB; Node parses no further pipelined request while one is unsent.
 */
const MAX_BUFFERED_RESPONSE_BYTES = 4 * 1024 * 1024;

/** Readiness of the engine as seen by requests. */
interface EngineState {
  /** The engine, or throws AppError('not_ready') / the load failure. */
  get(): Engine;
  health(): { status: number; body: Health };
}

/** Follows the engine promise: requests before it resolves get 503 not_ready instead of waiting. */
function trackEngine(engine: Engine | Promise<Engine>, logger: Logger, holder?: EngineHolder): EngineState {
  let ready: Engine | undefined = 'then' in engine ? undefined : engine;
  let failure: ServiceUnavailableError | undefined;
  if (!ready) {
    (engine as Promise<Engine>).then(
      (e) => {
        ready = e;
        logger.info({ chunks: e.index.manifest.chunks, build: e.index.manifest.build }, 'index loaded');
      },
      (err: unknown) => {
        failure = unavailable(err);
        logger.error({ err }, 'loading the index failed; serving 503 until restarted');
      },
    );
  }
  return {
    get() {
      // A live reload swaps the holder's engine; requests always take the current one.
      const current = holder?.current ?? ready;
      if (current) return current;
      if (failure !== undefined) throw failure;
      throw new AppError('not_ready', 'The index is still loading; try again in a few seconds.');
    },
    health() {
      const current = holder?.current ?? ready;
      if (current) {
        const m = current.index.manifest;
        const reload = holder?.status();
        return {
          status: 200,
          body: {
            status: 'ok',
            index: { chunks: m.chunks, builtAt: m.builtAt, embedder: m.embedder.id, build: m.build, documents: m.corpus.length, skipped: m.skipped.map(({ path, reason }) => ({ path, reason })) },
            ...(reload ? { reload: { ...(reload.building ? { building: reload.building } : {}), ...(reload.lastError ? { lastError: reload.lastError } : {}), ...(reload.lastReload ? { lastReload: reload.lastReload } : {}) } } : {}),
          },
        };
      }
      if (failure !== undefined)
        return { status: 503, body: { status: 'error', error: toHttpError(failure).body.error } };
      return { status: 503, body: { status: 'loading' } };
    },
  };
}

/**
 * Why the index could not be built or loaded, as a 503 for every request: an AppError keeps its code and
 * (path-free) message; anything else says only which system call failed, the details stay in the log.
 */
function unavailable(err: unknown): ServiceUnavailableError {
  if (isAppError(err)) return new ServiceUnavailableError(err.code, redactPaths(err.message));
  const code = (err as { code?: unknown } | null)?.code;
  return new ServiceUnavailableError(
    'internal',
    `The index could not be built or loaded${typeof code === 'string' ? ` (${code})` : ''}; see the server log.`,
  );
}

export interface AppOptions {
  /** A client that reads none of its pending response for this long is disconnected (ms, default 10 000). */
  writeStallMs?: number | undefined;
  /** Holder of the served engine, for live reload (watcher, POST /api/admin/reload) and /healthz reload status. */
  holder?: EngineHolder;
}

/**
 * The Express app: chat page at /, JSON API at /api, MCP (Streamable HTTP) at /mcp, /healthz, /openapi.json.
 * Thin adapter over src/engine.ts; the engine may still be loading (requests then get 503 not_ready).
 * Security: allowed Host on every route but /healthz and allowed Origin on state-changing requests (DNS
 * rebinding), helmet headers with a 'self'-only CSP, CORS only for config.corsOrigins, per-client rate limit
 * (config.rateLimitPerMinute) and optional bearer token (config.apiToken) on /api and /mcp, bodies bounded
 * as they arrive (16 kB on /api, 1 MB on /mcp) and nested at most 64 deep, clients that stop reading dropped.
 */
export function createApp(
  engine: Engine | Promise<Engine>,
  config: Config,
  logger: Logger,
  options: AppOptions = {},
): Express {
  const { holder } = options;
  const state = trackEngine(engine, logger, holder);
  const app = express();
  app.disable('x-powered-by');

  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          fontSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
    }),
  );
  app.use(accessLog(logger));
  const policy = { host: config.host, allowedHosts: config.allowedHosts, corsOrigins: config.corsOrigins };
  // Before anything else: a DNS-rebinding page or a foreign site learns nothing, not even the rate limit.
  app.use(hostAndOriginGuard(policy));
  app.use(
    writeGuard({
      stallMs: options.writeStallMs ?? WRITE_STALL_MS,
      maxBufferedBytes: MAX_BUFFERED_RESPONSE_BYTES,
      logger,
    }),
  );
  if (config.corsOrigins) app.use(cors(config.corsOrigins));

  app.get('/healthz', (_req, res) => {
    const { status, body } = state.health();
    res.status(status).json(body);
  });

  const openApi = buildOpenApiDocument(SERVER_VERSION);
  app.get('/openapi.json', (_req, res) => {
    res.json(openApi);
  });

  // Before the /api bearer check: the admin route has its own (always required) token.
  if (holder) app.use('/api/admin', rateLimiter(config.rateLimitPerMinute), createAdminRouter(holder, config.adminToken ?? config.apiToken));
  // One request is at most one answer or search (MCP batches are refused), so counting requests counts work.
  app.use(['/api', '/mcp'], rateLimiter(config.rateLimitPerMinute), bearerAuth(config.apiToken));
  app.use(
    '/api',
    bodyLimit(API_BODY_LIMIT),
    express.json({ limit: API_BODY_LIMIT, verify: verifyJsonDepth }),
    createApiRouter({ engine: () => state.get(), logger }),
  );
  app.use(
    '/mcp',
    bodyLimit(MCP_BODY_LIMIT),
    express.json({ limit: MCP_BODY_LIMIT, verify: verifyJsonDepth }),
    createMcpRouter({ engine: () => state.get(), logger, ...policy }),
    mcpBodyErrors,
  );

  app.use(express.static(PAGE_DIR, { index: 'index.html', maxAge: 0 }));
  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}

/**
 * JSON that could not be parsed on /mcp (invalid, or nested too deep) is answered in JSON-RPC, -32700;
 * HTTP-level refusals (413, 401, 429, 503) keep the shared error shape.
 */
const mcpBodyErrors: ErrorRequestHandler = (err, _req, res, next) => {
  const type = (err as { type?: unknown } | null)?.type;
  if (res.headersSent || (type !== 'entity.parse.failed' && type !== 'entity.too.deep')) {
    next(err);
    return;
  }
  const message =
    type === 'entity.too.deep' ? `Parse error: ${(err as Error).message}` : 'Parse error: the body is not valid JSON.';
  res.status(400).json(jsonRpcError(JSONRPC.parseError, message));
};

/** Per-client (IP) request budget per minute, answered with 429 in the shared error shape. */
function rateLimiter(perMinute: number): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, res) =>
      sendError(
        res,
        'rate_limited',
        `Too many requests: at most ${perMinute} per minute. Try again shortly.`,
      ),
  });
}

/** When a token is configured, requires `Authorization: Bearer <token>`; compared in constant time. */
function bearerAuth(token: string | undefined): RequestHandler {
  return requireBearer(token, 'Missing or wrong bearer token (Authorization: Bearer <RUGWIJS_API_TOKEN>).');
}

/** CORS for the configured origins only ("*" = any); preflight answered with 204. */
function cors(originsCsv: string): RequestHandler {
  const origins = originsCsv
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  const any = origins.includes('*');
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (origin && (any || origins.includes(origin))) {
      res.setHeader('Access-Control-Allow-Origin', any ? '*' : origin);
      res.vary('Origin');
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
      res.setHeader(
        'Access-Control-Allow-Headers',
        'Content-Type, Authorization, Accept, Mcp-Session-Id, Mcp-Protocol-Version',
      );
      res.setHeader('Access-Control-Max-Age', '600');
      if (req.method === 'OPTIONS') {
        res.status(204).end();
        return;
      }
    }
    next();
  };
}

/** One debug line per finished request (method, path, status, ms). */
function accessLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const t0 = performance.now();
    res.on('finish', () => {
      logger.debug(
        {
          method: req.method,
          path: req.path,
          status: res.statusCode,
          ms: Math.round(performance.now() - t0),
        },
        'request',
      );
    });
    next();
  };
}

export interface StartOptions {
  /** Defaults to createLogger(config.logLevel). */
  logger?: Logger;
  /** Defaults to createEngine(config, logger), started after the server listens. */
  engine?: Engine | Promise<Engine>;
  /**
   * Slow clients are cut off (answered 408 and disconnected) when the whole request, headers and body, has
   * not arrived within this many ms (default 10 000; at least 100).
   */
  requestTimeoutMs?: number;
  /** Limit for the request headers alone, in ms (default and maximum: requestTimeoutMs). */
  headersTimeoutMs?: number;
  /** A client that reads none of its pending response for this long is disconnected (ms, default 10 000). */
  writeStallMs?: number;
}

export interface RunningServer {
  server: http.Server;
  /** e.g. http://127.0.0.1:3000 */
  url: string;
  /** Settles when the index is loaded (or failed to load). */
  engine: Promise<Engine>;
  /**
   * Graceful stop: no new connections, idle keep-alive connections closed, in-flight requests finish
   * (connections still open after `graceMs`, default 10 000 ms, are closed). Idempotent.
   */
  close(graceMs?: number): Promise<void>;
}

/**
 * Listens on config.host:config.port (port 0 = any free port) and only then loads the engine in the
 * background, so /healthz answers `loading` while the index is built. Throws AppError('config_error')
 * when the port is taken.
 */
export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(config.logLevel);
  let provide!: (e: Engine | Promise<Engine>) => void;
  const engine = new Promise<Engine>((resolve) => {
    provide = resolve;
  });
  // The server's own engine lives in a holder so a corpus change (watcher) or POST /api/admin/reload can swap it.
  const holder = options.engine ? undefined : new EngineHolder(config, logger, { debounceMs: config.reloadDebounceMs });
  const app = createApp(engine, config, logger, { writeStallMs: options.writeStallMs, ...(holder ? { holder } : {}) });
  const requestTimeout = Math.max(100, options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS);
  // Node refuses a headers timeout longer than the request timeout.
  const headersTimeout = Math.max(100, Math.min(options.headersTimeoutMs ?? requestTimeout, requestTimeout));
  const server = http.createServer(
    {
      requestTimeout,
      headersTimeout,
      // Node checks those timeouts only every connectionsCheckingInterval (default 30 s); check at least every
      // second, and often enough that a short timeout is enforced close to its value.
      connectionsCheckingInterval: Math.min(1_000, Math.max(25, Math.floor(headersTimeout / 4))),
    },
    app,
  );

  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(
        err.code === 'EADDRINUSE'
          ? new AppError(
              'config_error',
              `Port ${config.port} on ${config.host} is already in use; set PORT to another port.`,
            )
          : err,
      );
    });
    server.listen(config.port, config.host, resolve);
  });
  provide(options.engine ?? (holder as EngineHolder).start());
  if (holder && config.watchCorpus) {
    // Watch only once the first engine is there: changes during the first build are in that build anyway.
    engine.then(() => closing === undefined && holder.watchCorpus(), () => undefined);
  }

  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  // While shutting down, a keep-alive connection is closed as soon as its in-flight response is done,
  // instead of idling until keepAliveTimeout.
  server.on('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
    res.on('finish', () => {
      if (closing) setImmediate(() => server.closeIdleConnections());
    });
  });
  return {
    server,
    url: `http://${host}:${address.port}`,
    engine,
    close(graceMs = SHUTDOWN_GRACE_MS) {
      holder?.stop();
      closing ??= new Promise<void>((resolve, reject) => {
        const force = setTimeout(() => server.closeAllConnections(), graceMs);
        force.unref();
        server.close((err) => {
          clearTimeout(force);
          if (err) reject(err);
          else resolve();
        });
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}
