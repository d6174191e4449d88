/**
 * Crash safety of ingest: `rugwijs ingest` runs as a child process and is SIGKILLed at seeded random points
 * (anywhere in the run, while the build folder is being written, right after the manifest switched), with a
 * corpus document changed before every run so each run really builds. After every kill the index folder
 * must hold the last complete index (or none yet): never a half-written one.
 */
import { spawn } from 'node:child_process';
import { appendFile, cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import { isAppError } from '../../src/errors.js';
import { loadCorpus } from '../../src/corpus/load.js';
import { buildIndex } from '../../src/ingest/build.js';
import { ensureIndex, loadIndex } from '../../src/ingest/load.js';
import { readManifest, readVerifiedFiles, type Manifest } from '../../src/ingest/manifest.js';
import { DEFAULT_FUZZ_SEED } from '../helpers/fuzz.js';
import { mulberry32 } from '../helpers/random.js';

/** Kills required (each one a run that was really cut off); `KILL_RUNS` for more. */
const KILLS = Math.max(10, Number.parseInt(process.env.KILL_RUNS ?? '', 10) || 10);
const SEED = Number.parseInt(process.env.FUZZ_SEED ?? '', 10) || DEFAULT_FUZZ_SEED;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let root: string;
let corpusDir: string;
let indexDir: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'rugwijs-kill-'));
  corpusDir = path.join(root, 'corpus');
  indexDir = path.join(root, 'index');
  await cp(path.join(PROJECT_ROOT, 'corpus'), corpusDir, { recursive: true });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** The corpus as the manifest records it: file and sha256, in file order. */
async function corpusState(): Promise<string> {
  const { docs } = await loadCorpus(corpusDir);
  return JSON.stringify(docs.map((d) => ({ file: d.file, path: d.path, sha256: d.sha256 })));
}

async function manifestBuild(): Promise<string | undefined> {
  return readManifest(indexDir).then(
    (m) => m.build,
    () => undefined,
  );
}

type KillMode = 'anywhere' | 'while-writing' | 'after-switch';

/**
 * Runs `rugwijs ingest` and SIGKILLs it: `anywhere` after a random delay, `while-writing` a few ms after a
 * temp build folder appears, `after-switch` as soon as the manifest names a new build (old builds are then
 * being removed). Resolves true when the kill cut the run short, false when ingest finished first.
 */
async function runAndKill(mode: KillMode, random: () => number): Promise<boolean> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'ingest'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, RUGWIJS_CORPUS_DIR: corpusDir, RUGWIJS_INDEX_DIR: indexDir, LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let done = false;
  void exited.then(() => (done = true));

  const before = await manifestBuild();
  if (mode === 'anywhere') {
    await sleep(Math.floor(random() * 1_500));
  } else {
    // Poll the index folder until the chosen phase begins (or the run ends).
    const delay = Math.floor(random() * 30);
    while (!done) {
      const names = await readdir(indexDir).catch(() => [] as string[]);
      if (mode === 'while-writing' && names.some((n) => n.startsWith('build-') && n.endsWith('.tmp'))) break;
      if (mode === 'after-switch' && (await manifestBuild()) !== before) break;
      await sleep(3);
    }
    await sleep(delay);
  }
  child.kill('SIGKILL');
  const { code, signal } = await exited;
  if (signal === 'SIGKILL') return true;
  expect(code, stderr).toBe(0);
  return false;
}

describe('ingest killed at random points', () => {
  it(`always leaves the last complete index or none, never a half-written one (${KILLS} kills)`, async () => {
    const random = mulberry32(SEED);
    const modes: KillMode[] = ['anywhere', 'while-writing', 'after-switch'];
    /** Every corpus state so far; a manifest may only describe one of them. */
    const states = [await corpusState()];
    let lastBuiltAt: string | undefined;
    let kills = 0;
    const log: string[] = [];

    for (let run = 0; kills < KILLS && run < KILLS * 2; run++) {
      const mode = modes[run % modes.length] ?? 'anywhere';
      const killed = await runAndKill(mode, random);
      if (killed) kills++;

      let manifest: Manifest | undefined;
      try {
        manifest = await readManifest(indexDir);
      } catch (e) {
        // No manifest is only acceptable before any build ever completed.
        expect(isAppError(e) && e.code === 'index_missing' && lastBuiltAt === undefined, String(e)).toBe(
          true,
        );
      }
      if (manifest) {
        // Every file of the build the manifest names is complete (checksums match).
        await readVerifiedFiles(indexDir, manifest);
        // It describes a corpus that really existed, and is never older than one seen before.
        const recorded = JSON.stringify(manifest.corpus);
        expect(states).toContain(recorded);
        if (lastBuiltAt) expect(manifest.builtAt >= lastBuiltAt).toBe(true);
        lastBuiltAt = manifest.builtAt;
        if (recorded === states.at(-1)) {
          const index = await loadIndex({ corpusDir, indexDir });
          expect(index.chunks.length).toBe(manifest.chunks);
          expect(index.bm25.size).toBe(manifest.chunks);
        } else {
          await expect(loadIndex({ corpusDir, indexDir })).rejects.toMatchObject({ code: 'index_stale' });
        }
      }
      log.push(`${run}:${mode}:${killed ? 'killed' : 'finished'}:${manifest?.build ?? 'none'}`);

      // Change one document so the next run has to build.
      const doc = `00${Math.floor(random() * 5)}`;
      const file = (await readdir(corpusDir)).find((n) => n.startsWith(doc) && n.endsWith('.txt'));
      expect(file).toBeDefined();
      await appendFile(path.join(corpusDir, file ?? ''), `\nRegel ${run}: blijf zo veel mogelijk bewegen.\n`);
      states.push(await corpusState());
    }
    expect(kills, log.join('\n')).toBeGreaterThanOrEqual(KILLS);

    // Whatever the last kill left, ensureIndex gives a clean, current index, and a build tidies up.
    const index = await ensureIndex({ corpusDir, indexDir });
    expect(JSON.stringify(index.manifest.corpus)).toBe(states.at(-1));
    const report = await buildIndex({ corpusDir, indexDir });
    expect(report.status).toBe('up-to-date');
    await buildIndex({ corpusDir, indexDir, force: true });
    const names = await readdir(indexDir);
    expect(names.filter((n) => n.endsWith('.tmp'))).toEqual([]);
    // The current build and the previous one are kept (src/ingest/lock.ts collectOldBuilds); older ones go.
    expect(names.filter((n) => n.startsWith('build-')).length).toBeLessThanOrEqual(2);
  });
});
