import os from 'node:os';
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { PROJECT_ROOT } from '../config.js';
import { AppError, httpStatus, isAppError, type ErrorCode } from '../errors.js';
import type { Logger } from '../logger.js';

/** The one error shape every HTTP response uses: `{ "error": { "code", "message" } }`. */
export const ErrorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/** An error translated to HTTP: status code and body. */
export interface HttpError {
  status: number;
  body: ErrorBody;
}

/** Builds the error body for a code and a user-safe message. */
export function errorBody(code: ErrorCode, message: string): ErrorBody {
  return { error: { code, message } };
}

/** Sends an error in the shared shape (never a stack trace). */
export function sendError(res: Response, code: ErrorCode, message: string): void {
  const status = httpStatus(code);
  // A 503 while the index loads is temporary: tell well-behaved clients when to come back (seconds).
  if (status === 503) res.setHeader('Retry-After', '5');
  res.status(status).json(errorBody(code, message));
}

/**
 * The service cannot work at all (the index could not be built or loaded): every request that needs the
 * engine gets 503 with the underlying code and message, whatever status that code has on its own.
 */
export class ServiceUnavailableError extends AppError {
  constructor(code: ErrorCode, message: string) {
    super(code, message);
  }
}

/** File-system roots that mark an absolute path inside a message (POSIX). */
const FS_ROOTS =
  /(?<![\w.:/-])\/(?:home|tmp|var|usr|etc|root|opt|srv|mnt|media|private|Users|work|data|app|workspace|proc|dev|run|nix|Volumes|Library)(?:\/[^\s'"`,;()]+)+/g;
const WINDOWS_PATH = /\b[A-Za-z]:\\[^\s'"`,;()]+/g;

/**
 * Removes absolute server paths from a message sent to a client: paths under the project, the working
 * directory, the temp or home folder become relative; any other absolute path is shortened to `…/<name>`.
 */
export function redactPaths(message: string): string {
  let out = message;
  const roots = [PROJECT_ROOT, process.cwd(), os.tmpdir(), os.homedir()]
    .filter((r) => r.length > 1)
    .sort((a, b) => b.length - a.length);
  for (const root of roots) out = out.split(`${root}/`).join('').split(root).join('.');
  return out
    .replace(FS_ROOTS, (p) => `…/${p.replace(/\/+$/, '').split('/').at(-1) ?? ''}`)
    .replace(WINDOWS_PATH, (p) => `…\\${p.split('\\').at(-1) ?? ''}`);
}

/** Shape of the errors thrown by body-parser / http-errors (express.json, express.static). */
interface ExpressError {
  type?: unknown;
  status?: unknown;
  statusCode?: unknown;
  expose?: unknown;
  limit?: unknown;
  message?: unknown;
}

/**
 * Translates anything thrown inside a request to a status and the shared error body. AppErrors keep their
 * code (status via `httpStatus`); body-parser failures become 400/413; anything unknown becomes a generic
 * 500 whose message reveals nothing internal.
 */
export function toHttpError(err: unknown): HttpError {
  if (err instanceof ServiceUnavailableError) {
    return { status: 503, body: errorBody(err.code, redactPaths(err.message)) };
  }
  if (isAppError(err)) {
    return { status: httpStatus(err.code), body: errorBody(err.code, redactPaths(err.message)) };
  }
  const e = (typeof err === 'object' && err !== null ? err : {}) as ExpressError;
  if (e.type === 'entity.too.large') {
    const limit = typeof e.limit === 'number' ? ` of ${Math.round(e.limit / 1024)} kB` : '';
    return { status: 413, body: errorBody('payload_too_large', `Request body exceeds the limit${limit}.`) };
  }
  if (e.type === 'entity.parse.failed') {
    return { status: 400, body: errorBody('bad_request', 'Request body is not valid JSON.') };
  }
  const status =
    typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : 500;
  if (status >= 400 && status < 500) {
    const code: ErrorCode =
      status === 404 ? 'not_found' : status === 413 ? 'payload_too_large' : 'bad_request';
    // http-errors marks client errors whose message is safe to show with `expose`.
    const message = e.expose === true && typeof e.message === 'string' ? redactPaths(e.message) : 'Bad request.';
    return { status: status === 404 || status === 413 ? status : 400, body: errorBody(code, message) };
  }
  return { status: 500, body: errorBody('internal', 'Internal server error.') };
}

/** Final error middleware: logs server faults with their stack (to stderr), answers in the shared shape. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    const { status, body } = toHttpError(err);
    // 503 (loading, or an index that cannot be built) is logged once where it arises, not per request.
    if (status >= 500 && status !== 503) logger.error({ err, method: req.method, path: req.path }, 'request failed');
    else logger.debug({ code: body.error.code, method: req.method, path: req.path }, body.error.message);
    // Headers already out (a stream in progress): Express's own handler closes the connection.
    if (res.headersSent) {
      next(err);
      return;
    }
    if (status === 503) res.setHeader('Retry-After', '5');
    res.status(status).json(body);
  };
}

/** 404 for every route nobody handled, in the shared shape. */
export const notFoundHandler: RequestHandler = (_req, res) => {
  res.status(404).json(errorBody('not_found', 'Unknown route. GET /openapi.json describes the API.'));
};
