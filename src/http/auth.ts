import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { sendError } from './errors.js';

/**
 * Requires `Authorization: Bearer <token>`, compared in constant time. Without a configured token every
 * request is refused with `disabledMessage` (for routes that must never be open), or let through when
 * `disabledMessage` is undefined (the API's optional token).
 * @param wrongMessage the 401 message when the token is missing or wrong.
 */
export function requireBearer(
  token: string | undefined,
  wrongMessage: string,
  disabledMessage?: string,
): RequestHandler {
  if (!token && disabledMessage === undefined) return (_req, _res, next) => next();
  const expected = token ? createHash('sha256').update(token).digest() : undefined;
  return (req, res, next) => {
    const match = /^Bearer\s+(.+)$/iu.exec(req.headers.authorization ?? '');
    // Hashing first makes both sides the same length, so timingSafeEqual never throws and leaks no length.
    const given = createHash('sha256')
      .update(match?.[1]?.trim() ?? '')
      .digest();
    if (expected && match && timingSafeEqual(given, expected)) {
      next();
      return;
    }
    res.setHeader('WWW-Authenticate', 'Bearer');
    sendError(res, 'unauthorized', expected ? wrongMessage : (disabledMessage ?? wrongMessage));
  };
}
