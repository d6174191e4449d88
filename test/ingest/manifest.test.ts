import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  INDEX_FORMAT_VERSION,
  readManifest,
  readVerifiedFiles,
  sha256,
  type Manifest,
} from '../../src/ingest/manifest.js';
import { ANALYZER_VERSION } from '../../src/ingest/index-text.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rugwijs-manifest-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const CHUNKS = '[{"id":"004_beb946dfbc2e71d7#0","text":"Blijf bewegen bij lage rugpijn."}]';
const BM25 = '{"format":"bm25"}';

function manifest(overrides: Partial<Manifest> = {}): Manifest {
  return {
    formatVersion: INDEX_FORMAT_VERSION,
    builtAt: '2026-11-30T12:00:00.000Z',
    build: 'build-20261130T120000000Z-abc123',
    corpus: [{ file: '004_beb946dfbc2e71d7.txt', path: '004_beb946dfbc2e71d7.txt', sha256: sha256('tekst') }],
    skipped: [],
    sourcesSha256: '',
    chunker: { minWords: 60, maxWords: 220, overlapSentences: 1 },
    analyzerVersion: ANALYZER_VERSION,
    extractorVersion: 'extract-2',
    embedder: { id: 'corpus-lsa-v1', dimension: 76 },
    chunks: 1,
    files: { 'chunks.json': sha256(CHUNKS), 'bm25.json': sha256(BM25) },
    ...overrides,
  };
}

async function writeIndex(m: Manifest, text = JSON.stringify(m, null, 2)): Promise<void> {
  await writeFile(path.join(dir, 'manifest.json'), text);
  await mkdir(path.join(dir, m.build), { recursive: true });
  await writeFile(path.join(dir, m.build, 'chunks.json'), CHUNKS);
  await writeFile(path.join(dir, m.build, 'bm25.json'), BM25);
}

describe('sha256', () => {
  it('hashes strings and bytes alike (hex)', () => {
    expect(sha256('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256(new TextEncoder().encode('rugpijn'))).toBe(sha256('rugpijn'));
  });
});

describe('readManifest', () => {
  it('reads a valid manifest', async () => {
    await writeIndex(manifest());
    await expect(readManifest(dir)).resolves.toEqual(manifest());
  });

  it('says index_missing when there is none', async () => {
    await expect(readManifest(dir)).rejects.toMatchObject({
      code: 'index_missing',
      message: expect.stringContaining('npm run ingest') as unknown,
    });
  });

  it('refuses every truncation of a valid manifest with index_corrupt naming the file', async () => {
    const text = JSON.stringify(manifest(), null, 2);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: text.length - 1 }), async (cut) => {
        await writeFile(path.join(dir, 'manifest.json'), text.slice(0, cut));
        await expect(readManifest(dir)).rejects.toMatchObject({
          code: 'index_corrupt',
          message: expect.stringContaining('manifest.json') as unknown,
        });
      }),
      { numRuns: 60, seed: 11 },
    );
  });

  it.each([
    ['a build folder that is a path', { build: '../../etc' }],
    ['a negative chunk count', { chunks: -1 }],
    ['a zero embedder dimension', { embedder: { id: 'corpus-lsa-v1', dimension: 0 } }],
    ['a missing file list', { files: undefined }],
  ])('refuses a manifest with %s as index_corrupt', async (_name, overrides) => {
    await writeIndex(manifest(), JSON.stringify({ ...manifest(), ...overrides }));
    await expect(readManifest(dir)).rejects.toMatchObject({ code: 'index_corrupt' });
  });

  it('refuses another format version as index_mismatch', async () => {
    await writeIndex(manifest(), JSON.stringify({ ...manifest(), formatVersion: INDEX_FORMAT_VERSION + 1 }));
    await expect(readManifest(dir)).rejects.toMatchObject({ code: 'index_mismatch' });
  });

  it.each(['null', '[]', '"manifest"', '42', '{}'])('refuses %s as index_corrupt', async (text) => {
    await writeFile(path.join(dir, 'manifest.json'), text);
    await expect(readManifest(dir)).rejects.toMatchObject({ code: 'index_corrupt' });
  });
});

describe('readVerifiedFiles', () => {
  it('returns every listed file when all checksums match', async () => {
    const m = manifest();
    await writeIndex(m);
    const files = await readVerifiedFiles(dir, m);
    expect([...files.keys()].sort()).toEqual(['bm25.json', 'chunks.json']);
    expect(files.get('chunks.json')?.toString('utf8')).toBe(CHUNKS);
  });

  it('refuses a missing file as index_corrupt naming it', async () => {
    const m = manifest();
    await writeIndex(m);
    await rm(path.join(dir, m.build, 'bm25.json'));
    await expect(readVerifiedFiles(dir, m)).rejects.toMatchObject({
      code: 'index_corrupt',
      message: expect.stringContaining('bm25.json is missing') as unknown,
    });
  });

  it('refuses any truncated or edited file as index_corrupt naming it', async () => {
    const m = manifest();
    await writeIndex(m);
    const edit = fc.oneof(
      fc.integer({ min: 0, max: CHUNKS.length - 1 }).map((cut) => CHUNKS.slice(0, cut)),
      fc
        .tuple(fc.integer({ min: 0, max: CHUNKS.length - 1 }), fc.string({ minLength: 1, maxLength: 1 }))
        .map(([at, ch]) => CHUNKS.slice(0, at) + ch + CHUNKS.slice(at + 1))
        .filter((t) => t !== CHUNKS),
      fc.string().map((extra) => CHUNKS + (extra || ' ')),
    );
    await fc.assert(
      fc.asyncProperty(edit, async (text) => {
        await writeFile(path.join(dir, m.build, 'chunks.json'), text);
        await expect(readVerifiedFiles(dir, m)).rejects.toMatchObject({
          code: 'index_corrupt',
          message: expect.stringContaining('chunks.json does not match its checksum') as unknown,
        });
      }),
      { numRuns: 60, seed: 13 },
    );
  });
});
