/**
 * One ingest at a time per index folder, and cleanup that never touches another run's files.
 *
 * - {@link withIngestLock}: a lock folder `<indexDir>/.ingest.lock` (proper-lockfile: atomic mkdir, its mtime
 *   refreshed while held) plus `.ingest.owner` naming the holder's pid. A lock whose holder pid no longer
 *   runs on this host, or whose mtime is older than `staleMs` (a holder elsewhere that died or hung), is
 *   taken over. A second ingest waits up to `waitMs`, then fails with one line.
 * - {@link removeOrphanTemps}: removes `*.tmp` entries of this process or of processes that no longer run;
 *   a live process's temp folder is never removed.
 * - {@link collectOldBuilds}: after a switch, keeps the build the manifest names and the one before it
 *   (a server may still be loading it) and removes older ones; a build newer than the current one (written
 *   by a run that lost its lock) is kept.
 */
import { constants as fsConstants, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { AppError } from '../errors.js';

/** Name of the lock folder inside the index folder. */
export const LOCK_NAME = '.ingest.lock';
/** Who holds the lock (pid, host, lock folder inode), written next to it once acquired. */
export const OWNER_NAME = '.ingest.owner';
/** How often a waiting ingest checks the lock (ms). */
const POLL_MS = 50;

export interface LockOptions {
  /** How long a second ingest waits for the running one, in ms (default 300 000). */
  waitMs?: number;
  /** A lock not refreshed for this many ms is stale (its owner died) and is taken over (default 30 000, min 5 000). */
  staleMs?: number;
}

const DEFAULT_WAIT_MS = 300_000;
const DEFAULT_STALE_MS = 30_000;
/** Orphan temp entries whose name carries no pid are removed only when older than this (ms). */
const UNOWNED_TEMP_AGE_MS = 60 * 60_000;

/**
 * Runs `fn` while holding the ingest lock of `indexDir` (created when missing). Waits for another ingest
 * up to `waitMs`; then throws AppError('index_busy'). A folder that cannot be created or written throws
 * AppError('index_unwritable') naming the folder and the reason; file-system failures inside `fn` are
 * translated the same way (never a raw "ENOENT … mkdir" with absolute paths).
 */
export async function withIngestLock<T>(
  indexDir: string,
  fn: () => Promise<T>,
  options: LockOptions = {},
): Promise<T> {
  const waitMs = options.waitMs ?? DEFAULT_WAIT_MS;
  const stale = Math.max(5_000, options.staleMs ?? DEFAULT_STALE_MS);
  try {
    await fs.mkdir(indexDir, { recursive: true });
    // proper-lockfile retries every error until waitMs: find a read-only folder now, not minutes later.
    await fs.access(indexDir, fsConstants.W_OK);
  } catch (e) {
    throw describeIndexFsError(e, indexDir);
  }
  let compromised: Error | undefined;
  let release: (() => Promise<void>) | undefined;
  const lockPath = path.join(indexDir, LOCK_NAME);
  const deadline = Date.now() + waitMs;
  while (!release) {
    try {
      release = await lockfile.lock(indexDir, {
        lockfilePath: lockPath,
        realpath: false,
        stale,
        update: Math.max(1_000, Math.floor(stale / 3)),
        // proper-lockfile throws from a timer by default (crashing the process); remember it instead.
        onCompromised: (err) => {
          compromised = err;
        },
      });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ELOCKED') throw describeIndexFsError(e, indexDir);
      // A holder killed with SIGKILL cannot release: when its pid no longer runs here, take over at once
      // instead of waiting `stale` ms for its mtime to age.
      if (await ownerIsDead(indexDir, lockPath)) {
        await fs.rmdir(lockPath).catch(() => undefined);
        continue;
      }
      if (Date.now() >= deadline) {
        throw new AppError(
          'index_busy',
          `Another ingest is still running on index folder "${displayDir(indexDir)}" (waited ${Math.round(waitMs / 1000)} s); try again when it has finished.`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
  const ownerFile = path.join(indexDir, OWNER_NAME);
  const ino = (await fs.stat(lockPath).catch(() => undefined))?.ino;
  await fs
    .writeFile(ownerFile, JSON.stringify({ pid: process.pid, host: os.hostname(), ino }))
    .catch(() => undefined);
  const unlock = release;
  try {
    return await fn().catch((e: unknown) => {
      throw describeIndexFsError(e, indexDir);
    });
  } finally {
    // A compromised lock was already taken over by another run: releasing it would remove theirs.
    if (!compromised) {
      await fs.rm(ownerFile, { force: true }).catch(() => undefined);
      await unlock().catch(() => undefined);
    }
  }
}

/**
 * Whether the lock at `lockPath` belongs to a process on this host that no longer runs: the owner file
 * written after acquiring names the pid, the host and the lock folder's inode (so an owner file left by an
 * earlier lock never condemns a newer one). Without an owner file the mtime rule (`stale`) decides.
 */
async function ownerIsDead(indexDir: string, lockPath: string): Promise<boolean> {
  try {
    const [stat, raw] = await Promise.all([fs.stat(lockPath), fs.readFile(path.join(indexDir, OWNER_NAME), 'utf8')]);
    const owner = JSON.parse(raw) as { pid?: unknown; host?: unknown; ino?: unknown };
    return (
      typeof owner.pid === 'number' &&
      owner.host === os.hostname() &&
      owner.ino === stat.ino &&
      owner.pid !== process.pid &&
      !processAlive(owner.pid)
    );
  } catch {
    return false;
  }
}

/**
 * Removes leftover `*.tmp` entries in `indexDir` that belong to this process or to a process that no
 * longer runs (names carry the writer's pid: `<name>.<pid>.<hex>.tmp`, see atomic-write.ts). Call only
 * while holding the ingest lock; entries of live processes are kept.
 */
export async function removeOrphanTemps(indexDir: string): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await readdirSafe(indexDir)) {
    if (!name.endsWith('.tmp')) continue;
    const full = path.join(indexDir, name);
    const pid = Number(/\.(\d+)\.[0-9a-f]+\.tmp$/.exec(name)?.[1]);
    let orphan: boolean;
    if (Number.isInteger(pid) && pid > 0) orphan = pid === process.pid || !processAlive(pid);
    else {
      const stat = await fs.stat(full).catch(() => undefined);
      orphan = stat !== undefined && Date.now() - stat.mtimeMs > UNOWNED_TEMP_AGE_MS;
    }
    if (orphan) {
      await fs.rm(full, { recursive: true, force: true });
      removed.push(name);
    }
  }
  return removed;
}

/**
 * Garbage-collects build folders: keeps the one `manifest.json` names (`build`) and the newest build older
 * than it (the previous one), removes every build folder older than those two. Builds newer than the
 * current one are kept (another run may be about to switch to it). Does nothing when the manifest is
 * unreadable. Returns the removed folder names.
 */
export async function collectOldBuilds(indexDir: string): Promise<string[]> {
  let current: string;
  try {
    const manifest = JSON.parse(await fs.readFile(path.join(indexDir, 'manifest.json'), 'utf8')) as {
      build?: unknown;
    };
    if (typeof manifest.build !== 'string') return [];
    current = manifest.build;
  } catch {
    return [];
  }
  const builds: { name: string; mtime: number }[] = [];
  for (const name of await readdirSafe(indexDir)) {
    if (!name.startsWith('build-') || name.endsWith('.tmp')) continue;
    const stat = await fs.stat(path.join(indexDir, name)).catch(() => undefined);
    if (stat?.isDirectory()) builds.push({ name, mtime: stat.mtimeMs });
  }
  const cur = builds.find((b) => b.name === current);
  if (!cur) return [];
  const older = builds
    .filter((b) => b.name !== current && b.mtime <= cur.mtime)
    .sort((a, b) => b.mtime - a.mtime || b.name.localeCompare(a.name));
  const removed: string[] = [];
  for (const b of older.slice(1)) {
    await fs.rm(path.join(indexDir, b.name), { recursive: true, force: true });
    removed.push(b.name);
  }
  return removed;
}

/**
 * Translates a file-system failure while building into AppError('index_unwritable') whose message names
 * the folder (relative, never absolute) and what is wrong. AppErrors pass through unchanged.
 */
export function describeIndexFsError(err: unknown, indexDir: string): unknown {
  if (err instanceof AppError) return err;
  const e = err as NodeJS.ErrnoException;
  if (typeof e?.code !== 'string' || typeof e.syscall !== 'string') return err;
  const where = `index folder "${displayDir(indexDir)}"`;
  const target = typeof e.path === 'string' ? path.basename((e as { dest?: string }).dest ?? e.path) : undefined;
  const fix = 'then restart the server or run "npm run ingest".';
  const elsewhere = `Make it writable or set RUGWIJS_INDEX_DIR to a writable folder, ${fix}`;
  let message: string;
  switch (e.code) {
    case 'EROFS':
    case 'EACCES':
    case 'EPERM':
      message = `The ${where} is not writable (${e.code}). ${elsewhere}`;
      break;
    case 'ENOSPC':
    case 'EDQUOT':
      message = `The disk holding the ${where} is full (${e.code}). Free space, ${fix}`;
      break;
    case 'EISDIR':
      message = `"${target ?? '?'}" in the ${where} is a folder where a file belongs (${e.code}). Remove it, ${fix}`;
      break;
    case 'ENOTDIR':
      message = `The ${where} (or a folder above it) is a file, not a folder (${e.code}). Move the file away or set RUGWIJS_INDEX_DIR to another folder, ${fix}`;
      break;
    case 'ENOENT':
      message = `The ${where} disappeared or cannot be created (${e.code}). ${elsewhere}`;
      break;
    default:
      message = `Cannot write the ${where} (${e.code} during ${e.syscall}). ${elsewhere}`;
  }
  return new AppError('index_unwritable', message, { cause: err });
}

/** The folder as shown to users: relative to the working directory when inside it, else its last two parts. */
export function displayDir(dir: string): string {
  const rel = path.relative(process.cwd(), path.resolve(dir));
  if (rel === '') return '.';
  if (!rel.startsWith('..') && !path.isAbsolute(rel)) return rel;
  return path.join('…', path.basename(path.dirname(path.resolve(dir))), path.basename(dir));
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readdirSafe(dir: string): Promise<string[]> {
  try {
    return await fs.readdir(dir);
  } catch {
    return [];
  }
}
