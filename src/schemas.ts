import { z } from 'zod';

/**
 * zod schemas: the single source of truth for every boundary (HTTP body, MCP tool input/output, CLI flags).
 * Types come from z.infer.
 */

/** 'unknown': kind not given and not recognisable; ranks below guidelines and evidence summaries (src/corpus/metadata.ts). */
export const SourceKindSchema = z.enum(['guideline', 'evidence-summary', 'practice-article', 'news', 'unknown']);

/** One previous turn of a conversation. */
export const TurnSchema = z.object({
  question: z.string().min(1).max(1000),
  answer: z.string().max(20_000).default(''),
});

/** Input of `answer()` — POST /api/ask body, MCP answer_question, CLI ask. */
export const AskInputSchema = z.object({
  question: z
    .string()
    .max(1000, 'question must be at most 1000 characters')
    .refine((q) => q.trim().length > 0, 'question must not be empty'),
  /** Passages considered by the composer (default 6, 1–20). */
  k: z.number().int().min(1).max(20).optional(),
  /** Previous turns, oldest first (at most 20). */
  history: z.array(TurnSchema).max(20).optional(),
});
export type AskInput = z.infer<typeof AskInputSchema>;

/** Input of search — POST /api/search body, MCP search_passages, CLI search. */
export const SearchInputSchema = z.object({
  query: z
    .string()
    .max(1000, 'query must be at most 1000 characters')
    .refine((q) => q.trim().length > 0, 'query must not be empty'),
  /** Number of passages (default 5, 1–50). */
  k: z.number().int().min(1).max(50).optional(),
});
export type SearchInput = z.infer<typeof SearchInputSchema>;

export const CitationSchema = z.object({
  n: z.number().int().min(1),
  chunkId: z.string(),
  file: z.string(),
  title: z.string(),
  kind: SourceKindSchema,
  date: z.string().optional(),
  section: z.string(),
  /** Verbatim from the original file: original.slice(start, end) === quote. */
  quote: z.string(),
  start: z.number().int().min(0),
  end: z.number().int().min(0),
  /** PDF page (1-based) the quote starts on, when the source is a PDF. */
  page: z.number().int().min(1).optional(),
  /**
   * Strength or certainty the source itself states for this claim ("matig aanbevolen", "zeer onzeker
   * bewijs"), copied verbatim from the text near the quote — never inferred.
   */
  strength: z.string().optional(),
  /** True for a refusal's "nearest sections" pointers: not a claim, only where to look. */
  nearest: z.boolean().optional(),
});
export type Citation = z.infer<typeof CitationSchema>;

export const AnswerSchema = z.object({
  answer: z.string(),
  refused: z.boolean(),
  refusalReason: z.string().optional(),
  redFlags: z.array(z.string()),
  citations: z.array(CitationSchema),
  /** Further relevant evidence not shown in the answer text (the page shows it collapsed). */
  moreEvidence: z.array(CitationSchema.omit({ n: true })).default([]),
  composer: z.enum(['extractive', 'llm']),
  /** Language of the frame text ("nl" or "en"); quotes are always Dutch. */
  language: z.enum(['nl', 'en']),
  timings: z.object({ retrieveMs: z.number(), composeMs: z.number() }),
});
export type Answer = z.infer<typeof AnswerSchema>;

export const SearchHitSchema = z.object({
  chunkId: z.string(),
  file: z.string(),
  title: z.string(),
  section: z.string(),
  text: z.string(),
  score: z.number(),
  start: z.number().int(),
  end: z.number().int(),
  ranks: z.object({ lexical: z.number().int().nullable(), dense: z.number().int().nullable() }),
});
export const SearchResultSchema = z.object({ results: z.array(SearchHitSchema) });
export type SearchResult = z.infer<typeof SearchResultSchema>;

export const SourceInfoSchema = z.object({
  file: z.string(),
  title: z.string(),
  kind: SourceKindSchema,
  publisher: z.string(),
  date: z.string().optional(),
  authority: z.number().int(),
  label: z.string(),
  chars: z.number().int(),
});
export const SourceDetailSchema = SourceInfoSchema.extend({ text: z.string() });

/** `get_source` / GET /api/sources/:file input: a bare corpus file name, never a path. */
export const SourceFileSchema = z.object({
  file: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[A-Za-z0-9_.-]+$/, 'file must be a bare file name such as 004_beb946dfbc2e71d7.txt')
    .refine((f) => !f.includes('..'), 'file must not contain ".."'),
});
