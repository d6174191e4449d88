import type { Config } from '../config.js';

/** A CLI sub-command: receives its own argv slice and the validated config; throws AppError on bad input. */
export type Command = (args: string[], config: Config) => Promise<void>;

/** Parses `--k` given as a string flag into an integer (validated later by the shared zod schema). */
export function parseIntFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  return Number.isInteger(n) ? n : Number.NaN;
}
