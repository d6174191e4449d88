import { mkdtemp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { removeStaleTemps, writeDirAtomic, writeFileAtomic } from '../../src/ingest/atomic-write.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rugwijs-atomic-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('writes a new file and replaces an existing one, leaving no temp files', async () => {
    const target = path.join(dir, 'manifest.json');
    await writeFileAtomic(target, '{"versie":1}');
    expect(await readFile(target, 'utf8')).toBe('{"versie":1}');
    await writeFileAtomic(target, new TextEncoder().encode('Lage rugpijn: blijf bewegen.'));
    expect(await readFile(target, 'utf8')).toBe('Lage rugpijn: blijf bewegen.');
    expect(await readdir(dir)).toEqual(['manifest.json']);
  });

  it('leaves one complete version when writers race, never a mix', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.string({ minLength: 1, maxLength: 2_000 }), { minLength: 2, maxLength: 6 }),
        async (versions) => {
          const target = path.join(dir, 'race.json');
          await Promise.all(versions.map((v) => writeFileAtomic(target, v)));
          expect(versions).toContain(await readFile(target, 'utf8'));
          expect((await readdir(dir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
        },
      ),
      { numRuns: 25, seed: 7 },
    );
  });

  it('keeps the old file when the write fails (target folder missing)', async () => {
    const target = path.join(dir, 'ontbreekt', 'manifest.json');
    await expect(writeFileAtomic(target, 'x')).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('writeDirAtomic', () => {
  it('creates the folder with everything written in it, only after fill completes', async () => {
    const target = path.join(dir, 'build-1');
    await writeDirAtomic(target, async (tmp) => {
      // While filling, the target does not exist yet: a reader never sees a half-filled build folder.
      await expect(readdir(target)).rejects.toMatchObject({ code: 'ENOENT' });
      await writeFile(path.join(tmp, 'chunks.json'), '[]');
      await writeFile(path.join(tmp, 'bm25.json'), '{}');
    });
    expect((await readdir(target)).sort()).toEqual(['bm25.json', 'chunks.json']);
    expect(await readdir(dir)).toEqual(['build-1']);
  });

  it('removes the temp folder and creates nothing when fill throws', async () => {
    const target = path.join(dir, 'build-2');
    await expect(
      writeDirAtomic(target, async (tmp) => {
        await writeFile(path.join(tmp, 'chunks.json'), '[');
        throw new Error('schijf vol');
      }),
    ).rejects.toThrow('schijf vol');
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses to replace a non-empty existing folder, which keeps its contents', async () => {
    const target = path.join(dir, 'build-3');
    await mkdir(target);
    await writeFile(path.join(target, 'chunks.json'), 'oud');
    await expect(
      writeDirAtomic(target, async (tmp) => writeFile(path.join(tmp, 'chunks.json'), 'nieuw')),
    ).rejects.toMatchObject({ code: expect.stringMatching(/^(ENOTEMPTY|EEXIST)$/) as unknown });
    expect(await readFile(path.join(target, 'chunks.json'), 'utf8')).toBe('oud');
    expect(await readdir(dir)).toEqual(['build-3']);
  });
});

describe('removeStaleTemps', () => {
  it('removes leftover .tmp files and folders of a crashed write and nothing else', async () => {
    await writeFile(path.join(dir, '.manifest.json.123.abcd.tmp'), '{"half');
    await mkdir(path.join(dir, 'build-x.123.abcd.tmp'));
    await writeFile(path.join(dir, 'build-x.123.abcd.tmp', 'chunks.json'), '[');
    await writeFile(path.join(dir, 'manifest.json'), '{}');
    await mkdir(path.join(dir, 'build-x'));
    await removeStaleTemps(dir);
    expect((await readdir(dir)).sort()).toEqual(['build-x', 'manifest.json']);
  });

  it('ignores a folder that does not exist', async () => {
    await expect(removeStaleTemps(path.join(dir, 'nergens'))).resolves.toBeUndefined();
  });
});
