import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// Installed before any module is imported: transformers.js binds globalThis.fetch when it loads, so a
// spy set later would miss calls made through its own reference.
const fetchSpy = vi.hoisted(() =>
  vi
    .spyOn(globalThis, 'fetch')
    .mockImplementation(() => Promise.reject(new Error('network access attempted in a test'))),
);

import { Embeddings } from '@langchain/core/embeddings';
import { env } from '@huggingface/transformers';
import { TransformersEmbedder } from '../../src/index/transformers-embedder.js';
import { buildTinyModel, type TinyModel } from '../helpers/tiny-model.js';

const dot = (a: number[], b: number[]): number => a.reduce((s, x, i) => s + x * (b[i] ?? 0), 0);

describe('TransformersEmbedder (tiny local ONNX model)', () => {
  let model: TinyModel;
  let padded: TinyModel;
  let embedder: TransformersEmbedder;
  const envFetch = vi.fn(() => Promise.reject(new Error('network access attempted in a test')));

  beforeAll(async () => {
    env.fetch = envFetch as unknown as typeof env.fetch;
    model = await buildTinyModel({ hidden: 32 });
    padded = await buildTinyModel({
      hidden: 32,
      name: 'tiny-bert-padded',
      tokenizerConfig: { pad_token: '[PAD]' },
    });
    embedder = await TransformersEmbedder.load(model.modelDir);
  });

  afterAll(async () => {
    await embedder.dispose();
    await model.cleanup();
    await padded.cleanup();
  });

  it('loads from the folder offline, with the folder name as id and the hidden size as dimension', () => {
    expect(embedder).toBeInstanceOf(Embeddings);
    expect(embedder.id).toBe('transformers:tiny-bert');
    expect(embedder.dimension).toBe(32);
    expect(env.allowRemoteModels).toBe(false);
    expect(env.useFSCache).toBe(false);
  });

  it('returns L2-normalized vectors of the declared dimension', async () => {
    const vectors = await embedder.embedDocuments([
      'Lage rugpijn',
      'Het weer is zonnig',
      'kaas en brood op de markt',
    ]);
    expect(vectors).toHaveLength(3);
    for (const v of vectors) {
      expect(v).toHaveLength(32);
      expect(Math.sqrt(dot(v, v))).toBeCloseTo(1, 5);
    }
  });

  it('scores texts that share vocabulary words above texts that share none', async () => {
    const [a, b, c] = await embedder.embedDocuments([
      'rug pijn bij bewegen',
      'oefeningen helpen bij rug pijn',
      'zonnig weer op de markt',
    ]);
    expect(dot(a ?? [], b ?? [])).toBeGreaterThan(dot(a ?? [], c ?? []));
    expect(dot(a ?? [], b ?? [])).toBeGreaterThan(dot(b ?? [], c ?? []));
  });

  it('gives the same vector for a text alone or inside a batch of unequal lengths', async () => {
    const texts = ['rug', 'oefeningen helpen bij lage rug pijn en bewegen', 'kaas'];
    const batch = await embedder.embedDocuments(texts);
    for (const [i, t] of texts.entries()) {
      const single = await embedder.embedQuery(t);
      single.forEach((x, j) => expect(x).toBeCloseTo(batch[i]?.[j] ?? Number.NaN, 6));
    }
    // A tokenizer with a pad token embeds the whole batch in one padded pass; mean pooling ignores padding.
    const withPad = await TransformersEmbedder.load(padded.modelDir, { batchSize: 8 });
    const paddedBatch = await withPad.embedDocuments(texts);
    paddedBatch.forEach((v, i) => v.forEach((x, j) => expect(x).toBeCloseTo(batch[i]?.[j] ?? Number.NaN, 6)));
    await withPad.dispose();
  });

  it('honours pooling and normalize options', async () => {
    const raw = await TransformersEmbedder.load(model.modelDir, { normalize: false });
    const v = await raw.embedQuery('rug pijn rug pijn');
    expect(Math.abs(Math.sqrt(dot(v, v)) - 1)).toBeGreaterThan(1e-3);
    const cls = await TransformersEmbedder.load(model.modelDir, { pooling: 'cls', normalize: false });
    // [CLS] has a zero embedding in the tiny model.
    expect((await cls.embedQuery('rug pijn')).every((x) => x === 0)).toBe(true);
    await raw.dispose();
    await cls.dispose();
  });

  it('rejects a missing folder with config_error', async () => {
    await expect(TransformersEmbedder.load(path.join(model.root, 'no-such-model'))).rejects.toMatchObject({
      code: 'config_error',
      message: expect.stringContaining('does not exist'),
    });
  });

  it('rejects an incomplete folder with config_error naming the missing file', async () => {
    const broken = await buildTinyModel({ name: 'incomplete' });
    await rm(path.join(broken.modelDir, 'onnx', 'model.onnx'));
    await rm(path.join(broken.modelDir, 'tokenizer_config.json'));
    await expect(TransformersEmbedder.load(broken.modelDir)).rejects.toMatchObject({
      code: 'config_error',
      message: expect.stringMatching(/tokenizer_config\.json, onnx[/\\]model\.onnx/),
    });
    await broken.cleanup();
  });

  it('rejects an unreadable model file with config_error', async () => {
    const broken = await buildTinyModel({ name: 'garbage' });
    await writeFile(path.join(broken.modelDir, 'onnx', 'model.onnx'), 'not a protobuf');
    await expect(TransformersEmbedder.load(broken.modelDir)).rejects.toMatchObject({ code: 'config_error' });
    await broken.cleanup();
  });

  it('never attempts a network request', () => {
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(envFetch).not.toHaveBeenCalled();
  });
});
