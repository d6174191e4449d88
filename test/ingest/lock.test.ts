/**
 * The ingest lock and safe cleanup (src/ingest/lock.ts): one ingest at a time per index folder, stale locks
 * taken over, temp folders of live processes never removed, only builds older than current + previous
 * collected, file-system failures named in one line without absolute paths, and three concurrent ingest
 * processes × 20 rounds that never leave the manifest pointing at a missing or incomplete build.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import { AppError } from '../../src/errors.js';
import { buildIndex } from '../../src/ingest/build.js';
import {
  collectOldBuilds,
  describeIndexFsError,
  LOCK_NAME,
  OWNER_NAME,
  removeOrphanTemps,
  withIngestLock,
} from '../../src/ingest/lock.js';
import { readManifest, readVerifiedFiles } from '../../src/ingest/manifest.js';
import { DEFAULT_FUZZ_SEED } from '../helpers/fuzz.js';

let root: string;
let corpusDir: string;

/** Two short Dutch documents: a build takes tens of ms, so many rounds fit in a test. */
async function writeTinyCorpus(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const sources = JSON.parse(await readFile(path.join(PROJECT_ROOT, 'corpus', 'sources.json'), 'utf8')) as {
    file: string;
  }[];
  const keep = sources.slice(0, 2);
  for (const s of keep) {
    const text = await readFile(path.join(PROJECT_ROOT, 'corpus', s.file), 'utf8');
    await writeFile(path.join(dir, s.file), text.slice(0, 2_500));
  }
  await writeFile(path.join(dir, 'sources.json'), JSON.stringify(keep, null, 2));
}

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'rugwijs-lock-'));
  corpusDir = path.join(root, 'corpus');
  await writeTinyCorpus(corpusDir);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const fresh = async (name: string) => {
  const dir = path.join(root, name);
  await mkdir(dir, { recursive: true });
  return dir;
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('withIngestLock', () => {
  it('runs one holder at a time: a second caller waits, then fails with one line naming the folder', async () => {
    const dir = await fresh('busy');
    let release!: () => void;
    const held = withIngestLock(dir, () => new Promise<void>((resolve) => (release = resolve)));
    await sleep(50);
    await expect(withIngestLock(dir, () => Promise.resolve(1), { waitMs: 300 })).rejects.toMatchObject({
      code: 'index_busy',
      message: expect.stringMatching(/^Another ingest is still running on index folder "[^"\n]*busy"/) as unknown,
    });
    release();
    await held;
    // Released: the next caller gets it at once, and the lock folder is gone afterwards.
    await expect(withIngestLock(dir, () => Promise.resolve(2), { waitMs: 300 })).resolves.toBe(2);
    expect(await readdir(dir)).not.toContain(LOCK_NAME);
  });

  it('waits for the holder when allowed to, instead of failing', async () => {
    const dir = await fresh('wait');
    const order: string[] = [];
    const first = withIngestLock(dir, async () => {
      order.push('first:start');
      await sleep(300);
      order.push('first:end');
    });
    await sleep(30);
    const second = withIngestLock(dir, () => Promise.resolve(order.push('second')), { waitMs: 5_000 });
    await Promise.all([first, second]);
    expect(order).toEqual(['first:start', 'first:end', 'second']);
  });

  it('takes over a stale lock left by a run that died', async () => {
    const dir = await fresh('stale');
    const lock = path.join(dir, LOCK_NAME);
    await mkdir(lock);
    const old = new Date(Date.now() - 10 * 60_000);
    await utimes(lock, old, old);
    await expect(withIngestLock(dir, () => Promise.resolve('ran'), { waitMs: 1_000 })).resolves.toBe('ran');
  });

  it('takes over at once a fresh lock whose holder (killed with SIGKILL) no longer runs', async () => {
    const dir = await fresh('dead-owner');
    const lock = path.join(dir, LOCK_NAME);
    await mkdir(lock);
    const { ino } = await stat(lock);
    await writeFile(path.join(dir, OWNER_NAME), JSON.stringify({ pid: 2 ** 22 + 4_321, host: os.hostname(), ino }));
    const t0 = Date.now();
    await expect(withIngestLock(dir, () => Promise.resolve('ran'), { waitMs: 2_000 })).resolves.toBe('ran');
    expect(Date.now() - t0).toBeLessThan(2_000);
    // A live holder (our parent process) is waited for instead.
    await mkdir(lock);
    await writeFile(path.join(dir, OWNER_NAME), JSON.stringify({ pid: process.ppid, host: os.hostname(), ino: (await stat(lock)).ino }));
    await expect(withIngestLock(dir, () => Promise.resolve('ran'), { waitMs: 300 })).rejects.toMatchObject({ code: 'index_busy' });
  });

  it('names an index folder that cannot be created, without absolute paths', async () => {
    // A file where a folder should be fails for every user, root included (unlike chmod).
    const blocker = path.join(root, 'blocker');
    await writeFile(blocker, 'geen map');
    const err = await withIngestLock(path.join(blocker, 'index'), () => Promise.resolve()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'index_unwritable' });
    const message = (err as AppError).message;
    expect(message).toMatch(/index folder "[^"]*blocker[/\\]index" .*is a file, not a folder \(ENOTDIR\)/);
    expect(message).not.toContain(root);
  });

  it.each([
    ['EROFS', 'mkdir', /is not writable \(EROFS\)/],
    ['EACCES', 'open', /is not writable \(EACCES\)/],
    ['ENOSPC', 'write', /is full \(ENOSPC\)/],
    ['EISDIR', 'rename', /"manifest\.json" in the index folder "[^"]+" is a folder where a file belongs/],
  ])('translates %s into a message that says what is wrong', (code, syscall, pattern) => {
    const dir = path.join(root, 'indexes');
    const err = Object.assign(new Error(`${code}: raw, ${syscall} '${dir}/manifest.json'`), {
      code,
      syscall,
      path: path.join(dir, '.manifest.json.1.ab.tmp'),
      dest: path.join(dir, 'manifest.json'),
    });
    const translated = describeIndexFsError(err, dir) as AppError;
    expect(translated.code).toBe('index_unwritable');
    expect(translated.message).toMatch(pattern);
    expect(translated.message).not.toContain(root);
  });
});

describe('cleanup', () => {
  it('removes temp entries of dead processes and its own, never those of a live process', async () => {
    const dir = await fresh('temps');
    const live = `build-x.${process.ppid}.aa11.tmp`;
    const dead = `build-y.${2 ** 22 + 12_345}.bb22.tmp`;
    const own = `.manifest.json.${process.pid}.cc33.tmp`;
    for (const name of [live, dead]) await mkdir(path.join(dir, name));
    await writeFile(path.join(dir, own), '{');
    await writeFile(path.join(dir, 'manifest.json'), '{}');
    const removed = await removeOrphanTemps(dir);
    expect(removed.sort()).toEqual([dead, own].sort());
    expect((await readdir(dir)).sort()).toEqual([live, 'manifest.json'].sort());
  });

  it('keeps the current and the previous build and any newer one, removes the older ones', async () => {
    const dir = await fresh('gc');
    const names = ['build-1', 'build-2', 'build-3', 'build-4', 'build-5'];
    for (const [i, name] of names.entries()) {
      await mkdir(path.join(dir, name));
      const t = new Date(Date.now() - (10 - i) * 60_000);
      await utimes(path.join(dir, name), t, t);
    }
    // build-4 is current; build-5 is newer (another run about to switch to it); build-3 is the previous one.
    await writeFile(path.join(dir, 'manifest.json'), JSON.stringify({ build: 'build-4' }));
    expect((await collectOldBuilds(dir)).sort()).toEqual(['build-1', 'build-2']);
    expect((await readdir(dir)).sort()).toEqual(['build-3', 'build-4', 'build-5', 'manifest.json']);
  });

  it('removes nothing when the manifest is unreadable or names a missing build', async () => {
    const dir = await fresh('gc-none');
    for (const name of ['build-1', 'build-2', 'build-3']) await mkdir(path.join(dir, name));
    expect(await collectOldBuilds(dir)).toEqual([]);
    await writeFile(path.join(dir, 'manifest.json'), JSON.stringify({ build: 'build-9' }));
    expect(await collectOldBuilds(dir)).toEqual([]);
    expect((await readdir(dir)).filter((n) => n.startsWith('build-'))).toHaveLength(3);
  });
});

/** Runs test/helpers/ingest-loop.ts in a child process; resolves with its JSON lines and exit code. */
function ingestLoop(indexDir: string, rounds: number): Promise<{ code: number | null; lines: unknown[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(PROJECT_ROOT, 'test/helpers/ingest-loop.ts'), corpusDir, indexDir, String(rounds)],
      { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) console.error(err);
      resolve({ code, lines: out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as unknown) });
    });
  });
}

/**
 * The invariant: once a manifest exists it names a build whose every file is present and matches its
 * checksum. A failed check counts only if the manifest did not change meanwhile (a reader racing two
 * switches in a row may see its build collected, which is why the previous build is kept).
 */
async function manifestPointsAtCompleteBuild(indexDir: string): Promise<boolean | 'no-manifest'> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const manifest = await readManifest(indexDir).catch(() => undefined);
    if (!manifest) return 'no-manifest';
    const ok = await readVerifiedFiles(indexDir, manifest).then(
      () => true,
      () => false,
    );
    if (ok) return true;
    const again = await readManifest(indexDir).catch(() => undefined);
    if (again?.build === manifest.build) return false;
  }
  return true;
}

describe('concurrent ingests', () => {
  it('3 processes × 20 forced ingests on one folder: the manifest always names a complete build', async () => {
    const indexDir = await fresh('race');
    const ROUNDS = 20;
    const runs = Promise.all([0, 1, 2].map(() => ingestLoop(indexDir, ROUNDS)));
    let done = false;
    void runs.finally(() => (done = true));
    let checks = 0;
    const broken: number[] = [];
    while (!done) {
      const state = await manifestPointsAtCompleteBuild(indexDir);
      if (state !== 'no-manifest') {
        checks++;
        if (state === false) broken.push(checks);
      }
      await sleep(15);
    }
    const results = await runs;
    for (const r of results) {
      expect(r.code).toBe(0);
      expect(r.lines).toHaveLength(ROUNDS);
      for (const line of r.lines) expect(line).toMatchObject({ status: 'built' });
    }
    expect(broken).toEqual([]);
    expect(checks).toBeGreaterThan(10);
    expect(await manifestPointsAtCompleteBuild(indexDir)).toBe(true);
    // Tidy afterwards: no lock, no temp entries, at most the current and the previous build.
    const names = await readdir(indexDir);
    expect(names.filter((n) => n.endsWith('.tmp') || n === LOCK_NAME)).toEqual([]);
    expect(names.filter((n) => n.startsWith('build-')).length).toBeLessThanOrEqual(2);
    const { build } = await readManifest(indexDir);
    expect(names).toContain(build);
  });

  it('a plain (not forced) ingest after a concurrent one finds the index up to date', async () => {
    const indexDir = await fresh('after');
    const [a, b] = await Promise.all([
      buildIndex({ corpusDir, indexDir, force: true }),
      buildIndex({ corpusDir, indexDir }),
    ]);
    expect(a.status).toBe('built');
    // Whichever ran second saw the other's complete build.
    expect(['built', 'up-to-date']).toContain(b.status);
    expect(await manifestPointsAtCompleteBuild(indexDir)).toBe(true);
  });

  it('any mix of concurrent forced and plain ingests, started at random moments, ends with a complete build', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ force: fc.boolean(), delayMs: fc.integer({ min: 0, max: 60 }) }), { minLength: 2, maxLength: 4 }),
        async (ingests) => {
          const indexDir = await fresh(`mix-${run++}`);
          const reports = await Promise.all(
            ingests.map(async ({ force, delayMs }) => {
              await sleep(delayMs);
              return buildIndex({ corpusDir, indexDir, force });
            }),
          );
          expect(reports.filter((r) => r.status === 'built').length).toBeGreaterThanOrEqual(1);
          expect(await manifestPointsAtCompleteBuild(indexDir)).toBe(true);
          const names = await readdir(indexDir);
          expect(names.filter((n) => n.endsWith('.tmp') || n === LOCK_NAME)).toEqual([]);
          expect(names.filter((n) => n.startsWith('build-')).length).toBeLessThanOrEqual(2);
        },
      ),
      { seed: DEFAULT_FUZZ_SEED, numRuns: 6 },
    );
  });
});
