import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { AppError } from './errors.js';

/** Project root (the folder holding package.json). */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const ConfigSchema = z.object({
  /** Folder with the corpus .txt files and sources.json. Default `<root>/corpus`. */
  corpusDir: z.string().default(path.join(PROJECT_ROOT, 'corpus')),
  /** Folder holding the built index (manifest.json + files). Default `<root>/indexes`. */
  indexDir: z.string().default(path.join(PROJECT_ROOT, 'indexes')),
  /** Folder with prompt templates. Default `<root>/prompts`. */
  promptsDir: z.string().default(path.join(PROJECT_ROOT, 'prompts')),
  /** Optional local transformers.js model folder; unset = the offline corpus-trained embedder. */
  embedModel: optionalString,
  /** Optional OpenAI-compatible endpoint for the LLM composer; unset = extractive composer only. */
  llmBaseUrl: optionalString.pipe(z.url().optional()),
  llmModel: z.string().default('llama3.1'),
  llmApiKey: optionalString,
  /** LLM request timeout in ms (default 20000). */
  llmTimeoutMs: z.coerce.number().int().min(100).max(600_000).default(20_000),
  host: z.string().default('127.0.0.1'),
  port: z.coerce.number().int().min(0).max(65_535).default(3000),
  /** Bearer token required on /api and /mcp when set. */
  apiToken: optionalString,
  /** Bearer token for POST /api/admin/reload; unset = the API token; neither = reload over HTTP disabled. */
  adminToken: optionalString,
  /** Rebuild and swap the index when files in the corpus folder change (default true; "false" = off). */
  watchCorpus: z
    .union([z.boolean(), z.string()])
    .default(true)
    .transform((v) => v === true || (typeof v === 'string' && !/^(0|false|no|off)$/iu.test(v.trim()))),
  /** Quiet time after the last corpus change before the rebuild starts (ms, default 1000). */
  reloadDebounceMs: z.coerce.number().int().min(0).max(600_000).default(1000),
  /** Comma-separated CORS origins; unset = CORS off. */
  corsOrigins: optionalString,
  /** Extra allowed Host header values for /mcp DNS-rebinding protection (comma-separated). */
  allowedHosts: optionalString,
  /** Worker processes of `serve` (node:cluster on one port; default 1 = no supervisor). */
  workers: z.coerce.number().int().min(1).max(64).default(1),
  /** Requests per minute per client on /api and /mcp (default 600). */
  rateLimitPerMinute: z.coerce.number().int().min(1).max(1_000_000).default(600),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/** Validated application configuration. */
export type Config = z.infer<typeof ConfigSchema>;

/**
 * Builds the configuration from defaults, environment variables and explicit overrides (highest priority).
 * Throws AppError('config_error') with one clear line naming the bad variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const raw = {
    corpusDir: env.RUGWIJS_CORPUS_DIR || undefined,
    indexDir: env.RUGWIJS_INDEX_DIR || undefined,
    promptsDir: env.RUGWIJS_PROMPTS_DIR || undefined,
    embedModel: env.RUGWIJS_EMBED_MODEL,
    llmBaseUrl: env.RUGWIJS_LLM_BASE_URL,
    llmModel: env.RUGWIJS_LLM_MODEL || undefined,
    llmApiKey: env.RUGWIJS_LLM_API_KEY,
    llmTimeoutMs: env.RUGWIJS_LLM_TIMEOUT_MS || undefined,
    host: env.HOST || undefined,
    port: env.PORT || undefined,
    apiToken: env.RUGWIJS_API_TOKEN,
    adminToken: env.RUGWIJS_ADMIN_TOKEN,
    watchCorpus: env.RUGWIJS_WATCH || undefined,
    reloadDebounceMs: env.RUGWIJS_RELOAD_DEBOUNCE_MS || undefined,
    corsOrigins: env.RUGWIJS_CORS_ORIGINS,
    allowedHosts: env.RUGWIJS_ALLOWED_HOSTS,
    rateLimitPerMinute: env.RUGWIJS_RATE_LIMIT || undefined,
    workers: env.RUGWIJS_WORKERS || undefined,
    logLevel: env.LOG_LEVEL || undefined,
    ...overrides,
  };
  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') ?? 'config';
    throw new AppError('config_error', `Invalid configuration for ${where}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}
