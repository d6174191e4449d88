/**
 * A fake OpenAI-compatible chat server on 127.0.0.1 (random port) for LLM composer tests: implements
 * POST /v1/chat/completions (non-streaming JSON) and records every request body. What it answers is set
 * per test with `respond(...)`; nothing leaves the machine.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the fake server answers the next requests. */
export type FakeBehaviour =
  /** 200 with a chat.completion whose message content is `content`. */
  | { kind: 'reply'; content: string }
  /** An HTTP error status with an OpenAI-style error body. */
  | { kind: 'status'; status: number; message?: string }
  /** 200 with a body that is not JSON. */
  | { kind: 'garbage'; body?: string }
  /** Waits `delayMs` before replying with `content` (or until the client gives up). */
  | { kind: 'slow'; delayMs: number; content: string };

/** A recorded request. */
export interface FakeRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: {
    model?: string;
    messages?: { role: string; content: string }[];
    stream?: boolean;
    [key: string]: unknown;
  };
}

export interface FakeOpenAI {
  /** Base URL to configure the client with, e.g. `http://127.0.0.1:54321/v1`. */
  baseUrl: string;
  /** Requests received so far, oldest first. */
  requests: FakeRequest[];
  /** Sets the behaviour for the following requests. */
  respond(behaviour: FakeBehaviour): void;
  /** Stops the server, dropping open (slow) connections. */
  close(): Promise<void>;
}

/** The JSON body of a non-streaming chat completion. */
export function chatCompletion(content: string, model = 'fake-model'): Record<string, unknown> {
  return {
    id: 'chatcmpl-fake',
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
  };
}

/** Starts the fake server; the default behaviour is a 500 until `respond` is called. */
export async function startFakeOpenAI(): Promise<FakeOpenAI> {
  const requests: FakeRequest[] = [];
  let behaviour: FakeBehaviour = { kind: 'status', status: 500, message: 'no behaviour configured' };
  const timers = new Set<NodeJS.Timeout>();

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: FakeRequest['body'] = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as FakeRequest['body'];
      } catch {
        // Recorded as empty; the test asserts on what it expects.
      }
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
        send(res, 404, { error: { message: 'not found', type: 'invalid_request_error' } });
        return;
      }
      const current = behaviour;
      switch (current.kind) {
        case 'reply':
          send(res, 200, chatCompletion(current.content, body.model));
          return;
        case 'status':
          send(res, current.status, {
            error: { message: current.message ?? 'server error', type: 'server_error' },
          });
          return;
        case 'garbage':
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(current.body ?? '{"choices": [ this is not json');
          return;
        case 'slow': {
          const timer = setTimeout(() => {
            timers.delete(timer);
            if (!res.destroyed) send(res, 200, chatCompletion(current.content, body.model));
          }, current.delayMs);
          timers.add(timer);
          return;
        }
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    respond(next) {
      behaviour = next;
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
