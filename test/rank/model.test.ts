import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FEATURE_NAMES } from '../../src/rank/features.js';
import { loadRankModel, neutralModel } from '../../src/rank/model.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

describe('the shipped ranker model', () => {
  it('matches the code feature list and states what it was trained on', () => {
    const m = loadRankModel();
    expect(m.features).toEqual([...FEATURE_NAMES]);
    expect(m.trainedOn.files).toContain('eval/gold.jsonl');
    // The test split is what the ranker is reported on: it is never trained on.
    expect(m.trainedOn.files.some((f) => f.includes('#test'))).toBe(false);
    expect(m.trainedOn.positives).toBeGreaterThan(0);
    expect(m.extraThreshold).toBeGreaterThan(0);
  });

  it('refuses a model trained on other features', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'rugwijs-model-'));
    const file = path.join(dir, 'model.json');
    const m = neutralModel();
    await writeFile(file, JSON.stringify({ ...m, features: [...m.features.slice(1), 'something_else'] }));
    expect(() => loadRankModel(pathToFileURL(file))).toThrow(/npm run train/);
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses a model whose trees split on a feature the code does not compute', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'rugwijs-model-'));
    const file = path.join(dir, 'model.json');
    const m = neutralModel();
    await writeFile(file, JSON.stringify({ ...m, trees: [{ f: m.features.length, t: 0.5, l: 0.1, r: -0.1 }] }));
    expect(() => loadRankModel(pathToFileURL(file))).toThrow(/npm run train/);
    await writeFile(file, JSON.stringify({ ...m, trees: [{ f: 0, t: 0.5, l: 0.1, r: -0.1 }] }));
    expect(loadRankModel(pathToFileURL(file)).trees).toHaveLength(1);
    await rm(dir, { recursive: true, force: true });
  });

  it('is reproduced bit for bit by npm run train', async () => {
    const indexDir = await mkdtemp(path.join(os.tmpdir(), 'rugwijs-train-index-'));
    try {
      const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/train.ts', '--check'], {
        cwd: ROOT,
        env: { ...process.env, RUGWIJS_INDEX_DIR: indexDir, RUGWIJS_LLM_BASE_URL: '' },
        encoding: 'utf8',
        timeout: 240_000,
      });
      expect(run.stderr + run.stdout).toContain('reproduced bit for bit');
      expect(run.status).toBe(0);
    } finally {
      await rm(indexDir, { recursive: true, force: true });
    }
  }, 300_000);
});
