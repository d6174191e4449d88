import type { Response } from 'express';
import type { Answer } from '../schemas.js';

/** Server-sent events of POST /api/ask with `Accept: text/event-stream`, in the order they are sent. */
export type SseEventName = 'meta' | 'delta' | 'citations' | 'done' | 'error';

export interface SseEvent {
  event: SseEventName;
  data: unknown;
}

/** Serializes one event. JSON never contains a raw newline, so a single `data:` line is always enough. */
export function formatEvent(e: SseEvent): string {
  return `event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`;
}

/**
 * A cut point follows sentence-final punctuation (with closing quotes/brackets) or a citation marker,
 * optionally followed by more markers, then whitespace or the end of the text. Abbreviations may cut
 * early; pieces are only a rendering rhythm, never a unit of meaning.
 */
const PIECE_END = /(?:[.!?…]["'”’)]*|\])(?:\s*\[\d+\])*(?:\s+|$)/g;

/**
 * Splits answer text into sentence-sized pieces for `delta` events. Always holds:
 * `splitIntoPieces(t).join('') === t` and no piece is empty.
 */
export function splitIntoPieces(text: string): string[] {
  const pieces: string[] = [];
  let from = 0;
  for (const m of text.matchAll(PIECE_END)) {
    const to = m.index + m[0].length;
    if (to > from) pieces.push(text.slice(from, to));
    from = to;
  }
  if (from < text.length) pieces.push(text.slice(from));
  return pieces;
}

/** The full event sequence for an answer: meta, the text in pieces, citations, done. */
export function answerEvents(answer: Answer): SseEvent[] {
  return [
    {
      event: 'meta',
      data: {
        refused: answer.refused,
        ...(answer.refusalReason ? { refusalReason: answer.refusalReason } : {}),
        redFlags: answer.redFlags,
        composer: answer.composer,
        language: answer.language,
        // Further evidence the page shows collapsed; only sent when there is some (older clients ignore it).
        ...(answer.moreEvidence.length > 0 ? { moreEvidence: answer.moreEvidence } : {}),
      },
    },
    ...splitIntoPieces(answer.answer).map((text): SseEvent => ({ event: 'delta', data: { text } })),
    { event: 'citations', data: answer.citations },
    { event: 'done', data: { timings: answer.timings } },
  ];
}

/** An open event stream on one response. */
export interface EventStream {
  /** Writes an event; silently dropped once the client has gone. */
  send(e: SseEvent): void;
  end(): void;
  /** True once the client disconnected or `end()` was called. */
  readonly closed: boolean;
}

/** Sends the SSE headers now (so the client sees the stream open before the answer is composed). */
export function openEventStream(res: Response): EventStream {
  let closed = false;
  res.on('close', () => {
    closed = true;
  });
  res.status(200);
  res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  // no-transform keeps compressing proxies from buffering the stream; X-Accel-Buffering does the same for nginx.
  res.setHeader('Cache-Control', 'no-cache, no-transform');
  res.setHeader('X-Accel-Buffering', 'no');
  res.flushHeaders();
  return {
    send(e) {
      if (!closed) res.write(formatEvent(e));
    },
    end() {
      if (!closed) res.end();
      closed = true;
    },
    get closed() {
      return closed;
    },
  };
}
