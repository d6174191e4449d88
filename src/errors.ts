/** Every error code the application raises; adapters translate them to their transport. */
export type ErrorCode =
  | 'bad_request'
  | 'validation_error'
  | 'payload_too_large'
  | 'not_found'
  | 'unauthorized'
  | 'forbidden'
  | 'rate_limited'
  | 'index_missing'
  | 'index_stale'
  | 'index_corrupt'
  | 'index_mismatch'
  | 'index_busy'
  | 'index_unwritable'
  | 'not_ready'
  | 'config_error'
  | 'llm_error'
  | 'internal';

/** An expected failure with a stable string code and a message safe to show to a user. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; details?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.details = options?.details;
  }
}

/** Maps an error code to the HTTP status an adapter returns. */
export function httpStatus(code: ErrorCode): number {
  switch (code) {
    case 'bad_request':
    case 'validation_error':
      return 400;
    case 'unauthorized':
      return 401;
    case 'forbidden':
      return 403;
    case 'not_found':
      return 404;
    case 'payload_too_large':
      return 413;
    case 'rate_limited':
      return 429;
    case 'not_ready':
    case 'index_missing':
    case 'index_stale':
    case 'index_busy':
    case 'index_unwritable':
      return 503;
    case 'llm_error':
      return 502;
    case 'index_corrupt':
    case 'index_mismatch':
    case 'config_error':
    case 'internal':
      return 500;
  }
}

/** Type guard for AppError (also across module copies). */
export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError || (typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'AppError');
}
