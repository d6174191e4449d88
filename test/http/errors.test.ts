import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import { ErrorBodySchema, toHttpError } from '../../src/http/errors.js';

describe('toHttpError', () => {
  it('maps AppError codes through httpStatus and keeps the message', () => {
    expect(toHttpError(new AppError('validation_error', 'question: question must not be empty'))).toEqual({
      status: 400,
      body: { error: { code: 'validation_error', message: 'question: question must not be empty' } },
    });
    expect(toHttpError(new AppError('not_found', 'Unknown source "x.txt".')).status).toBe(404);
    expect(toHttpError(new AppError('not_ready', 'Loading.')).status).toBe(503);
    expect(toHttpError(new AppError('rate_limited', 'Slow down.')).status).toBe(429);
  });

  it('turns body-parser failures into 400 and 413', () => {
    expect(
      toHttpError({ type: 'entity.parse.failed', status: 400, message: 'Unexpected token } in JSON' }),
    ).toEqual({
      status: 400,
      body: { error: { code: 'bad_request', message: 'Request body is not valid JSON.' } },
    });
    const tooLarge = toHttpError({ type: 'entity.too.large', status: 413, limit: 16384 });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.error.code).toBe('payload_too_large');
    expect(tooLarge.body.error.message).toContain('16 kB');
  });

  it('shows exposed client-error messages but hides unexposed ones', () => {
    expect(
      toHttpError({ status: 415, expose: true, message: 'unsupported charset "UTF-7"' }).body.error,
    ).toEqual({
      code: 'bad_request',
      message: 'unsupported charset "UTF-7"',
    });
    expect(toHttpError({ status: 400, expose: false, message: 'internal detail' }).body.error.message).toBe(
      'Bad request.',
    );
  });

  it('never leaks internals of unexpected errors', () => {
    const result = toHttpError(
      new TypeError("Cannot read properties of undefined (reading 'analyzer') at /work/main/src/x.ts:3"),
    );
    expect(result).toEqual({
      status: 500,
      body: { error: { code: 'internal', message: 'Internal server error.' } },
    });
    expect(ErrorBodySchema.strict().safeParse(result.body).success).toBe(true);
  });
});
