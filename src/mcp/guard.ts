/**
 * Checks on an incoming JSON-RPC message shared by both MCP transports (Streamable HTTP and stdio), applied
 * before the SDK sees it: one bounded unit of work per message, and clean errors instead of the SDK's
 * `-32603` with a raw validation dump.
 */
import {
  CallToolRequestSchema,
  CompleteRequestSchema,
  GetPromptRequestSchema,
  InitializeRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  PingRequestSchema,
  ReadResourceRequestSchema,
  SetLevelRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';

/** JSON-RPC error codes used here. */
export const JSONRPC = {
  parseError: -32700,
  invalidRequest: -32600,
  invalidParams: -32602,
} as const;

/** Deepest JSON nesting accepted in a message (objects and arrays); real MCP messages stay under 10. */
export const MAX_JSON_DEPTH = 64;

/** A JSON-RPC error response. */
export interface JsonRpcErrorResponse {
  jsonrpc: '2.0';
  id: string | number | null;
  error: { code: number; message: string };
}

/** A refused message: the error response and the HTTP status to send it with. */
export interface Refusal {
  status: number;
  response: JsonRpcErrorResponse;
}

/** Request shapes the SDK validates itself, checked here first so a bad shape gets -32602 in one line. */
const REQUEST_SCHEMAS: Record<string, z.ZodType> = {
  'tools/call': CallToolRequestSchema,
  'tools/list': ListToolsRequestSchema,
  'prompts/get': GetPromptRequestSchema,
  'prompts/list': ListPromptsRequestSchema,
  'resources/read': ReadResourceRequestSchema,
  'resources/list': ListResourcesRequestSchema,
  'resources/templates/list': ListResourceTemplatesRequestSchema,
  'completion/complete': CompleteRequestSchema,
  initialize: InitializeRequestSchema,
  ping: PingRequestSchema,
  'logging/setLevel': SetLevelRequestSchema,
};

/** Builds a JSON-RPC error response. */
export function jsonRpcError(
  code: number,
  message: string,
  id: string | number | null = null,
): JsonRpcErrorResponse {
  return { jsonrpc: '2.0', id, error: { code, message } };
}

/**
 * Checks a parsed message. Refuses batches (removed from MCP in 2025-06-18; one request = one unit of work,
 * so the rate limit counts every tool call), anything that is not a JSON-RPC 2.0 object, and requests whose
 * params do not have the shape the method needs (e.g. `arguments: null` → -32602 naming the field).
 * Returns undefined when the message may go on to the SDK.
 */
export function checkMessage(message: unknown): Refusal | undefined {
  if (Array.isArray(message)) {
    return {
      status: 400,
      response: jsonRpcError(
        JSONRPC.invalidRequest,
        'Invalid Request: JSON-RPC batches are not supported (removed in MCP 2025-06-18); send one message per request.',
      ),
    };
  }
  if (typeof message !== 'object' || message === null) {
    return {
      status: 400,
      response: jsonRpcError(JSONRPC.invalidRequest, 'Invalid Request: expected one JSON-RPC 2.0 message object.'),
    };
  }
  const m = message as { jsonrpc?: unknown; id?: unknown; method?: unknown; params?: unknown };
  const id = typeof m.id === 'string' || (typeof m.id === 'number' && Number.isFinite(m.id)) ? m.id : null;
  if (m.jsonrpc !== '2.0') {
    return {
      status: 400,
      response: jsonRpcError(JSONRPC.invalidRequest, 'Invalid Request: "jsonrpc" must be "2.0".', id),
    };
  }
  if (typeof m.method !== 'string' || id === null) return undefined; // responses and notifications: the SDK decides
  const schema = REQUEST_SCHEMAS[m.method];
  if (!schema) return undefined; // unknown methods: the SDK answers -32601
  const parsed = schema.safeParse({ method: m.method, ...(m.params === undefined ? {} : { params: m.params }) });
  if (parsed.success) return undefined;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return {
    // The request itself was delivered: like the SDK's own errors, this is HTTP 200 with a JSON-RPC error.
    status: 200,
    response: jsonRpcError(
      JSONRPC.invalidParams,
      `Invalid params for ${m.method}: ${where}${(issue?.message ?? 'invalid').split('\n')[0]}`,
      id,
    ),
  };
}

/**
 * Whether JSON text nests objects/arrays deeper than `cap` (default {@link MAX_JSON_DEPTH}): a linear scan
 * that skips strings and stops at the first level over the cap; the text need not be valid JSON. Run before
 * parsing so recursive validators never see a deep value.
 */
export function jsonDepthExceeds(text: string | Uint8Array, cap = MAX_JSON_DEPTH): boolean {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped byte
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > cap) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}
