/**
 * Fitting the answer ranker: L2-regularised logistic regression by full-batch gradient descent on
 * standardised features. No randomness and a fixed iteration count, so the same pairs give the same model
 * bit for bit.
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
}

export interface FittedModel {
  mean: number[];
  std: number[];
  weights: number[];
  bias: number;
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
  return { mean, std, weights: w, bias: b };
}

/**
 * Listwise fit: per question, a softmax over its candidates' linear scores is pulled towards a uniform
 * distribution over its positives (the "conditional logit" / ListNet top-one objective), so the weights
 * are learned for what the answer needs — the answering sentence ranked first among its own question's
 * candidates. Then a 1-D logistic (Platt) calibration of the scores on the pointwise labels turns scores
 * into probabilities, so thresholds mean the same across questions. Deterministic like {@link fitLogistic}.
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
    for (const idx of lists) {
      const scores = idx.map((i) => dot(w, z[i] as number[]));
      const max = Math.max(...scores);
      const exps = scores.map((s) => Math.exp(s - max));
      const sum = exps.reduce((a, b) => a + b, 0);
      const positives = idx.filter((i) => (pairs[i] as LabelledPair).y === 1).length;
      idx.forEach((i, k) => {
        const target = (pairs[i] as LabelledPair).y === 1 ? 1 / positives : 0;
        const g = ((exps[k] as number) / sum - target) / lists.length;
        const zi = z[i] as number[];
        for (let j = 0; j < dims; j++) gw[j] = (gw[j] as number) + g * (zi[j] as number);
      });
    }
    for (let j = 0; j < dims; j++) w[j] = (w[j] as number) - lr * ((gw[j] as number) + l2 * (w[j] as number));
  }
  // Platt calibration: p = sigmoid(a·s + b) fitted on all pairs (each question weighing 1, classes balanced).
  const s = z.map((zi) => dot(w, zi));
  const cal = fitLogistic(
    pairs.map((p, i) => ({ question: p.question, x: [s[i] as number], y: p.y })),
    1,
    { l2: 0, iterations, learningRate: lr },
  );
  const a = (cal.weights[0] as number) / (cal.std[0] as number);
  const b = cal.bias - a * (cal.mean[0] as number);
  return { mean, std, weights: w.map((x) => x * a), bias: b };
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
