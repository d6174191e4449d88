import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PROJECT_ROOT } from '../../src/config.js';
import { AnswerSchema, SearchHitSchema, type Answer } from '../../src/schemas.js';
import { search } from '../../src/engine.js';
import { formatSources } from '../../src/cli/ask.js';
import { buildTestEngine, docPrefix, type TestEngine } from '../helpers/engine.js';

/**
 * The CLI as a user runs it: a child process running src/cli/main.ts through tsx (as `npm run …` does) with
 * the index in a temp dir. Node is started with `--import tsx` rather than through npx, whose own warnings
 * would pollute stderr, and which costs a second process per run.
 */
const MAIN = path.join(PROJECT_ROOT, 'src', 'cli', 'main.ts');

let te: TestEngine;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `rugwijs <args>` with an environment isolated from the developer's (no LLM, no token). */
function cli(args: string[], indexDir = te.indexDir): Promise<Run> {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, RUGWIJS_INDEX_DIR: indexDir, LOG_LEVEL: 'silent' };
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', MAIN, ...args], { env, cwd: PROJECT_ROOT, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** stderr as lines, without the trailing newline. */
const lines = (text: string): string[] => text.split('\n').filter((l) => l.length > 0);

beforeAll(async () => {
  te = await buildTestEngine();
});

afterAll(async () => {
  await te.cleanup();
});

describe.concurrent('rugwijs CLI — usage errors', () => {
  it.each([
    [['frob'], 'unknown command'],
    [['search'], 'missing query'],
    [['ask'], 'missing question'],
    [['search', 'rugpijn', '--k', 'abc'], '--k not a number'],
    [['search', 'rugpijn', '--k', '2.5'], '--k not whole'],
    [['serve', '--request-timeout-ms', '5'], 'serve timeout below the minimum'],
    [['search', 'rugpijn', '--k', '51'], '--k above the maximum'],
    [['ask', 'Helpt oefentherapie?', '--k', '-3'], 'ask --k negative'],
    [['search', 'rugpijn', '--k'], '--k without a value'],
    [['search', 'rugpijn', '--bogus'], 'unknown option'],
  ])('%j (%s) → one line on stderr, exit 2, nothing on stdout', async (args) => {
    const run = await cli(args);
    expect(run.code).toBe(2);
    expect(lines(run.stderr)).toHaveLength(1);
    expect(run.stderr).toMatch(/^rugwijs /);
    expect(run.stdout).toBe('');
  });

  it.each([
    [['search', 'rugpijn', '--k', 'abc'], "rugwijs search: --k must be a whole number from 1 to 50, got 'abc'"],
    [['search', 'rugpijn', '--k', '51'], "rugwijs search: --k must be a whole number from 1 to 50, got '51'"],
    [['ask', 'Helpt oefentherapie?', '--k=-3'], "rugwijs ask: --k must be a whole number from 1 to 20, got '-3'"],
    [['serve', '--request-timeout-ms', '1e3'], "rugwijs serve: --request-timeout-ms must be a whole number from 100 to 600000, got '1e3'"],
  ])('%j → names the flag, its range and what was given', async (args, message) => {
    const run = await cli(args);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe(message);
  });

  it.each(['ingest', 'search', 'ask', 'eval', 'serve'])('%s --help and help %s print that command\'s options, exit 0', async (command) => {
    for (const args of [[command, '--help'], [command, 'vraag', '-h'], ['help', command]]) {
      const run = await cli(args);
      expect(run.code).toBe(0);
      expect(run.stderr).toBe('');
      expect(run.stdout).toMatch(new RegExp(`^usage: rugwijs ${command}\\b`));
      expect(run.stdout).not.toMatch(/Unknown option/i);
    }
  });

  it('--help of an unknown command says so, exit 2', async () => {
    const run = await cli(['frob', '--help']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/unknown command "frob"/);
  });

  it('--help prints the usage and exits 0', async () => {
    const run = await cli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/usage/i);
    expect(run.stdout).toContain('search');
    expect(run.stdout).toContain('ask');
  });
});

describe.concurrent('rugwijs CLI — runtime errors', () => {
  it('search without an index: one line saying how to build it, exit 1', async () => {
    const empty = await mkdtemp(path.join(os.tmpdir(), 'rugwijs-cli-empty-'));
    try {
      const run = await cli(['search', 'rugpijn'], empty);
      expect(run.code).toBe(1);
      expect(lines(run.stderr)).toHaveLength(1);
      expect(run.stderr).toContain('ingest');
      expect(run.stdout).toBe('');
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});

describe.concurrent('rugwijs CLI — search', () => {
  it('--json prints exactly what POST /api/search returns (title and ranks included), sorted by score', async () => {
    const query = 'Helpt oefentherapie bij acute lage rugpijn?';
    const run = await cli(['search', query, '--k', '4', '--json']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const parsed: unknown = JSON.parse(run.stdout);
    // The API's own schema, strict: no field missing, none extra.
    const strictHit = SearchHitSchema.strict();
    const { results } = z.strictObject({ results: z.array(strictHit) }).parse(parsed);
    expect(parsed).toEqual(await search(te.engine, { query, k: 4 }));
    expect(results).toHaveLength(4);
    results.forEach((r, i) => {
      if (i > 0) expect(r.score).toBeLessThanOrEqual(results[i - 1]?.score ?? Infinity);
      expect(te.engine.index.chunkById.get(r.chunkId)).toMatchObject({ file: r.file, text: r.text, start: r.start, end: r.end });
    });
    expect(docPrefix(results[0]?.file ?? '')).toBe('001');
  });

  it('--json with a query without content words prints no results', async () => {
    const run = await cli(['search', 'wat is dat?', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ results: [] });
  });

  it('prints readable passages without --json', async () => {
    const run = await cli(['search', 'beeldvorming', 'rugpijn', '--k', '2']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^1\. \d{3}_/m);
    expect(run.stdout).toMatch(/^2\. \d{3}_/m);
  });
});

describe.concurrent('rugwijs CLI — ask', () => {
  it('--json prints a valid answer with verbatim citations', async () => {
    const run = await cli(['ask', 'Helpt oefentherapie bij acute lage rugpijn?', '--json']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const a = AnswerSchema.parse(JSON.parse(run.stdout));
    expect(a.refused).toBe(false);
    expect(a.citations.length).toBeGreaterThan(0);
    for (const c of a.citations) {
      expect(te.engine.index.docs.get(c.file)?.original.slice(c.start, c.end)).toBe(c.quote);
      expect(a.answer).toContain(`[${c.n}]`);
    }
  });

  it('--json prints a valid refusal for an out-of-domain question, exit 0', async () => {
    const run = await cli(['ask', 'Hoe behandel ik een gebroken pols?', '--json']);
    expect(run.code).toBe(0);
    const a = AnswerSchema.parse(JSON.parse(run.stdout));
    expect(a.refused).toBe(true);
    expect(a.citations.filter((c) => !c.nearest)).toEqual([]); // a refusal only points to the nearest sections
  });

  it('prints the answer and numbered sources without --json', async () => {
    const run = await cli(['ask', 'Helpt', 'oefentherapie', 'bij', 'acute', 'lage', 'rugpijn?']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/\[1\]/);
    expect(run.stdout).toMatch(/^Bronnen:$/m);
    expect(run.stdout).toMatch(/^\[1\] .+\(\d{3}_[0-9a-f]+\.txt/m);
  });
});

describe('rugwijs CLI — source list under an answer', () => {
  const citation = (n: number, section: string, extra: Partial<Answer['citations'][number]> = {}): Answer['citations'][number] => ({
    n,
    chunkId: `bron_${n}#0`,
    file: `bron_${n}.txt`,
    title: `Titel ${n}`,
    kind: 'news',
    section,
    quote: 'Blijf  bewegen\nbij rugpijn.',
    start: 0,
    end: 10,
    ...extra,
  });

  it('a source without a section prints no dash pair; one with a section prints " — section"', () => {
    const text = formatSources({ language: 'nl', citations: [citation(1, ''), citation(2, 'Besluit', { date: '2025-06-20' })] });
    expect(text).not.toMatch(/—\s*—/);
    expect(text).toContain('[1] Titel 1 (bron_1.txt)\n');
    expect(text).toContain('[2] Titel 2 (bron_2.txt, 2025-06-20) — Besluit\n');
    expect(text).toContain('“Blijf bewegen bij rugpijn.”');
    expect(text.split('\n')[0]).toBe('Bronnen:');
  });

  it("a refusal's nearest sections are headed as pointers, not as sources of a claim", () => {
    const text = formatSources({ language: 'en', citations: [citation(1, 'Besluit', { nearest: true })] });
    expect(text.split('\n')[0]).toBe('Where the documents come closest:');
  });

  it('no citations → nothing', () => {
    expect(formatSources({ language: 'nl', citations: [] })).toBe('');
  });
});
