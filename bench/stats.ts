import { percentile } from '../src/eval/metrics.js';

/** Latency summary of a set of samples, all in milliseconds. */
export interface LatencySummary {
  n: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** p50/p95/p99/mean/max of samples (ms); linear interpolation between ranks (see src/eval/metrics.ts). */
export function summarize(samples: readonly number[]): LatencySummary {
  const n = samples.length;
  const mean = n === 0 ? Number.NaN : samples.reduce((s, v) => s + v, 0) / n;
  return {
    n,
    mean: round(mean),
    p50: round(percentile(samples, 50)),
    p95: round(percentile(samples, 95)),
    p99: round(percentile(samples, 99)),
    max: round(samples.reduce((m, v) => Math.max(m, v), n === 0 ? Number.NaN : -Infinity)),
  };
}

/**
 * Times `fn` over every item, `rounds` times after one unmeasured warm-up round (so JIT compilation and
 * lazy caches are not billed to the first questions). Returns one sample (ms) per call.
 */
export async function timeEach<T>(items: readonly T[], rounds: number, fn: (item: T) => unknown): Promise<number[]> {
  for (const item of items) await fn(item);
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const item of items) {
      const t0 = performance.now();
      await fn(item);
      samples.push(performance.now() - t0);
    }
  }
  return samples;
}

/** Rounds to 3 decimals (µs resolution is all a ms figure needs); NaN stays NaN. */
export function round(v: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/** Median of a small sample (e.g. repeated cold starts). */
export function median(values: readonly number[]): number {
  return round(percentile(values, 50));
}
