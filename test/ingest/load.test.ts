import { appendFile, cp, mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import type { AppError } from '../../src/errors.js';
import { BUILD_FILES, buildIndex } from '../../src/ingest/build.js';
import { ensureIndex, loadIndex } from '../../src/ingest/load.js';
import { readManifest, sha256 } from '../../src/ingest/manifest.js';

let root: string;
let corpusDir: string;
/** A complete index built once; every test works on its own copy. */
let golden: string;
let copies = 0;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'rugwijs-load-'));
  corpusDir = path.join(root, 'corpus');
  await cp(path.join(PROJECT_ROOT, 'corpus'), corpusDir, { recursive: true });
  golden = path.join(root, 'golden');
  await buildIndex({ corpusDir, indexDir: golden });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function copyIndex(): Promise<string> {
  const dir = path.join(root, `index-${copies++}`);
  await cp(golden, dir, { recursive: true });
  return dir;
}

async function buildFile(indexDir: string, name: string): Promise<string> {
  const { build } = await readManifest(indexDir);
  return path.join(indexDir, build, name);
}

describe('loadIndex', () => {
  it('loads a complete index', async () => {
    const index = await loadIndex({ corpusDir, indexDir: await copyIndex() });
    expect(index.chunks.length).toBe(index.manifest.chunks);
    expect(index.chunks.length).toBeGreaterThan(0);
    expect(index.bm25.size).toBe(index.chunks.length);
    expect(index.docs.size).toBe(5);
  });

  it('says index_missing for an empty folder', async () => {
    await expect(loadIndex({ corpusDir, indexDir: path.join(root, 'leeg') })).rejects.toMatchObject({
      code: 'index_missing',
    });
  });

  const dataFiles = Object.values(BUILD_FILES);

  it.each(dataFiles)('refuses a truncated %s with index_corrupt naming the file', async (name) => {
    const indexDir = await copyIndex();
    const file = await buildFile(indexDir, name);
    const size = (await readFile(file)).length;
    await truncate(file, Math.floor(size / 2));
    await expect(loadIndex({ corpusDir, indexDir })).rejects.toMatchObject({
      code: 'index_corrupt',
      message: expect.stringMatching(
        new RegExp(`${name.replace('.', '\\.')}.*(checksum|truncated)`),
      ) as unknown,
    });
  });

  it.each(dataFiles)('refuses an edited %s (one byte changed) with index_corrupt', async (name) => {
    const indexDir = await copyIndex();
    const file = await buildFile(indexDir, name);
    const bytes = await readFile(file);
    const at = Math.floor(bytes.length / 3);
    bytes[at] = (bytes[at] ?? 0) ^ 0x01;
    await writeFile(file, bytes);
    await expect(loadIndex({ corpusDir, indexDir })).rejects.toMatchObject({
      code: 'index_corrupt',
      message: expect.stringContaining(name) as unknown,
    });
  });

  /**
   * Replaces a build file's content and records the new checksum in the manifest, as a careless hand edit
   * would: the checksum passes, so the content itself must be validated.
   */
  async function editConsistently(indexDir: string, name: string, content: string | Buffer): Promise<void> {
    const manifestPath = path.join(indexDir, 'manifest.json');
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as { files: Record<string, string> };
    await writeFile(await buildFile(indexDir, name), content);
    manifest.files[name] = sha256(content);
    await writeFile(manifestPath, JSON.stringify(manifest));
  }

  it.each<[string, string, (original: string) => string | Buffer]>([
    [
      'chunks.json with chunks that are empty objects',
      BUILD_FILES.chunks,
      (o) => JSON.stringify((JSON.parse(o) as unknown[]).map(() => ({}))),
    ],
    [
      'chunks.json with one chunk fewer',
      BUILD_FILES.chunks,
      (o) => JSON.stringify((JSON.parse(o) as unknown[]).slice(1)),
    ],
    [
      'chunks.json with offsets beyond the document',
      BUILD_FILES.chunks,
      (o) =>
        JSON.stringify((JSON.parse(o) as { end: number }[]).map((c) => ({ ...c, end: c.end + 10_000_000 }))),
    ],
    [
      'chunks.json with a chunk of an unknown file',
      BUILD_FILES.chunks,
      (o) =>
        JSON.stringify(
          (JSON.parse(o) as { file: string }[]).map((c, i) =>
            i === 0 ? { ...c, file: '../package.json' } : c,
          ),
        ),
    ],
    ['bm25.bin that is an empty object', BUILD_FILES.bm25, () => '{}'],
    ['embedder.bin that is an empty object', BUILD_FILES.embedder, () => '{}'],
    [
      'vectors.hnsw of random bytes',
      BUILD_FILES.vectors,
      (o) => Buffer.alloc(Buffer.byteLength(o, 'latin1'), 7),
    ],
    ['vectors.hnsw that is empty', BUILD_FILES.vectors, () => Buffer.alloc(0)],
  ])('refuses %s even when its checksum was updated too', async (_name, file, edit) => {
    const indexDir = await copyIndex();
    const original = await readFile(await buildFile(indexDir, file), 'latin1');
    await editConsistently(indexDir, file, edit(original));
    await expect(loadIndex({ corpusDir, indexDir })).rejects.toMatchObject({ code: 'index_corrupt' });
  });

  it('refuses a truncated manifest.json with index_corrupt naming it', async () => {
    const indexDir = await copyIndex();
    const manifestPath = path.join(indexDir, 'manifest.json');
    await truncate(manifestPath, 100);
    await expect(loadIndex({ corpusDir, indexDir })).rejects.toMatchObject({
      code: 'index_corrupt',
      message: expect.stringMatching(
        /manifest\.json is not valid JSON; rebuild with "npm run ingest"/,
      ) as unknown,
    });
  });

  it('refuses a manifest pointing at a build folder that is gone', async () => {
    const indexDir = await copyIndex();
    const { build } = await readManifest(indexDir);
    await rm(path.join(indexDir, build), { recursive: true });
    await expect(loadIndex({ corpusDir, indexDir })).rejects.toMatchObject({
      code: 'index_corrupt',
      message: expect.stringContaining('is missing') as unknown,
    });
  });

  it('ignores the leftovers of a crashed build (temp folder and temp manifest)', async () => {
    const indexDir = await copyIndex();
    await cp(
      await buildFile(indexDir, ''),
      path.join(indexDir, 'build-20261130T000000000Z-dead00.999.beef.tmp'),
      {
        recursive: true,
      },
    );
    await writeFile(path.join(indexDir, '.manifest.json.999.beef.tmp'), '{"half');
    const index = await loadIndex({ corpusDir, indexDir });
    expect(index.chunks.length).toBeGreaterThan(0);
  });
});

describe('stale index', () => {
  it('is detected when a corpus document changed, naming the document; a build then reuses the rest', async () => {
    const staleCorpus = path.join(root, 'corpus-stale');
    await cp(corpusDir, staleCorpus, { recursive: true });
    const indexDir = await copyIndex();
    await loadIndex({ corpusDir: staleCorpus, indexDir });
    const { build: previousBuild } = await readManifest(indexDir);
    await appendFile(
      path.join(staleCorpus, '004_beb946dfbc2e71d7.txt'),
      '\nBlijf in beweging, ook met rugpijn.\n',
    );
    await expect(loadIndex({ corpusDir: staleCorpus, indexDir })).rejects.toMatchObject({
      code: 'index_stale',
      message: expect.stringContaining('004_beb946dfbc2e71d7.txt') as unknown,
    });
    const report = await buildIndex({ corpusDir: staleCorpus, indexDir });
    expect(report).toMatchObject({ status: 'built', documents: 5, reusedDocuments: 4 });
    await expect(loadIndex({ corpusDir: staleCorpus, indexDir })).resolves.toBeDefined();
    // Only the new build, the previous one (kept for a server still loading it) and the manifest remain.
    expect((await readdir(indexDir)).sort()).toEqual([previousBuild, report.build, 'manifest.json'].sort());
  });
});

describe('ensureIndex', () => {
  it.each([BUILD_FILES.vectors, 'manifest.json'])(
    'rebuilds after a corrupt %s, saying why, and returns a working index',
    async (name) => {
      const indexDir = await copyIndex();
      const file = name === 'manifest.json' ? path.join(indexDir, name) : await buildFile(indexDir, name);
      await truncate(file, 10);
      const reasons: AppError[] = [];
      const index = await ensureIndex({ corpusDir, indexDir, onRebuild: (r) => reasons.push(r) });
      expect(reasons.map((r) => r.code)).toEqual(['index_corrupt']);
      expect(reasons[0]?.message).toContain(name);
      expect(index.chunks.length).toBe(index.manifest.chunks);
      await expect(loadIndex({ corpusDir, indexDir })).resolves.toBeDefined();
    },
  );

  it('rebuilds an index of the previous format version (1: .txt only, JSON postings) cleanly', async () => {
    const indexDir = await copyIndex();
    const manifest = JSON.parse(await readFile(path.join(indexDir, 'manifest.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    // What a version-1 manifest looked like: no paths, no skipped list, no sources.json hash.
    const { skipped: _s, sourcesSha256: _h, ...v1 } = manifest;
    await writeFile(path.join(indexDir, 'manifest.json'), JSON.stringify({ ...v1, formatVersion: 1 }));
    const reasons: AppError[] = [];
    const index = await ensureIndex({ corpusDir, indexDir, onRebuild: (r) => reasons.push(r) });
    expect(reasons.map((r) => r.code)).toEqual(['index_mismatch']);
    expect(reasons[0]?.message).toMatch(/format 1/);
    expect(index.manifest.formatVersion).toBe(2);
    expect(index.manifest.build).not.toBe(manifest.build);
    expect(await readdir(indexDir)).toEqual(expect.arrayContaining([index.manifest.build]));
  });

  it('rebuilds an index whose documents came from older extraction code', async () => {
    const indexDir = await copyIndex();
    const manifest = JSON.parse(await readFile(path.join(indexDir, 'manifest.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    await writeFile(
      path.join(indexDir, 'manifest.json'),
      JSON.stringify({ ...manifest, extractorVersion: 'extract-0' }),
    );
    await expect(loadIndex({ corpusDir, indexDir })).rejects.toMatchObject({
      code: 'index_stale',
      message: /extract-0/,
    });
    const report = await buildIndex({ corpusDir, indexDir });
    expect(report).toMatchObject({ status: 'built', reusedDocuments: 0 });
  });

  it('does not rebuild an intact index', async () => {
    const indexDir = await copyIndex();
    const before = await readManifest(indexDir);
    const reasons: AppError[] = [];
    const index = await ensureIndex({ corpusDir, indexDir, onRebuild: (r) => reasons.push(r) });
    expect(reasons).toEqual([]);
    expect(index.manifest.build).toBe(before.build);
  });
});
