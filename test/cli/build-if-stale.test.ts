import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { staleReason } from '../../scripts/build-if-stale.mjs';

/** `npm start` compiles only when dist/ is missing or older than what it is built from. */
let root: string;
const at = (p: string) => path.join(root, p);
/** Sets a file's or folder's mtime to `secondsAgo` before now. */
const age = (p: string, secondsAgo: number) => {
  const t = new Date(Date.now() - secondsAgo * 1000);
  return utimes(at(p), t, t);
};

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'rugwijs-stale-'));
  await mkdir(at('src/cli'), { recursive: true });
  await writeFile(at('src/cli/main.ts'), 'export {};\n');
  await writeFile(at('package.json'), '{}\n');
  for (const p of ['src/cli/main.ts', 'src/cli', 'src', 'package.json']) await age(p, 100);
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function built(secondsAgo: number): Promise<void> {
  await mkdir(at('dist'), { recursive: true });
  await writeFile(at('dist/.build-stamp'), 'x\n');
  await age('dist/.build-stamp', secondsAgo);
}

describe('staleReason', () => {
  it('asks for a build when dist/ was never built', () => {
    expect(staleReason(root)).toMatch(/not been built/);
  });

  it('is satisfied when the build is newer than every input', async () => {
    await built(10);
    expect(staleReason(root)).toBeUndefined();
  });

  it('sees an edited source file', async () => {
    await built(10);
    await age('src/cli/main.ts', 1);
    expect(staleReason(root)).toMatch(/^src changed/);
  });

  it('sees a file added to (or removed from) a source folder through the folder mtime', async () => {
    await built(10);
    await writeFile(at('src/cli/new.ts'), 'export {};\n');
    expect(staleReason(root)).toMatch(/^src changed/);
  });

  it('sees a changed package.json (scripts, dependencies)', async () => {
    await built(10);
    await age('package.json', 1);
    expect(staleReason(root)).toMatch(/^package\.json changed/);
  });
});
