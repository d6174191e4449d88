import { createRequire } from 'node:module';
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult, GetPromptResult } from '@modelcontextprotocol/sdk/types.js';
import { ask, getSource, listSources, search, type Engine } from '../engine.js';
import { AppError, isAppError } from '../errors.js';
import { detectInjection } from '../answer/injection.js';
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
import { validate } from '../validate.js';

/** Package version, reported as the MCP server version. */
export const SERVER_VERSION: string = (
  createRequire(import.meta.url)('../../package.json') as { version: string }
).version;

/** URI scheme of source documents as MCP resources: `rugwijs://sources/{file}`. */
export const SOURCE_URI_PREFIX = 'rugwijs://sources/';

const INSTRUCTIONS =
  'rugwijs answers questions about low back pain (lage rugpijn) from five Dutch documents only: a KCE guideline, ' +
  'a Cochrane evidence summary, practice articles and news. Use answer_question for a cited answer (every ' +
  'sentence carries [n] markers; citations quote the source verbatim with offsets into the original text), ' +
  'search_passages to see raw passages, get_source or the rugwijs://sources/{file} resources for a whole document. ' +
  'When the answer is refused the documents do not cover the question: say so instead of answering from memory.';

/** All tools only read the fixed corpus. */
const READ_ONLY = { readOnlyHint: true, openWorldHint: false } as const;

/**
 * Builds an MCP server over the engine: tools search_passages, answer_question, get_source; the sources as
 * resources `rugwijs://sources/{file}`; the prompt ask_back_pain_question. The same core functions as the
 * HTTP API, so both adapters answer identically. Tool failures become `isError` results with a clear message.
 * @param logger receives unexpected (non-AppError) failures; optional.
 */
export function createMcpServer(engine: Engine, logger?: Logger): McpServer {
  const server = new McpServer({ name: 'rugwijs', version: SERVER_VERSION }, { instructions: INSTRUCTIONS });

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
      runTool(logger, async () => {
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
    (args) =>
      runTool(logger, async () => {
        const answer = await ask(engine, validate(AskInputSchema, args));
        return { content: [{ type: 'text', text: formatAnswer(answer) }], structuredContent: answer };
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
      runTool(logger, () => {
        const detail = getSource(engine, validate(SourceFileSchema, args).file);
        const header = `${detail.title} — ${detail.publisher} (${detail.kind}${detail.date ? `, ${detail.date}` : ''}) [${detail.file}]`;
        return Promise.resolve({
          content: [{ type: 'text', text: `${header}\n\n${detail.text}` }],
          structuredContent: detail,
        });
      }),
  );

  server.registerResource(
    'source',
    new ResourceTemplate(`${SOURCE_URI_PREFIX}{file}`, {
      list: () => ({
        resources: listSources(engine).map((s) => ({
          uri: `${SOURCE_URI_PREFIX}${s.file}`,
          name: s.file,
          title: s.title,
          description: `${s.label} — ${s.publisher} (${s.kind}${s.date ? `, ${s.date}` : ''})`,
          mimeType: 'text/plain',
        })),
      }),
      complete: {
        file: (value) =>
          listSources(engine)
            .map((s) => s.file)
            .filter((f) => f.startsWith(value)),
      },
    }),
    { title: 'Source document', description: 'Original text of a corpus document.', mimeType: 'text/plain' },
    (uri, variables) => {
      const { file } = validate(SourceFileSchema, { file: variables.file });
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
      const { results } = await search(engine, { query: question, k: 4 });
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
