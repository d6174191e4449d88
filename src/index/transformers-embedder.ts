import { stat } from 'node:fs/promises';
import path from 'node:path';
import { Embeddings } from '@langchain/core/embeddings';
import { env, pipeline, type FeatureExtractionPipeline } from '@huggingface/transformers';
import { AppError } from '../errors.js';
import type { TextEmbedder } from './embedder.js';

/** Files a model folder must contain (relative paths). */
const REQUIRED_FILES = [
  'config.json',
  'tokenizer.json',
  'tokenizer_config.json',
  path.join('onnx', 'model.onnx'),
] as const;

/** Options of {@link TransformersEmbedder.load}. */
export interface TransformersEmbedderOptions {
  /** Token pooling: `mean` over the attention mask (default) or the first (`cls`) token. */
  pooling?: 'mean' | 'cls';
  /** L2-normalize every vector (default true). */
  normalize?: boolean;
  /** Texts per forward pass in `embedDocuments` (default 16, min 1). */
  batchSize?: number;
}

/**
 * A sentence embedder running a local ONNX model with transformers.js — for users who have a (Dutch-capable)
 * model folder. Never downloads: remote loading is disabled, the file cache is off and the folder is passed
 * as an absolute path, which transformers.js treats as a path rather than a Hub model id.
 */
export class TransformersEmbedder extends Embeddings implements TextEmbedder {
  readonly id: string;
  readonly dimension: number;
  readonly #extractor: FeatureExtractionPipeline;
  readonly #pooling: 'mean' | 'cls';
  readonly #normalize: boolean;
  readonly #batchSize: number;

  private constructor(
    id: string,
    dimension: number,
    extractor: FeatureExtractionPipeline,
    options: Required<TransformersEmbedderOptions>,
  ) {
    super({});
    this.id = id;
    this.dimension = dimension;
    this.#extractor = extractor;
    this.#pooling = options.pooling;
    this.#normalize = options.normalize;
    this.#batchSize = options.batchSize;
  }

  /**
   * Loads `modelDir` — a folder containing config.json, tokenizer.json, tokenizer_config.json and
   * onnx/model.onnx (fp32). Remote loading is disabled and no file cache is used. The id is
   * `transformers:<folder name>`; the dimension is measured by embedding one probe text.
   * Fails with AppError('config_error') naming the missing files when the folder is missing or incomplete,
   * or with the loader's message when the files cannot be loaded.
   */
  static async load(
    modelDir: string,
    options: TransformersEmbedderOptions = {},
  ): Promise<TransformersEmbedder> {
    const dir = path.resolve(modelDir);
    await assertModelFolder(dir);
    const resolved: Required<TransformersEmbedderOptions> = {
      pooling: options.pooling ?? 'mean',
      normalize: options.normalize ?? true,
      batchSize: Math.max(1, Math.floor(options.batchSize ?? 16)),
    };

    // transformers.js keeps these settings in one process-wide object; the values set here are the only
    // ones this project ever uses, so repeated loads agree with each other.
    env.allowLocalModels = true;
    env.allowRemoteModels = false;
    env.useFSCache = false; // the file cache is consulted before the local folder
    env.useBrowserCache = false;
    // Unused for an absolute path, but keeps a relative lookup inside the model's parent folder.
    env.localModelPath = path.dirname(dir);

    let extractor: FeatureExtractionPipeline;
    try {
      extractor = await pipeline('feature-extraction', dir, { dtype: 'fp32', local_files_only: true });
    } catch (e) {
      throw new AppError('config_error', `Cannot load the embedding model in "${dir}": ${errorMessage(e)}`, {
        cause: e,
      });
    }

    const probe = await runExtractor(extractor, ['test'], resolved).catch((e: unknown) => {
      throw new AppError(
        'config_error',
        `The embedding model in "${dir}" failed on a probe text: ${errorMessage(e)}`,
        { cause: e },
      );
    });
    const dimension = probe[0]?.length ?? 0;
    if (dimension === 0) {
      throw new AppError('config_error', `The embedding model in "${dir}" returned an empty vector.`);
    }
    return new TransformersEmbedder(`transformers:${path.basename(dir)}`, dimension, extractor, resolved);
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    const out: number[][] = [];
    for (let i = 0; i < texts.length; i += this.#batchSize) {
      out.push(...(await this.#embed(texts.slice(i, i + this.#batchSize))));
    }
    return out;
  }

  async embedQuery(text: string): Promise<number[]> {
    const [vector] = await this.#embed([text]);
    return vector ?? new Array<number>(this.dimension).fill(0);
  }

  /** Releases the ONNX session. */
  async dispose(): Promise<void> {
    await this.#extractor.dispose();
  }

  async #embed(texts: string[]): Promise<number[][]> {
    if (texts.length === 0) return [];
    return runExtractor(this.#extractor, texts, {
      pooling: this.#pooling,
      normalize: this.#normalize,
      batchSize: this.#batchSize,
    });
  }
}

/**
 * Runs the pipeline. A tokenizer without a pad token (e.g. an empty tokenizer_config.json) cannot pad a
 * batch, so such models embed one text per forward pass instead of failing.
 */
async function runExtractor(
  extractor: FeatureExtractionPipeline,
  texts: string[],
  options: Required<TransformersEmbedderOptions>,
): Promise<number[][]> {
  const canPad = typeof (extractor.tokenizer as { pad_token_id?: unknown }).pad_token_id === 'number';
  const groups = canPad ? [texts] : texts.map((t) => [t]);
  const out: number[][] = [];
  for (const group of groups) {
    const tensor = await extractor(group, { pooling: options.pooling, normalize: options.normalize });
    const rows = tensor.tolist() as number[][];
    out.push(...rows.map((row) => row.map((v) => (Number.isFinite(v) ? v : 0))));
  }
  return out;
}

async function assertModelFolder(dir: string): Promise<void> {
  const isDir = await stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isDir) {
    throw new AppError(
      'config_error',
      `Embedding model folder "${dir}" does not exist. It must contain ${REQUIRED_FILES.join(', ')}.`,
    );
  }
  const missing: string[] = [];
  for (const file of REQUIRED_FILES) {
    const ok = await stat(path.join(dir, file)).then(
      (s) => s.isFile(),
      () => false,
    );
    if (!ok) missing.push(file);
  }
  if (missing.length > 0) {
    throw new AppError(
      'config_error',
      `Embedding model folder "${dir}" is incomplete: missing ${missing.join(', ')}.`,
    );
  }
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
