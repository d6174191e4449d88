/**
 * Builds the index of the real corpus (corpus/) into a fresh temp dir and loads it, so retrieval, answer
 * and CLI tests run against exactly what the app serves without touching the developer's indexes/ folder.
 * Call once per test file in `beforeAll` (the ingest takes about a second) and `cleanup()` in `afterAll`.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../../src/config.js';
import { createEngine, type Engine } from '../../src/engine.js';

/** A loaded engine over the real corpus, its index in a temp dir. */
export interface TestEngine {
  engine: Engine;
  /** Config isolated from the environment: no LLM, no token, index in `indexDir`. */
  config: Config;
  /** Temp folder holding manifest.json and the build. */
  indexDir: string;
  /** Removes the temp folder. */
  cleanup(): Promise<void>;
}

/**
 * Builds (via createEngine → ensureIndex) and loads the index of the real corpus in a new temp dir.
 * The config ignores process.env so a developer's RUGWIJS_LLM_BASE_URL never makes tests reach a network.
 */
export async function buildTestEngine(overrides: Partial<Config> = {}): Promise<TestEngine> {
  const indexDir = await mkdtemp(path.join(os.tmpdir(), 'rugwijs-test-index-'));
  const config = loadConfig({}, { indexDir, logLevel: 'silent', ...overrides });
  try {
    const engine = await createEngine(config);
    return { engine, config, indexDir, cleanup: () => rm(indexDir, { recursive: true, force: true }) };
  } catch (e) {
    await rm(indexDir, { recursive: true, force: true });
    throw e;
  }
}

/**
 * Builds and loads an engine over a small corpus written for one test (file name → content), in a new temp
 * dir holding both the corpus and its index; `cleanup()` removes it.
 */
export async function buildDocEngine(files: Record<string, string>): Promise<TestEngine> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rugwijs-doc-'));
  try {
    await mkdir(path.join(dir, 'corpus'));
    for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, 'corpus', name), text);
    const indexDir = path.join(dir, 'index');
    const config = loadConfig({}, { corpusDir: path.join(dir, 'corpus'), indexDir, logLevel: 'silent' });
    const engine = await createEngine(config);
    return { engine, config, indexDir, cleanup: () => rm(dir, { recursive: true, force: true }) };
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}

/** File-name prefix of a corpus document ("001_799c….txt" → "001"). */
export function docPrefix(file: string): string {
  return file.slice(0, 3);
}
