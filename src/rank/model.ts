import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { FEATURE_NAMES } from './features.js';

/**
 * The answer ranker: a logistic regression over {@link FEATURE_NAMES}, trained by `npm run train`
 * (`src/cli/train.ts`) and stored as versioned JSON (`model.json` beside this file) with its feature list,
 * standardisation and the thresholds chosen on the training data.
 */

export const RankModelSchema = z.strictObject({
  version: z.literal(1),
  kind: z.literal('logistic-regression'),
  features: z.array(z.string()),
  mean: z.array(z.number()),
  std: z.array(z.number().positive()),
  weights: z.array(z.number()),
  bias: z.number(),
  /**
   * Probability a further sentence needs to be shown after the bottom line (chosen on the training data by
   * the best F1 of "this sentence holds a fact").
   */
  extraThreshold: z.number().min(0).max(1),
  /** Words the shown sentences may total before an extra one is left out (chosen with extraThreshold). */
  maxWords: z.number().int().positive(),
  /** Probability a sentence needs to be listed under moreEvidence (lower: recall over precision). */
  moreThreshold: z.number().min(0).max(1),
  trainedOn: z.strictObject({
    files: z.array(z.string()),
    questions: z.number().int(),
    pairs: z.number().int(),
    positives: z.number().int(),
  }),
  hyper: z.strictObject({ l2: z.number(), iterations: z.number().int(), learningRate: z.number() }),
});
export type RankModel = z.infer<typeof RankModelSchema>;

/**
 * Loads and checks the model: its feature list must be the code's, or the weights would be applied to the
 * wrong features.
 * @throws AppError 'config_error' with what to do.
 */
export function loadRankModel(file: URL = new URL('./model.json', import.meta.url)): RankModel {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new AppError('config_error', `Cannot read the answer ranker model.json: ${(error as Error).message}`);
  }
  const parsed = RankModelSchema.safeParse(raw);
  if (!parsed.success) {
    throw new AppError('config_error', `Answer ranker model.json is invalid: ${parsed.error.issues[0]?.message ?? ''}`);
  }
  const model = parsed.data;
  const same =
    model.features.length === FEATURE_NAMES.length && model.features.every((f, i) => f === FEATURE_NAMES[i]);
  const sized = [model.mean, model.std, model.weights].every((a) => a.length === model.features.length);
  if (!same || !sized) {
    throw new AppError(
      'config_error',
      'Answer ranker model.json was trained on other features than the code computes; run "npm run train".',
    );
  }
  return model;
}

/** Linear score (log-odds) of a feature vector. */
export function modelScore(model: RankModel, x: readonly number[]): number {
  let s = model.bias;
  for (let i = 0; i < x.length; i++) {
    s += (model.weights[i] as number) * (((x[i] as number) - (model.mean[i] as number)) / (model.std[i] as number));
  }
  return s;
}

/** Probability (0–1) that a sentence with these features answers the question. */
export function modelProbability(model: RankModel, x: readonly number[]): number {
  return 1 / (1 + Math.exp(-modelScore(model, x)));
}

/**
 * A model with all weights zero (every sentence 0.5): what training starts from when no model exists yet or
 * the feature list changed, so candidate pools can be built before there are weights.
 */
export function neutralModel(): RankModel {
  const n = FEATURE_NAMES.length;
  return {
    version: 1,
    kind: 'logistic-regression',
    features: [...FEATURE_NAMES],
    mean: new Array<number>(n).fill(0),
    std: new Array<number>(n).fill(1),
    weights: new Array<number>(n).fill(0),
    bias: 0,
    extraThreshold: 1,
    maxWords: 60,
    moreThreshold: 1,
    trainedOn: { files: [], questions: 0, pairs: 0, positives: 0 },
    hyper: { l2: 0, iterations: 0, learningRate: 0 },
  };
}
