import type { z } from 'zod';
import { AppError } from './errors.js';

/**
 * Parses `value` with a zod schema; on failure throws AppError('validation_error') whose message names the
 * first offending field in one line. Shared by the CLI, HTTP and MCP adapters.
 */
export function validate<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  throw new AppError('validation_error', `${where}${issue?.message ?? 'invalid input'}`, { details: parsed.error.issues });
}
