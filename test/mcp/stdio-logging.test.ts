import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import {
  LoggingMessageNotificationSchema,
  type LoggingMessageNotification,
} from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import { loadSources } from '../../src/corpus/load.js';
import { AnswerSchema } from '../../src/schemas.js';

/**
 * The stdio server connects before it loads the index, so a first start's rebuild notice reaches the
 * client as an MCP log message, and a request sent meanwhile is answered once the index is ready.
 */
let tmp: string;
let client: Client;
const received: LoggingMessageNotification['params'][] = [];

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'rugwijs-mcp-stdio-log-'));
  const env = Object.fromEntries(
    Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined),
  );
  client = new Client({ name: 'rugwijs-log-test', version: '0.0.0' });
  client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
    received.push(n.params);
  });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [path.join(PROJECT_ROOT, 'bin/rugwijs-mcp.js')],
      // An empty index folder: the server must build the index after connecting.
      env: { ...env, RUGWIJS_INDEX_DIR: tmp, RUGWIJS_API_TOKEN: '', LOG_LEVEL: 'info' },
      stderr: 'pipe',
    }),
  );
}, 120_000);

afterAll(async () => {
  await client?.close();
  await rm(tmp, { recursive: true, force: true });
});

describe('stdio MCP server — load notices as log messages', () => {
  it('answers a question sent while the index is built, and reports the build and readiness as logs', async () => {
    const result = await client.callTool({
      name: 'answer_question',
      arguments: { question: 'Helpt oefentherapie bij acute lage rugpijn?' },
    });
    expect(result.isError).toBeFalsy();
    expect(AnswerSchema.parse(result.structuredContent).citations.length).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 50));
    const rebuild = received.find((m) => m.level === 'warning');
    expect(rebuild?.data).toMatchObject({ code: 'index_missing' });
    expect(String((rebuild?.data as { message?: string }).message)).toMatch(/Building the index now/);
    expect(
      received.some(
        (m) => m.level === 'info' && /ready on stdio/.test(String((m.data as { message?: string }).message)),
      ),
    ).toBe(true);
    expect(received.every((m) => m.logger === 'rugwijs')).toBe(true);
  }, 120_000);

  it('its instructions come from the corpus metadata (document count), before the index exists', async () => {
    const sources = await loadSources(path.join(PROJECT_ROOT, 'corpus'));
    expect(client.getInstructions()).toContain(`${sources.length} Dutch documents`);
  });
});
