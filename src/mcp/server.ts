import { createRequire } from 'node:module';
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import {
  ErrorCode,
  McpError,
  type CallToolResult,
  type GetPromptResult,
  type LoggingLevel,
  type ResourceLink,
} from '@modelcontextprotocol/sdk/types.js';
import { ask, getSource, listSources, search, type Engine } from '../engine.js';
import { AppError, isAppError } from '../errors.js';
import { detectInjection } from '../answer/injection.js';
import { pino } from 'pino';
import type { Logger } from '../logger.js';
import {
  AnswerSchema,
  AskInputSchema,
  SearchInputSchema,
  SearchResultSchema,
  SourceDetailSchema,
  SourceFileSchema,
  type Answer,
  type SearchResult,
} from '../schemas.js';
import type { SourceInfo } from '../engine.js';
import { validate } from '../validate.js';

/** Package version, reported as the MCP server version. */
export const SERVER_VERSION: string = (
  createRequire(import.meta.url)('../../package.json') as { version: string }
).version;

/** URI scheme of source documents as MCP resources: `rugwijs://sources/{file}`. */
export const SOURCE_URI_PREFIX = 'rugwijs://sources/';

/** Plain-language names of the source kinds, for the generated instructions. */
const KIND_NAMES: Record<SourceInfo['kind'], [string, string]> = {
  guideline: ['guideline', 'guidelines'],
  'evidence-summary': ['evidence summary', 'evidence summaries'],
  'practice-article': ['practice article', 'practice articles'],
  news: ['news item', 'news items'],
  unknown: ['other document', 'other documents'],
};

/** What the instructions need of a source: from the loaded index or straight from the corpus metadata. */
export type InstructionSource = Pick<SourceInfo, 'kind' | 'label' | 'authority'>;

/**
 * The server `instructions`, generated from the loaded corpus (how many documents of which kind, and their
 * labels) so they stay true when a practice adds or removes documents — nothing here names a document.
 */
export function buildInstructions(sources: readonly InstructionSource[]): string {
  const byKind = new Map<SourceInfo['kind'], InstructionSource[]>();
  for (const s of [...sources].sort((a, b) => a.authority - b.authority || a.label.localeCompare(b.label))) {
    byKind.set(s.kind, [...(byKind.get(s.kind) ?? []), s]);
  }
  const parts = [...byKind].map(([kind, list]) => {
    const [one, many] = KIND_NAMES[kind] ?? [kind, kind];
    return `${list.length === 1 ? `1 ${one}` : `${list.length} ${many}`} (${list.map((s) => s.label).join('; ')})`;
  });
  const count = sources.length === 1 ? '1 Dutch document' : `${sources.length} Dutch documents`;
  // Without the list (the index is still loading and none was given) say what holds for any corpus.
  const scope = sources.length === 0 ? 'its Dutch source documents only' : `${count} only: ${parts.join(', ')}`;
  return (
    `rugwijs answers questions about low back pain (lage rugpijn) from ${scope}. ` +
    'Use answer_question for a cited answer (every sentence carries [n] markers; citations quote the source verbatim ' +
    'with offsets into the original text, and each cited source comes as a resource_link), search_passages to see raw ' +
    'passages, get_source or the rugwijs://sources/{file} resources for a whole document. When the answer is refused ' +
    'the documents do not cover the question: say so instead of answering from memory.'
  );
}

/** All tools only read the fixed corpus. */
const READ_ONLY = { readOnlyHint: true, openWorldHint: false } as const;

/**
 * Builds an MCP server over the engine: tools search_passages, answer_question, get_source; the sources as
 * resources `rugwijs://sources/{file}`; the prompt ask_back_pain_question. The same core functions as the
 * HTTP API, so both adapters answer identically. Tool failures become `isError` results with a clear message.
 * @param logger receives unexpected (non-AppError) failures; optional.
 */
export function createMcpServer(
  engineOrPromise: Engine | Promise<Engine>,
  logger?: Logger,
  options: { instructions?: string } = {},
): McpServer {
  // A promise lets a transport connect before the index is loaded (so load/rebuild notices reach the
  // client as log messages); every handler then waits for it. Its instructions must come with it.
  const ready = Promise.resolve(engineOrPromise);
  const instructions =
    options.instructions ??
    (engineOrPromise instanceof Promise
      ? buildInstructions([])
      : buildInstructions(listSources(engineOrPromise)));
  const server = new McpServer(
    { name: 'rugwijs', version: SERVER_VERSION },
    // logging: the client may set a level (logging/setLevel); notices go out as notifications/message.
    { instructions, capabilities: { logging: {} } },
  );
  // Tool failures and anything else logged for this server also reach the client as log notifications.
  const log = logger ? mcpLogger(server, logger) : undefined;

  server.registerTool(
    'search_passages',
    {
      title: 'Search passages',
      description:
        'Top passages from the Dutch low-back-pain corpus for a query (hybrid lexical + dense retrieval), best first.',
      inputSchema: SearchInputSchema,
      outputSchema: SearchResultSchema,
      annotations: READ_ONLY,
    },
    (args) =>
      runTool(log, async () => {
        const engine = await ready;
        const result = await search(engine, validate(SearchInputSchema, args));
        return { content: [{ type: 'text', text: formatSearch(result) }], structuredContent: result };
      }),
  );

  server.registerTool(
    'answer_question',
    {
      title: 'Answer a low-back-pain question',
      description:
        'Answers a question (Dutch or English) from the corpus only, with numbered citations that quote the sources ' +
        'verbatim. Refuses when the documents do not answer it; opens with a referral notice when the question mentions ' +
        'red flags. Pass earlier turns as history for follow-up questions.',
      inputSchema: AskInputSchema,
      outputSchema: AnswerSchema,
      annotations: READ_ONLY,
    },
    (args, extra) =>
      runTool(log, async () => {
        const engine = await ready;
        const answer = await ask(engine, validate(AskInputSchema, args));
        await sendLog(server, 'debug', { event: 'answer', composer: answer.composer, citations: answer.citations.length, ...answer.timings }, extra.sessionId);
        if (answer.refused) await sendLog(server, 'notice', { event: 'refused', reason: answer.refusalReason ?? 'unknown' }, extra.sessionId);
        if (answer.redFlags.length > 0) await sendLog(server, 'warning', { event: 'red-flags', redFlags: answer.redFlags }, extra.sessionId);
        return {
          content: [{ type: 'text', text: formatAnswer(answer) }, ...sourceLinks(engine, answer)],
          structuredContent: answer,
        };
      }),
  );

  server.registerTool(
    'get_source',
    {
      title: 'Get a source document',
      description:
        'Metadata and the original text of one source document (citation start/end are offsets into this text).',
      inputSchema: SourceFileSchema,
      outputSchema: SourceDetailSchema,
      annotations: READ_ONLY,
    },
    (args) =>
      runTool(log, async () => {
        const detail = getSource(await ready, validate(SourceFileSchema, args).file);
        const header = `${detail.title} — ${detail.publisher} (${detail.kind}${detail.date ? `, ${detail.date}` : ''}) [${detail.file}]`;
        return {
          content: [{ type: 'text', text: `${header}\n\n${detail.text}` }],
          structuredContent: detail,
        };
      }),
  );

  server.registerResource(
    'source',
    new ResourceTemplate(`${SOURCE_URI_PREFIX}{file}`, {
      list: async () => ({
        resources: listSources(await ready).map((s) => ({
          uri: `${SOURCE_URI_PREFIX}${s.file}`,
          name: s.file,
          title: s.title,
          description: `${s.label} — ${s.publisher} (${s.kind}${s.date ? `, ${s.date}` : ''})`,
          mimeType: 'text/plain',
        })),
      }),
      complete: {
        file: async (value) =>
          listSources(await ready)
            .map((s) => s.file)
            .filter((f) => f.startsWith(value)),
      },
    }),
    { title: 'Source document', description: 'Original text of a corpus document.', mimeType: 'text/plain' },
    async (uri, variables) => {
      const engine = await ready;
      const file = typeof variables.file === 'string' ? variables.file : '';
      // A URI that names no corpus document gets the SDK's own "Resource … not found" error (the same code
      // it uses for a URI no template matches), not an internal error.
      if (!SourceFileSchema.safeParse({ file }).success || !engine.index.docs.has(file)) {
        throw new McpError(ErrorCode.InvalidParams, `Resource ${uri.href} not found`);
      }
      const detail = getSource(engine, file);
      return { contents: [{ uri: uri.href, mimeType: 'text/plain', text: detail.text }] };
    },
  );

  server.registerPrompt(
    'ask_back_pain_question',
    {
      title: 'Ask a low-back-pain question',
      description:
        'A question answered from the rugwijs documents only, with the best passages attached and citation rules.',
      argsSchema: { question: AskInputSchema.shape.question },
    },
    async ({ question }): Promise<GetPromptResult> => {
      // The prompt text goes to the client's model as is: screen it like every other input (issue 10).
      if (detectInjection(question)) throw new AppError('validation_error', 'question: contains instructions to the system');
      const { results } = await search(await ready, { query: question, k: 4 });
      const passages = results
        .map((r, i) => `[${i + 1}] ${r.title}${r.section ? ` — ${r.section}` : ''} (${r.file})\n${r.text}`)
        .join('\n\n');
      const text =
        `Beantwoord de volgende vraag over lage rugpijn uitsluitend op basis van de rugwijs-bronnen.\n` +
        `Regels: onderbouw elke zin met een bron als [n]; citeer letterlijk; zeg het eerlijk als de bronnen het antwoord ` +
        `niet bevatten; verwijs bij alarmsignalen (rode vlaggen) door naar een arts. Gebruik de tool answer_question ` +
        `(of search_passages en get_source) als je meer nodig hebt.\n\nVraag: ${question}\n\n` +
        (passages ? `Relevante passages:\n\n${passages}` : 'Er zijn geen relevante passages gevonden.');
      return { messages: [{ role: 'user', content: { type: 'text', text } }] };
    },
  );

  return server;
}

/** pino-style level names → MCP logging levels (RFC 5424 names). */
const MCP_LEVEL: Record<string, LoggingLevel> = {
  trace: 'debug',
  debug: 'debug',
  info: 'info',
  warn: 'warning',
  error: 'error',
  fatal: 'critical',
};

/**
 * Sends one log message to the connected client as `notifications/message` (logger "rugwijs"). The SDK
 * drops it when it is below the level the client set with logging/setLevel (per session); a failure to
 * send (client gone, transport without a stream for notifications) never fails the caller.
 */
export async function sendLog(server: McpServer, level: LoggingLevel, data: unknown, sessionId?: string): Promise<void> {
  if (!server.isConnected()) return;
  try {
    await server.server.sendLoggingMessage({ level, logger: 'rugwijs', data }, sessionId);
  } catch {
    // Best effort: a log line must not break an answer.
  }
}

/**
 * A logger for the stdio/HTTP adapters that writes to `logger` (stderr) AND forwards every line at or above
 * `logger`'s level to the MCP client through {@link sendLog} — ingest/rebuild progress, reload notices and
 * warnings reach the client as log notifications, filtered by the level it set.
 */
export function mcpLogger(server: McpServer, logger: Logger): Logger {
  // A second pino logger that writes nothing itself: each call is forwarded to the client and then replayed
  // on the original logger, so stderr output (format, destination, level) stays exactly as it was.
  return pino(
    {
      level: logger.level,
      hooks: {
        logMethod(args, _method, level) {
          const name = this.levels.labels[level] ?? 'info';
          const [first, second] = args as unknown[];
          const data =
            typeof first === 'string'
              ? { message: first }
              : {
                  ...(first instanceof Error ? { error: first.message } : plain(first)),
                  ...(typeof second === 'string' ? { message: second } : {}),
                };
          void sendLog(server, MCP_LEVEL[name] ?? 'info', data);
          const original = logger[name as 'info'] as (...a: unknown[]) => void;
          original.apply(logger, args);
        },
      },
    },
    { write: () => undefined },
  );
}

/** A log object as JSON-safe data: an `err` field becomes its message (an Error serializes to {}). */
function plain(value: unknown): object {
  if (typeof value !== 'object' || value === null) return { value };
  const { err, ...rest } = value as { err?: unknown };
  return err === undefined ? rest : { ...rest, error: err instanceof Error ? err.message : String(err) };
}

/** One resource_link per distinct cited source (answer order), so a client can open the document itself. */
export function sourceLinks(engine: Engine, answer: Answer): ResourceLink[] {
  const seen = new Set<string>();
  const links: ResourceLink[] = [];
  for (const c of answer.citations) {
    if (seen.has(c.file)) continue;
    seen.add(c.file);
    const info = engine.index.sources.get(c.file);
    links.push({
      type: 'resource_link',
      uri: `${SOURCE_URI_PREFIX}${c.file}`,
      name: c.file,
      title: c.title,
      mimeType: 'text/plain',
      ...(info ? { description: `${info.label} — ${info.publisher}${info.date ? ` (${info.date})` : ''}` } : {}),
    });
  }
  return links;
}

/** Runs a tool body; an AppError (validation, not found, …) or any other failure becomes an isError result. */
async function runTool(
  logger: Logger | undefined,
  body: () => Promise<CallToolResult>,
): Promise<CallToolResult> {
  try {
    return await body();
  } catch (err) {
    if (isAppError(err))
      return { isError: true, content: [{ type: 'text', text: `${err.code}: ${err.message}` }] };
    logger?.error({ err }, 'MCP tool failed');
    return { isError: true, content: [{ type: 'text', text: 'internal: the tool failed unexpectedly.' }] };
  }
}

/** The answer followed by its numbered citations, as plain text for the model. */
export function formatAnswer(answer: Answer): string {
  if (answer.citations.length === 0) return answer.answer;
  const heading = answer.language === 'en' ? 'Sources' : 'Bronnen';
  const lines = answer.citations.map((c) => {
    const where = [c.kind, c.date, c.section].filter(Boolean).join(', ');
    return `[${c.n}] ${c.title} (${where}) — ${c.file} ${c.start}–${c.end}\n    “${c.quote}”`;
  });
  return `${answer.answer}\n\n${heading}:\n${lines.join('\n')}`;
}

/** Search hits as numbered plain text. */
function formatSearch(result: SearchResult): string {
  if (result.results.length === 0) return 'Geen passages gevonden.';
  return result.results
    .map(
      (r, i) =>
        `${i + 1}. ${r.title}${r.section ? ` — ${r.section}` : ''} (${r.file} ${r.start}–${r.end}, score ${r.score.toFixed(4)})\n${r.text}`,
    )
    .join('\n\n');
}
