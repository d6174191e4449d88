/**
 * Optional LLM composer: asks an OpenAI-compatible chat endpoint (Ollama, llama.cpp, vLLM, OpenAI…) to
 * write the answer from numbered passages, and parses the reply into sentences with their `[n]` citations.
 * The reply is a draft: the caller must pass it through `verifySentences` before showing anything.
 * Any failure (connection, HTTP error, timeout, unparseable reply) becomes AppError('llm_error') so the
 * caller can fall back to the extractive composer.
 */
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import { ChatOpenAI } from '@langchain/openai';
import { AppError, isAppError } from '../errors.js';
import type { Turn } from './follow-up.js';
import type { Language } from './language.js';
import { NO_ANSWER_TOKEN, renderTemplate, type Prompts } from './prompts.js';
import { stripCitations, type DraftSentence, type Passage } from './verify.js';

/** Connection settings of the LLM endpoint. */
export interface LlmOptions {
  /** Base URL of the OpenAI-compatible API including its version prefix, e.g. `http://127.0.0.1:11434/v1`. */
  baseUrl: string;
  /** Model name sent with the request, e.g. `llama3.1`. */
  model: string;
  /** Bearer key; local servers usually need none (a placeholder is sent, the SDK requires one). */
  apiKey?: string | undefined;
  /** Whole-request timeout in milliseconds (connection + generation). */
  timeoutMs: number;
}

/** A passage as shown to the model: its number, source label and section path. */
export type LlmPassage = Passage & { label: string; section: string };

/** Input of {@link composeWithLlm}. */
export interface LlmInput {
  question: string;
  language: Language;
  passages: LlmPassage[];
  /** Previous turns, oldest first; only their questions are sent (the last {@link HISTORY_TURNS}). */
  history: Turn[];
}

/** How many previous questions are sent as context. */
const HISTORY_TURNS = 3;
/** Upper bound on the reply length in tokens: five short sentences fit easily. */
const MAX_TOKENS = 600;

/**
 * Drafts an answer with the configured LLM: system prompt from `prompts/system.<lang>.md`, user message
 * from `prompts/user.<lang>.md` with the numbered passages. Returns the reply's sentences with the passage
 * numbers each cites (markers removed from the text); an empty array when the model replies that the
 * passages do not answer. One attempt (maxRetries 0) bounded by `timeoutMs`.
 *
 * @throws AppError('llm_error') on any transport error, HTTP error status, timeout or unusable reply.
 */
export async function composeWithLlm(
  input: LlmInput,
  prompts: Prompts,
  options: LlmOptions,
): Promise<DraftSentence[]> {
  const { messages } = buildMessages(input, prompts);
  const model = new ChatOpenAI({
    model: options.model,
    // Local servers ignore the key; the OpenAI SDK refuses to start without one.
    apiKey: options.apiKey ?? 'not-needed',
    configuration: { baseURL: options.baseUrl },
    temperature: 0,
    maxTokens: MAX_TOKENS,
    timeout: options.timeoutMs,
    // The caller falls back to the extractive composer; retrying only delays that.
    maxRetries: 0,
    // Non-streaming: streaming makes LangChain estimate token usage with a tokenizer it downloads.
    streaming: false,
  });
  let content: unknown;
  try {
    const reply = await model.invoke(messages, { signal: AbortSignal.timeout(options.timeoutMs) });
    content = reply.content;
  } catch (e) {
    throw new AppError('llm_error', `LLM request failed: ${describe(e)}`, { cause: e });
  }
  const text = contentText(content);
  if (text === undefined) throw new AppError('llm_error', 'LLM reply has no text content');
  if (isNoAnswer(text)) return [];
  const sentences = parseDraft(text);
  if (sentences.length === 0) throw new AppError('llm_error', 'LLM reply contains no sentences');
  return sentences;
}

/** The system and user messages sent to the model (exported for inspection in tests and tooling). */
export function buildMessages(
  input: LlmInput,
  prompts: Prompts,
): { system: string; user: string; messages: (SystemMessage | HumanMessage)[] } {
  const system = renderTemplate(prompts.system[input.language], { noAnswer: NO_ANSWER_TOKEN });
  const history = input.history
    .slice(-HISTORY_TURNS)
    .map((t) => `- ${oneLine(t.question)}`)
    .join('\n');
  const passages = input.passages
    .map((p) => `[${p.n}] ${p.label}${p.section ? ` — ${p.section}` : ''}\n${p.text.trim()}`)
    .join('\n\n');
  const user = renderTemplate(prompts.user[input.language], {
    history: history || '-',
    passages,
    question: oneLine(input.question),
  });
  return { system, user, messages: [new SystemMessage(system), new HumanMessage(user)] };
}

/** Citation markers the model may write: "[1]", "[1, 2]", "[1-3]", "[2][3]", "[passage 2]". */
const MARKER = /\[\s*(?:passages?|bron(?:nen)?|sources?|p\.?)?\s*(\d+(?:\s*[,;–-]\s*\d+)*)\s*\]/giu;
/** Markers directly after a position (possibly several, with spaces). */
const TRAILING_MARKERS =
  /^(?:\s*\[\s*(?:passages?|bron(?:nen)?|sources?|p\.?)?\s*\d+(?:\s*[,;–-]\s*\d+)*\s*\])+/iu;

/**
 * Splits a model reply into sentences with the passage numbers each cites. Markdown list bullets,
 * headings and emphasis are removed; a sentence ends at . ! ? (not inside "2.5" or before a lower-case
 * word, as after "o.a.") or at a line break, and markers right after its end punctuation belong to it.
 */
export function parseDraft(reply: string): DraftSentence[] {
  const out: DraftSentence[] = [];
  for (const rawLine of reply.split(/\r?\n/)) {
    const line = rawLine
      .replace(/^\s*(?:#{1,6}\s+|[-*•]\s+|\d+[.)]\s+)/u, '')
      .replace(/\*\*|__|`/g, '')
      .trim();
    if (line === '') continue;
    for (const segment of splitLine(line)) {
      const cites = citesOf(segment);
      const text = tidy(stripCitations(segment));
      if (/[\p{L}\p{N}]/u.test(text)) out.push({ text, cites });
    }
  }
  return out;
}

function splitLine(line: string): string[] {
  const segments: string[] = [];
  let start = 0;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch !== '.' && ch !== '!' && ch !== '?') continue;
    // A decimal point ("2.5") or an ellipsis in progress is not a sentence end.
    if (/\d/.test(line[i + 1] ?? '') && /\d/.test(line[i - 1] ?? '')) continue;
    if (line[i + 1] === '.' || line[i + 1] === '!' || line[i + 1] === '?') continue;
    let end = i + 1;
    const markers = TRAILING_MARKERS.exec(line.slice(end));
    if (markers) end += markers[0].length;
    const rest = line.slice(end);
    // The next sentence starts with a capital, digit, quote, bracket or the line ends; "o.a. de" does not end.
    if (rest.trim() === '' || /^\s+["'“‘([\p{Lu}\p{N}]/u.test(rest)) {
      segments.push(line.slice(start, end));
      start = end;
      i = end - 1;
    }
  }
  if (start < line.length) segments.push(line.slice(start));
  return segments.map((s) => s.trim()).filter((s) => s !== '');
}

/** Passage numbers cited in a segment, in order of first mention; ranges "1-3" expanded. */
function citesOf(segment: string): number[] {
  const cites: number[] = [];
  for (const m of segment.matchAll(MARKER)) {
    for (const part of (m[1] ?? '').split(/\s*[,;]\s*/)) {
      const range = /^(\d+)\s*[–-]\s*(\d+)$/.exec(part);
      const [from, to] = range ? [Number(range[1]), Number(range[2])] : [Number(part), Number(part)];
      // A reversed or absurd range is a typo; keep its endpoints rather than inventing numbers between.
      const numbers =
        to >= from && to - from <= 20
          ? Array.from({ length: to - from + 1 }, (_, k) => from + k)
          : [from, to];
      for (const n of numbers) if (Number.isInteger(n) && !cites.includes(n)) cites.push(n);
    }
  }
  return cites;
}

/** Collapses whitespace and the space a removed marker leaves before punctuation. */
function tidy(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(/\s+([.,;:!?])/g, '$1')
    .trim();
}

function isNoAnswer(text: string): boolean {
  const t = text.trim();
  // The model was told to reply only the token; tolerate quotes, punctuation or a short remark after it.
  return (
    t.replace(/^["'`*\s]+/, '').startsWith(NO_ANSWER_TOKEN) ||
    (t.includes(NO_ANSWER_TOKEN) && t.length < 3 * NO_ANSWER_TOKEN.length)
  );
}

/** Text of a chat message content (a string, or text blocks). */
function contentText(content: unknown): string | undefined {
  if (typeof content === 'string') return content.trim() === '' ? undefined : content;
  if (Array.isArray(content)) {
    const text = content
      .map((block: unknown) =>
        typeof block === 'string'
          ? block
          : typeof block === 'object' && block !== null && (block as { type?: unknown }).type === 'text'
            ? String((block as { text?: unknown }).text ?? '')
            : '',
      )
      .join('');
    return text.trim() === '' ? undefined : text;
  }
  return undefined;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function describe(e: unknown): string {
  if (isAppError(e)) return e.message;
  if (e instanceof Error) {
    if (e.name === 'TimeoutError' || e.name === 'AbortError' || /timed? ?out|abort/i.test(e.message))
      return 'timed out';
    // LangChain appends a troubleshooting URL on later lines; the first line says what happened.
    return firstLine(e.message);
  }
  return firstLine(String(e));
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? '').trim().slice(0, 200);
}
