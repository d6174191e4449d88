import { treeScore, type TreeNode } from './model.js';

/**
 * Fitting the answer ranker: L2-regularised linear scores by full-batch gradient descent on standardised
 * features, optionally followed by gradient-boosted shallow regression trees on what the linear score gets
 * wrong. No randomness and fixed iteration counts, so the same pairs give the same model bit for bit.
 */

/** One labelled (question, sentence) pair. */
export interface LabelledPair {
  /** Index of the question the pair belongs to (for per-question weighting). */
  question: number;
  x: number[];
  /** 1 when the sentence holds a fact of the question's answer. */
  y: 0 | 1;
}

export interface FitOptions {
  /** L2 penalty on the weights (not the bias); default 0.01. */
  l2?: number;
  /** Gradient steps; default 800. */
  iterations?: number;
  /** Step size; default 0.5. */
  learningRate?: number;
  /** Boosting rounds after the linear fit (listwise only); default 0 (no trees). */
  rounds?: number;
  /** Depth of each tree (splits from root to leaf); default 2. */
  depth?: number;
  /** Shrinkage: the share of each tree's step that is taken; default 0.1. */
  shrinkage?: number;
  /** Fewest pairs on each side of a split; default 20. */
  minLeaf?: number;
  /**
   * Sign each linear weight must keep (listwise only): +1 never below 0, -1 never above 0, 0 free. The
   * linear weights are projected after every step (projected gradient descent). Default: all free.
   */
  signs?: readonly number[];
}

export interface FittedModel {
  mean: number[];
  std: number[];
  weights: number[];
  bias: number;
  /** Regression trees added to the linear score, leaves in calibrated log-odds ([] when not boosted). */
  trees: (TreeNode | number)[];
}

/**
 * Fits the model. Each question's pairs weigh 1 in total, so a question with many candidate sentences does
 * not dominate; positives and negatives of a question are then balanced 1:1 within that weight, because
 * what matters is ranking a question's answering sentences above its others.
 */
export function fitLogistic(pairs: readonly LabelledPair[], dims: number, options: FitOptions = {}): FittedModel {
  const l2 = options.l2 ?? 0.01;
  const iterations = options.iterations ?? 800;
  const lr = options.learningRate ?? 0.5;
  const n = pairs.length;
  const { mean, std, z } = standardise(pairs, dims);
  const counts = new Map<string, number>();
  for (const p of pairs) counts.set(`${p.question}:${p.y}`, (counts.get(`${p.question}:${p.y}`) ?? 0) + 1);
  const sampleWeight = pairs.map((p) => 0.5 / (counts.get(`${p.question}:${p.y}`) as number));
  const totalWeight = sampleWeight.reduce((a, b) => a + b, 0);

  const w = new Array<number>(dims).fill(0);
  let b = 0;
  for (let it = 0; it < iterations; it++) {
    const gw = new Array<number>(dims).fill(0);
    let gb = 0;
    for (let i = 0; i < n; i++) {
      const zi = z[i] as number[];
      let s = b;
      for (let j = 0; j < dims; j++) s += (w[j] as number) * (zi[j] as number);
      const err = ((1 / (1 + Math.exp(-s)) - (pairs[i] as LabelledPair).y) * (sampleWeight[i] as number)) / totalWeight;
      gb += err;
      for (let j = 0; j < dims; j++) gw[j] = (gw[j] as number) + err * (zi[j] as number);
    }
    for (let j = 0; j < dims; j++) w[j] = (w[j] as number) - lr * ((gw[j] as number) + l2 * (w[j] as number));
    b -= lr * gb;
  }
  return { mean, std, weights: w, bias: b, trees: [] };
}

/**
 * Listwise fit: per question, a softmax over its candidates' scores is pulled towards a uniform distribution
 * over its positives (the "conditional logit" / ListNet top-one objective), so the model is learned for what
 * the answer needs — the answering sentence ranked first among its own question's candidates. First a linear
 * score over standardised features; then (`rounds` > 0) gradient-boosted regression trees on the raw features,
 * each a Newton step on the same objective, which catch interactions a linear score cannot. Finally a 1-D
 * logistic (Platt) calibration of the total score on the pointwise labels turns scores into probabilities,
 * so thresholds mean the same across questions. Deterministic like {@link fitLogistic}.
 */
export function fitListwise(pairs: readonly LabelledPair[], dims: number, options: FitOptions = {}): FittedModel {
  const l2 = options.l2 ?? 0.01;
  const iterations = options.iterations ?? 800;
  const lr = options.learningRate ?? 0.5;
  const { mean, std, z } = standardise(pairs, dims);
  const groups = new Map<number, number[]>();
  pairs.forEach((p, i) => groups.set(p.question, [...(groups.get(p.question) ?? []), i]));
  const lists = [...groups.values()].filter((idx) => idx.some((i) => (pairs[i] as LabelledPair).y === 1));
  const w = new Array<number>(dims).fill(0);
  for (let it = 0; it < iterations; it++) {
    const gw = new Array<number>(dims).fill(0);
    const score = z.map((zi) => dot(w, zi));
    for (const idx of lists) {
      const { grad } = listGradients(idx, score, pairs);
      idx.forEach((i, k) => {
        const g = (grad[k] as number) / lists.length;
        const zi = z[i] as number[];
        for (let j = 0; j < dims; j++) gw[j] = (gw[j] as number) + g * (zi[j] as number);
      });
    }
    for (let j = 0; j < dims; j++) {
      const next = (w[j] as number) - lr * ((gw[j] as number) + l2 * (w[j] as number));
      const sign = options.signs?.[j] ?? 0;
      w[j] = sign > 0 ? Math.max(0, next) : sign < 0 ? Math.min(0, next) : next;
    }
  }
  const s = z.map((zi) => dot(w, zi));
  const trees = boostTrees(pairs, lists, s, options);
  // Platt calibration: p = sigmoid(a·s + b) fitted on all pairs (each question weighing 1, classes balanced).
  const cal = fitLogistic(
    pairs.map((p, i) => ({ question: p.question, x: [s[i] as number], y: p.y })),
    1,
    { l2: 0, iterations, learningRate: lr },
  );
  const a = (cal.weights[0] as number) / (cal.std[0] as number);
  const b = cal.bias - a * (cal.mean[0] as number);
  return { mean, std, weights: w.map((x) => x * a), bias: b, trees: trees.map((t) => scaleLeaves(t, a)) };
}

/** Softmax top-one gradient and curvature of one question's candidates at the current scores. */
function listGradients(
  idx: readonly number[],
  score: readonly number[],
  pairs: readonly LabelledPair[],
): { grad: number[]; hess: number[] } {
  const scores = idx.map((i) => score[i] as number);
  const max = Math.max(...scores);
  const exps = scores.map((v) => Math.exp(v - max));
  const sum = exps.reduce((x, y) => x + y, 0);
  const positives = idx.filter((i) => (pairs[i] as LabelledPair).y === 1).length;
  const grad: number[] = [];
  const hess: number[] = [];
  idx.forEach((i, k) => {
    const p = (exps[k] as number) / sum;
    grad.push(p - ((pairs[i] as LabelledPair).y === 1 ? 1 / positives : 0));
    hess.push(Math.max(p * (1 - p), 1e-6));
  });
  return { grad, hess };
}

/** Candidate split points per feature: up to 15 quantiles of its distinct raw values. */
function splitPoints(pairs: readonly LabelledPair[], dims: number): number[][] {
  return Array.from({ length: dims }, (_, f) => {
    const values = [...new Set(pairs.map((p) => p.x[f] as number))].sort((x, y) => x - y);
    if (values.length <= 16) return values.slice(0, -1);
    return Array.from({ length: 15 }, (_, k) => values[Math.floor(((k + 1) * values.length) / 16)] as number);
  });
}

/**
 * Gradient boosting on the listwise objective: each round fits a depth-limited regression tree to the
 * Newton step (−gradient / curvature, L2 of 1 on leaf values) and adds `shrinkage` of it to the scores.
 * `score` is updated in place; the trees are returned in score units (shrinkage applied).
 */
function boostTrees(
  pairs: readonly LabelledPair[],
  lists: readonly number[][],
  score: number[],
  options: FitOptions,
): (TreeNode | number)[] {
  const rounds = options.rounds ?? 0;
  if (rounds === 0 || pairs.length === 0) return [];
  const depth = options.depth ?? 2;
  const shrinkage = options.shrinkage ?? 0.1;
  const minLeaf = options.minLeaf ?? 20;
  const dims = (pairs[0] as LabelledPair).x.length;
  const thresholds = splitPoints(pairs, dims);
  const rows = lists.flat();
  const trees: (TreeNode | number)[] = [];
  for (let round = 0; round < rounds; round++) {
    const g = new Array<number>(pairs.length).fill(0);
    const h = new Array<number>(pairs.length).fill(0);
    for (const idx of lists) {
      const { grad, hess } = listGradients(idx, score, pairs);
      idx.forEach((i, k) => {
        g[i] = grad[k] as number;
        h[i] = hess[k] as number;
      });
    }
    const tree = scaleLeaves(growTree(rows, pairs, g, h, depth, thresholds, minLeaf), shrinkage);
    trees.push(tree);
    for (const i of rows) score[i] = (score[i] as number) + treeScore(tree, (pairs[i] as LabelledPair).x);
  }
  return trees;
}

function growTree(
  rows: readonly number[],
  pairs: readonly LabelledPair[],
  g: readonly number[],
  h: readonly number[],
  depth: number,
  thresholds: readonly number[][],
  minLeaf: number,
): TreeNode | number {
  let G = 0;
  let H = 0;
  for (const i of rows) {
    G += g[i] as number;
    H += h[i] as number;
  }
  const leaf = -G / (H + 1);
  if (depth === 0 || rows.length < 2 * minLeaf) return leaf;
  const base = (G * G) / (H + 1);
  let best = { gain: 1e-9, f: -1, t: 0 };
  thresholds.forEach((points, f) => {
    for (const t of points) {
      let GL = 0;
      let HL = 0;
      let nL = 0;
      for (const i of rows) {
        if (((pairs[i] as LabelledPair).x[f] as number) <= t) {
          GL += g[i] as number;
          HL += h[i] as number;
          nL++;
        }
      }
      if (nL < minLeaf || rows.length - nL < minLeaf) continue;
      const GR = G - GL;
      const HR = H - HL;
      const gain = (GL * GL) / (HL + 1) + (GR * GR) / (HR + 1) - base;
      if (gain > best.gain) best = { gain, f, t };
    }
  });
  if (best.f < 0) return leaf;
  const left = rows.filter((i) => ((pairs[i] as LabelledPair).x[best.f] as number) <= best.t);
  const right = rows.filter((i) => ((pairs[i] as LabelledPair).x[best.f] as number) > best.t);
  return {
    f: best.f,
    t: best.t,
    l: growTree(left, pairs, g, h, depth - 1, thresholds, minLeaf),
    r: growTree(right, pairs, g, h, depth - 1, thresholds, minLeaf),
  };
}

function scaleLeaves(tree: TreeNode | number, by: number): TreeNode | number {
  return typeof tree === 'number' ? tree * by : { ...tree, l: scaleLeaves(tree.l, by), r: scaleLeaves(tree.r, by) };
}

function dot(w: readonly number[], z: readonly number[]): number {
  let s = 0;
  for (let j = 0; j < w.length; j++) s += (w[j] as number) * (z[j] as number);
  return s;
}

function standardise(pairs: readonly LabelledPair[], dims: number): { mean: number[]; std: number[]; z: number[][] } {
  const n = pairs.length;
  const mean = new Array<number>(dims).fill(0);
  const std = new Array<number>(dims).fill(0);
  for (const p of pairs) for (let j = 0; j < dims; j++) mean[j] = (mean[j] as number) + (p.x[j] as number) / n;
  for (const p of pairs) {
    for (let j = 0; j < dims; j++) std[j] = (std[j] as number) + ((p.x[j] as number) - (mean[j] as number)) ** 2 / n;
  }
  // A constant feature gets std 1 (its standardised value is 0 and its weight stays 0).
  for (let j = 0; j < dims; j++) std[j] = Math.sqrt(std[j] as number) || 1;
  return { mean, std, z: pairs.map((p) => p.x.map((v, j) => (v - (mean[j] as number)) / (std[j] as number))) };
}

/**
 * The probability threshold with the best F1 for "this sentence holds a fact" over scored pairs (ties: the
 * higher threshold, i.e. the shorter answer). Candidates are the pairs' own probabilities.
 */
export function bestF1Threshold(scored: readonly { p: number; y: 0 | 1 }[], beta = 1): number {
  const sorted = [...scored].sort((a, b) => b.p - a.p);
  const positives = sorted.filter((s) => s.y === 1).length;
  let tp = 0;
  let best = { f: -1, t: 1 };
  sorted.forEach((s, i) => {
    if (s.y === 1) tp++;
    const precision = tp / (i + 1);
    const recall = positives > 0 ? tp / positives : 0;
    const b2 = beta * beta;
    const f = precision + recall > 0 ? ((1 + b2) * precision * recall) / (b2 * precision + recall) : 0;
    if (f > best.f + 1e-12) best = { f, t: s.p };
  });
  return best.t;
}
