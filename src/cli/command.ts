import type { Config } from '../config.js';
import { AppError } from '../errors.js';

/** A CLI sub-command: receives its own argv slice and the validated config; throws AppError on bad input. */
export type Command = (args: string[], config: Config) => Promise<void>;

/**
 * Parses a whole-number flag given as a string (`--k 7`). Undefined when the flag is absent.
 * Throws AppError('bad_request') naming the flag, the allowed range and what was given, e.g.
 * `--k must be a whole number from 1 to 50, got 'abc'`.
 */
export function parseIntFlag(
  name: string,
  value: string | undefined,
  range: { min: number; max: number },
): number | undefined {
  if (value === undefined) return undefined;
  const n = /^[+-]?\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < range.min || n > range.max) {
    throw new AppError(
      'bad_request',
      `--${name} must be a whole number from ${range.min} to ${range.max}, got '${value}'`,
    );
  }
  return n;
}

/** The {min, max} a zod number schema allows (`z.number().int().min(1).max(50).optional()`), for flag messages. */
export function rangeOf(schema: { unwrap(): { minValue: number | null; maxValue: number | null } }): {
  min: number;
  max: number;
} {
  const n = schema.unwrap();
  return { min: n.minValue ?? Number.MIN_SAFE_INTEGER, max: n.maxValue ?? Number.MAX_SAFE_INTEGER };
}
