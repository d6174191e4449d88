import { createRequire } from 'node:module';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { normalize, type Normalized } from './normalize.js';
import { compilePattern, findMatch, PatternSchema, type CompiledPattern } from './patterns.js';

/**
 * Prompt-injection screening over normalised text (`normalize.ts`), so zero-width spaces, soft hyphens,
 * look-alike letters, full-width letters and separators between words defeat none of it. The knowledge is
 * data (`injection.json`): markers (role labels, context tags, chat-template tokens, instruction headings)
 * matched on the cleaned text with its markup, and token patterns (answer from own knowledge, reveal the
 * instructions or configuration, forget or ignore the documents). Every input that reaches composition is
 * screened: the question, each history turn, MCP prompt arguments.
 */

const MarkerSchema = z.strictObject({ why: z.string().min(1), regex: z.string().min(1) });

export const InjectionTableSchema = z
  .strictObject({
    version: z.number().int().positive(),
    why: z.string().min(1),
    markers: z.array(MarkerSchema).min(1),
    patterns: z.array(PatternSchema).min(1),
  })
  .superRefine((t, ctx) => {
    for (const m of t.markers) {
      try {
        new RegExp(m.regex, 'iu');
      } catch {
        ctx.addIssue({ code: 'custom', message: `bad marker regular expression ${m.regex}` });
      }
    }
  });
export type InjectionTable = z.infer<typeof InjectionTableSchema>;

/** A compiled injection table. */
export interface InjectionScreen {
  markers: { why: string; regex: RegExp }[];
  patterns: CompiledPattern[];
}

/**
 * Validates and compiles an injection table.
 * @throws AppError('config_error') naming the first problem.
 */
export function parseInjectionTable(json: unknown): InjectionScreen {
  const parsed = InjectionTableSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError(
      'config_error',
      `Invalid injection table at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'bad shape'}`,
    );
  }
  return {
    markers: parsed.data.markers.map((m) => ({ why: m.why, regex: new RegExp(m.regex, 'iu') })),
    patterns: parsed.data.patterns.map(compilePattern),
  };
}

/** Loads the bundled table (src/understand/injection.json). */
export function loadInjectionScreen(): InjectionScreen {
  const require = createRequire(import.meta.url);
  return parseInjectionTable(require('./injection.json'));
}

// Immutable after load: the bundled table, compiled once.
const DEFAULT_SCREEN = loadInjectionScreen();

/** Why a text was flagged, for logs and tests; undefined when it is clean. */
export function injectionReason(
  text: string | Normalized,
  screen: InjectionScreen = DEFAULT_SCREEN,
): string | undefined {
  const n = typeof text === 'string' ? normalize(text) : text;
  // Markers on the cleaned text (tags and brackets are the evidence) and on the folded text (diacritics).
  for (const m of screen.markers) if (m.regex.test(n.clean)) return m.why;
  for (const p of screen.patterns) if (findMatch(p, n.tokens)) return p.source.why;
  return undefined;
}

/** Whether a text carries instructions aimed at the system (data-driven part of the screen). */
export function screenInjection(
  text: string | Normalized,
  screen: InjectionScreen = DEFAULT_SCREEN,
): boolean {
  return injectionReason(text, screen) !== undefined;
}
