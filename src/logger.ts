import { pino, type Logger } from 'pino';

/**
 * Creates the application logger. Always writes to stderr (fd 2) so the stdio MCP server's stdout carries
 * nothing but protocol. Level from `level` (default "info"; "silent" in tests).
 */
export function createLogger(level: string = 'info'): Logger {
  return pino({ level, base: undefined }, pino.destination(2));
}

export type { Logger };
