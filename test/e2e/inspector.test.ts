import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, PROJECT_ROOT } from '../../src/config.js';
import { createEngine } from '../../src/engine.js';
import { formatAnswer } from '../../src/mcp/server.js';
import { AnswerSchema } from '../../src/schemas.js';

const run = promisify(execFile);
let tmp: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'rugwijs-inspector-'));
  await createEngine(loadConfig({}, { indexDir: tmp }));
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('MCP Inspector CLI (scripts/mcp-inspector-check.sh)', () => {
  it('lists the tools and answers a question over stdio and Streamable HTTP', async () => {
    const { stdout } = await run('bash', [path.join(PROJECT_ROOT, 'scripts/mcp-inspector-check.sh')], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, RUGWIJS_INDEX_DIR: tmp },
      timeout: 180_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    const sections = stdout.split(/^== /m).filter(Boolean);
    const byTitle = new Map(sections.map((s) => [s.slice(0, s.indexOf('\n')), s.slice(s.indexOf('\n') + 1)]));
    for (const transport of ['stdio', 'http']) {
      const list = JSON.parse(byTitle.get(`${transport}: tools/list`) ?? '{}') as {
        tools: { name: string }[];
      };
      expect(list.tools.map((t) => t.name).sort()).toEqual([
        'answer_question',
        'get_source',
        'search_passages',
      ]);
      const call = JSON.parse(byTitle.get(`${transport}: tools/call answer_question`) ?? '{}') as {
        content: { type: string; text: string }[];
        structuredContent: unknown;
        isError?: boolean;
      };
      expect(call.isError).toBeFalsy();
      const answer = AnswerSchema.parse(call.structuredContent);
      const files = [...new Set(answer.citations.map((c) => c.file))];
      expect(files.length).toBeGreaterThan(0);
      // The answer text, then one resource_link per cited source, as the Inspector prints them.
      expect(call.content).toEqual([
        { type: 'text', text: formatAnswer(answer) },
        ...files.map((file) =>
          expect.objectContaining({
            type: 'resource_link',
            uri: `rugwijs://sources/${file}`,
            name: file,
            title: answer.citations.find((c) => c.file === file)?.title,
            mimeType: 'text/plain',
          }),
        ),
      ]);
    }
    expect(stdout).toContain('== MCP Inspector checks passed');
  }, 200_000);
});
