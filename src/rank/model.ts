import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { FEATURE_NAMES } from './features.js';

/**
 * The answer ranker: a linear score over {@link FEATURE_NAMES} plus a few shallow regression trees fitted to
 * what the linear score gets wrong (interactions such as "a counted number matters only for a hoeveel-question"),
 * turned into a probability by a logistic link. Trained by `npm run train` (`src/cli/train.ts`) and stored
 * as versioned JSON (`model.json` beside this file) with its feature list, standardisation and the thresholds
 * chosen on the training data.
 */

/** A regression tree node: go left when feature `f` (raw value) ≤ `t`; a leaf is its score (log-odds). */
export type TreeNode = { f: number; t: number; l: TreeNode | number; r: TreeNode | number };
export const TreeNodeSchema: z.ZodType<TreeNode> = z.lazy(() =>
  z.strictObject({
    f: z.number().int().min(0),
    t: z.number(),
    l: z.union([z.number(), TreeNodeSchema]),
    r: z.union([z.number(), TreeNodeSchema]),
  }),
);

export const RankModelSchema = z.strictObject({
  version: z.literal(2),
  kind: z.literal('boosted-logistic'),
  features: z.array(z.string()),
  mean: z.array(z.number()),
  std: z.array(z.number().positive()),
  weights: z.array(z.number()),
  bias: z.number(),
  /** Trees added to the linear score (leaves already scaled; [] = plain logistic regression). */
  trees: z.array(z.union([z.number(), TreeNodeSchema])),
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
  hyper: z.strictObject({
    l2: z.number(),
    iterations: z.number().int(),
    learningRate: z.number(),
    /** Boosting rounds (trees), tree depth, shrinkage per tree, and fewest pairs in a leaf. */
    rounds: z.number().int().min(0),
    depth: z.number().int().min(0),
    shrinkage: z.number(),
    minLeaf: z.number().int().min(1),
  }),
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
  const sized =
    [model.mean, model.std, model.weights].every((a) => a.length === model.features.length) &&
    model.trees.every((t) => treeFeaturesBelow(t, model.features.length));
  if (!same || !sized) {
    throw new AppError(
      'config_error',
      'Answer ranker model.json was trained on other features than the code computes; run "npm run train".',
    );
  }
  return model;
}

function treeFeaturesBelow(t: TreeNode | number, n: number): boolean {
  return typeof t === 'number' || (t.f < n && treeFeaturesBelow(t.l, n) && treeFeaturesBelow(t.r, n));
}

/** The leaf score a tree gives a (raw) feature vector. */
export function treeScore(tree: TreeNode | number, x: readonly number[]): number {
  let node = tree;
  while (typeof node !== 'number') node = (x[node.f] as number) <= node.t ? node.l : node.r;
  return node;
}

/** Score (log-odds) of a feature vector: the linear part over standardised features plus the trees. */
export function modelScore(model: RankModel, x: readonly number[]): number {
  let s = model.bias;
  for (let i = 0; i < x.length; i++) {
    s += (model.weights[i] as number) * (((x[i] as number) - (model.mean[i] as number)) / (model.std[i] as number));
  }
  for (const tree of model.trees) s += treeScore(tree, x);
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
    version: 2,
    kind: 'boosted-logistic',
    features: [...FEATURE_NAMES],
    mean: new Array<number>(n).fill(0),
    std: new Array<number>(n).fill(1),
    weights: new Array<number>(n).fill(0),
    bias: 0,
    trees: [],
    extraThreshold: 1,
    maxWords: 60,
    moreThreshold: 1,
    trainedOn: { files: [], questions: 0, pairs: 0, positives: 0 },
    hyper: { l2: 0, iterations: 0, learningRate: 0, rounds: 0, depth: 0, shrinkage: 0, minLeaf: 1 },
  };
}
