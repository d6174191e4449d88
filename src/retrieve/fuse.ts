/** One ranker's ordered list of ids (best first). */
export type Ranking = readonly string[];

/**
 * Weighted reciprocal rank fusion: score(id) = Σ_r weight_r / (rrfK + rank_r(id)), rank from 1.
 * RRF needs no score calibration between BM25 (unbounded) and cosine similarity, which is why it is used.
 * @param rrfK damping constant (default 60, the value from Cormack et al. 2009).
 */
export function reciprocalRankFusion(
  rankings: { ranking: Ranking; weight: number }[],
  rrfK = 60,
): Map<string, number> {
  const scores = new Map<string, number>();
  for (const { ranking, weight } of rankings) {
    ranking.forEach((id, i) => {
      scores.set(id, (scores.get(id) ?? 0) + weight / (rrfK + i + 1));
    });
  }
  return scores;
}
