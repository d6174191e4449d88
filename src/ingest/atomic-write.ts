import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

/**
 * Writes a file atomically: write a sibling temp file, fsync it, then rename over the target.
 * A crash at any point leaves either the old file or the new one, never a torn file.
 */
export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await fs.open(tmp, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(tmp, target);
  await fsyncDir(path.dirname(target));
}

/**
 * Builds a directory atomically: `fill` writes into a fresh temp directory next to `target`, which is then
 * renamed to `target` (which must not exist yet). A crash leaves only a `.tmp` directory, removed later by
 * {@link removeStaleTemps}.
 */
export async function writeDirAtomic(target: string, fill: (tmpDir: string) => Promise<void>): Promise<void> {
  const tmp = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await fs.mkdir(tmp, { recursive: true });
  try {
    await fill(tmp);
    for (const name of await fs.readdir(tmp)) {
      const h = await fs.open(path.join(tmp, name), 'r');
      await h.sync().finally(() => h.close());
    }
    await fs.rename(tmp, target);
    await fsyncDir(path.dirname(target));
  } catch (e) {
    await fs.rm(tmp, { recursive: true, force: true });
    throw e;
  }
}

/** Removes leftover `*.tmp` entries (from a crashed write) in `dir`. */
export async function removeStaleTemps(dir: string): Promise<void> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return;
  }
  await Promise.all(
    names.filter((n) => n.endsWith('.tmp')).map((n) => fs.rm(path.join(dir, n), { recursive: true, force: true })),
  );
}

async function fsyncDir(dir: string): Promise<void> {
  // Directory fsync makes the rename itself durable; not supported everywhere, so best effort.
  try {
    const h = await fs.open(dir, 'r');
    await h.sync().finally(() => h.close());
  } catch {
    /* ignore */
  }
}
