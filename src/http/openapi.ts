import { z } from 'zod';
import {
  AnswerSchema,
  AskInputSchema,
  SearchInputSchema,
  SearchResultSchema,
  SourceDetailSchema,
  SourceFileSchema,
  SourceInfoSchema,
} from '../schemas.js';
import { ErrorBodySchema } from './errors.js';

/** GET /healthz body: `loading` (503) until the index is loaded, then `ok` (200); `error` (503) if loading failed. */
export const HealthSchema = z.object({
  status: z.enum(['ok', 'loading', 'error']),
  index: z
    .object({
      chunks: z.number().int(),
      builtAt: z.string(),
      embedder: z.string(),
      /** Build folder being served. */
      build: z.string().optional(),
      documents: z.number().int().optional(),
      /** Corpus files that could not be read, each with a one-line reason. */
      skipped: z.array(z.object({ path: z.string(), reason: z.string() })).optional(),
    })
    .optional(),
  /** Live reload: a rebuild in progress, the last failed one (the old build kept serving), the last done. */
  reload: z
    .object({
      building: z.object({ trigger: z.string(), since: z.string() }).optional(),
      lastError: z.object({ at: z.string(), code: z.string(), message: z.string() }).optional(),
      lastReload: z.object({ at: z.string(), trigger: z.string(), swapped: z.boolean(), build: z.string() }).optional(),
    })
    .optional(),
  error: ErrorBodySchema.shape.error.optional(),
});
export type Health = z.infer<typeof HealthSchema>;

/** GET /api/sources body. */
export const SourceListSchema = z.object({ sources: z.array(SourceInfoSchema) });

type JsonSchema = Record<string, unknown>;

/** JSON Schema 2020-12 (the dialect of OpenAPI 3.1) of a zod schema, without the per-schema `$schema` key. */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    io,
    target: 'draft-2020-12',
  }) as JsonSchema;
  return rest;
}

const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: JsonSchema) => ({ 'application/json': { schema } });
const errorResponse = (description: string) => ({ description, content: json(ref('Error')) });

/** Error responses every /api operation can return. */
const COMMON_API_ERRORS = {
  '401': errorResponse('Missing or wrong bearer token (only when RUGWIJS_API_TOKEN is set).'),
  '429': errorResponse('Rate limit exceeded.'),
  '503': errorResponse('The index is still loading.'),
};

/**
 * The OpenAPI 3.1 document served at GET /openapi.json, generated from the same zod schemas that validate
 * requests (src/schemas.ts), so documentation and validation cannot drift apart.
 */
export function buildOpenApiDocument(version: string): JsonSchema {
  const security = [{ bearerAuth: [] }, {}];
  return {
    openapi: '3.1.0',
    info: {
      title: 'rugwijs',
      version,
      description:
        'Cited answers to low-back-pain questions, grounded only in the Dutch documents of the corpus. ' +
        'Every answer sentence carries [n] markers whose citations quote the original text verbatim.',
    },
    paths: {
      '/healthz': {
        get: {
          summary: 'Readiness: 200 once the index is loaded, 503 before.',
          responses: {
            '200': { description: 'Ready.', content: json(ref('Health')) },
            '503': { description: 'Loading (or loading failed).', content: json(ref('Health')) },
          },
        },
      },
      '/api/ask': {
        post: {
          summary: 'Answer a question with numbered, verbatim citations.',
          description:
            'With `Accept: text/event-stream` the answer is streamed as server-sent events: `meta` ' +
            '({refused, redFlags, composer, language}), several `delta` ({text}), `citations` (array of Citation), ' +
            '`done` ({timings}); a failure after the stream opened arrives as an `error` event ({code, message}).',
          security,
          requestBody: { required: true, content: json(ref('AskInput')) },
          responses: {
            '200': {
              description: 'The answer (or, when refused, the reason in the answer text).',
              content: { ...json(ref('Answer')), 'text/event-stream': { schema: { type: 'string' } } },
            },
            '400': errorResponse('Invalid JSON or invalid input.'),
            '413': errorResponse('Body larger than 16 kB.'),
            ...COMMON_API_ERRORS,
          },
        },
      },
      '/api/search': {
        post: {
          summary: 'Top passages for a query (hybrid lexical + dense retrieval).',
          security,
          requestBody: { required: true, content: json(ref('SearchInput')) },
          responses: {
            '200': { description: 'Passages, best first.', content: json(ref('SearchResult')) },
            '400': errorResponse('Invalid JSON or invalid input.'),
            '413': errorResponse('Body larger than 16 kB.'),
            ...COMMON_API_ERRORS,
          },
        },
      },
      '/api/sources': {
        get: {
          summary: 'Metadata of every source document.',
          security,
          responses: {
            '200': { description: 'All sources.', content: json(ref('SourceList')) },
            ...COMMON_API_ERRORS,
          },
        },
      },
      '/api/sources/{file}': {
        get: {
          summary: 'One source document: metadata and its original text (citation offsets index into it).',
          security,
          parameters: [
            {
              name: 'file',
              in: 'path',
              required: true,
              schema: jsonSchema(SourceFileSchema.shape.file, 'input'),
            },
          ],
          responses: {
            '200': { description: 'The source.', content: json(ref('SourceDetail')) },
            '400': errorResponse('Not a bare file name (a path, "..", a separator).'),
            '404': errorResponse('No such source.'),
            ...COMMON_API_ERRORS,
          },
        },
      },
      '/api/admin/reload': {
        post: {
          summary: 'Rebuild the index from the corpus folder and swap it in when complete (old index serves meanwhile).',
          description:
            'Always needs a bearer token (RUGWIJS_ADMIN_TOKEN, else RUGWIJS_API_TOKEN; disabled without either). ' +
            '202 with the reload status at once, or with ?wait=true 200 with outcome swapped | unchanged | failed ' +
            '(a failed rebuild keeps the previous index; /healthz shows it under reload.lastError).',
          security: [{ bearerAuth: [] }],
          parameters: [{ name: 'wait', in: 'query', required: false, schema: { type: 'boolean' } }],
          responses: {
            '200': { description: 'The reload finished (wait=true).' },
            '202': { description: 'The reload started or was queued.' },
            '401': errorResponse('Missing or wrong token, or reload over HTTP disabled.'),
          },
        },
      },
      '/mcp': {
        post: {
          summary: 'Model Context Protocol, Streamable HTTP transport (stateless JSON-RPC 2.0).',
          description:
            'Tools search_passages, answer_question, get_source; resources rugwijs://sources/{file}; prompt ' +
            'ask_back_pain_question. Requests whose Host header is not an allowed host are rejected (DNS-rebinding protection).',
          security,
          requestBody: {
            required: true,
            content: json({ type: 'object', description: 'A JSON-RPC 2.0 message.' }),
          },
          responses: {
            '200': { description: 'JSON-RPC response.', content: json({ type: 'object' }) },
            '403': { description: 'Host header not allowed.', content: json({ type: 'object' }) },
            ...COMMON_API_ERRORS,
          },
        },
      },
      '/openapi.json': {
        get: {
          summary: 'This document.',
          responses: { '200': { description: 'OpenAPI 3.1 document.', content: json({ type: 'object' }) } },
        },
      },
    },
    components: {
      schemas: {
        AskInput: jsonSchema(AskInputSchema, 'input'),
        SearchInput: jsonSchema(SearchInputSchema, 'input'),
        Answer: jsonSchema(AnswerSchema, 'output'),
        SearchResult: jsonSchema(SearchResultSchema, 'output'),
        SourceList: jsonSchema(SourceListSchema, 'output'),
        SourceDetail: jsonSchema(SourceDetailSchema, 'output'),
        Health: jsonSchema(HealthSchema, 'output'),
        Error: jsonSchema(ErrorBodySchema, 'output'),
      },
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } },
    },
  };
}
