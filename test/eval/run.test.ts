import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PROJECT_ROOT } from '../../src/config.js';
import { loadGold, loadRecommendations, type GoldItem } from '../../src/eval/gold.js';
import type { Report } from '../../src/eval/metrics.js';
import { answerClaims, runEvaluation } from '../../src/eval/run.js';
import { formatReport } from '../../src/cli/eval.js';
import { buildTestEngine, type TestEngine } from '../helpers/engine.js';

const ThresholdsSchema = z.object({
  overall: z.record(z.string(), z.number().min(0).max(1)),
  categories: z.record(z.string(), z.record(z.string(), z.number().min(0).max(1))),
  beatsBaseline: z.array(z.string()),
});

let t: TestEngine;
beforeAll(async () => {
  t = await buildTestEngine();
});
afterAll(async () => t.cleanup());

describe('evaluation on the gold set (regression gate)', () => {
  let report: Report;
  let thresholds: z.infer<typeof ThresholdsSchema>;
  beforeAll(async () => {
    const [gold, recs, raw] = await Promise.all([
      loadGold(path.join(PROJECT_ROOT, 'eval', 'gold.jsonl')),
      loadRecommendations(path.join(PROJECT_ROOT, 'eval', 'recommendations.json')),
      readFile(path.join(PROJECT_ROOT, 'eval', 'thresholds.json'), 'utf8'),
    ]);
    thresholds = ThresholdsSchema.parse(JSON.parse(raw));
    report = await runEvaluation(t.engine, gold, recs);
  }, 120_000);

  it('reaches every overall threshold in eval/thresholds.json', () => {
    const below = Object.entries(thresholds.overall)
      .filter(([metric, min]) => (report.overall[metric] ?? 0) < min)
      .map(([metric, min]) => `${metric}: ${report.overall[metric]} < ${min}`);
    expect(below).toEqual([]);
  });

  it('reaches every per-category threshold', () => {
    const below = Object.entries(thresholds.categories).flatMap(([category, metrics]) =>
      Object.entries(metrics)
        .filter(([metric, min]) => (report.byCategory[category]?.[metric] ?? 0) < min)
        .map(([metric, min]) => `${category}/${metric}: ${report.byCategory[category]?.[metric]} < ${min}`),
    );
    expect(below).toEqual([]);
  });

  it('beats the MiniSearch baseline where the thresholds say it must', () => {
    for (const metric of thresholds.beatsBaseline) {
      expect(report.overall[metric], metric).toBeGreaterThan(report.baseline.overall[metric] ?? 1);
    }
  });

  it('compares four retrievers on the same questions', () => {
    expect(Object.keys(report.retrievers ?? {})).toEqual(['hybrid', 'lexical', 'dense', 'minisearch']);
    expect(report.retrievers?.hybrid?.['hit@1']).toBeGreaterThan(report.retrievers?.minisearch?.['hit@1'] ?? 1);
  });

  it('prints a table with both systems and the failing questions', () => {
    const text = formatReport(report);
    expect(text).toMatch(/ours\s+MiniSearch/);
    expect(text).toContain('Failing:');
  });
});

describe('scoring rules', () => {
  const item = (over: Partial<GoldItem>): GoldItem => ({
    id: 'x1',
    question: 'Helpt oefentherapie bij acute lage rugpijn?',
    answerable: true,
    sources: ['001_799c556b91de25d4.txt'],
    facts: [],
    category: 'efficacy',
    lang: 'nl',
    ...over,
  });

  it('counts a refused unanswerable question as correct and an answered one as wrong', async () => {
    const report = await runEvaluation(t.engine, [
      item({ id: 'u1', question: 'Wat is de hoofdstad van Australië?', answerable: false, sources: [], category: 'unanswerable' }),
    ], []);
    expect(report.rows[0]?.metrics.refusalCorrect).toBe(1);
    expect(report.rows[0]?.metrics['hit@1']).toBeNull();
  });

  it('reports a missing fact by name', async () => {
    const report = await runEvaluation(t.engine, [item({ facts: [['een zin die nergens in de bronnen staat']] })], []);
    expect(report.rows[0]?.metrics.factRecall).toBe(0);
    expect(report.rows[0]?.failed.join(' ')).toContain('een zin die nergens in de bronnen staat');
  });

  it('splits an answer into cited claims', () => {
    expect(answerClaims('Eerste zin. [1] Tweede zin met 12 weken. [2][3]\n\nEen kader zonder bron.')).toEqual([
      { text: 'Eerste zin.', cites: [1] },
      { text: 'Tweede zin met 12 weken.', cites: [2, 3] },
    ]);
  });
});
