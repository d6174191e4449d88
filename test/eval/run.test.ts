import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PROJECT_ROOT } from '../../src/config.js';
import { loadGold, loadRecommendations, type GoldItem } from '../../src/eval/gold.js';
import type { Report } from '../../src/eval/metrics.js';
import { answer } from '../../src/answer/answer.js';
import { answerClaims, mergeReports, runEvaluation } from '../../src/eval/run.js';
import { splitOf } from '../../src/eval/split.js';
import { formatReport, formatSplits } from '../../src/cli/eval.js';
import { buildTestEngine, type TestEngine } from '../helpers/engine.js';

const ThresholdsSchema = z.object({
  overall: z.record(z.string(), z.number().min(0).max(1)),
  categories: z.record(z.string(), z.record(z.string(), z.number().min(0).max(1))),
  beatsBaseline: z.array(z.string()),
  splits: z.record(z.string(), z.record(z.string(), z.number().min(0).max(1))),
  maxMedianWords: z.record(z.string(), z.number().positive()),
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

  it('keeps the median answer length under its cap', () => {
    expect(report.medianWords).toBeLessThanOrEqual(thresholds.maxMedianWords.gold ?? 0);
  });

  it('compares four retrievers on the same questions', () => {
    expect(Object.keys(report.retrievers ?? {})).toEqual(['hybrid', 'lexical', 'dense', 'minisearch']);
    expect(report.retrievers?.hybrid?.['hit@1']).toBeGreaterThan(
      report.retrievers?.minisearch?.['hit@1'] ?? 1,
    );
  });

  it('prints a table with both systems and the failing questions', () => {
    const text = formatReport(report);
    expect(text).toMatch(/ours\s+MiniSearch/);
    expect(text).toContain('Failing:');
  });
});

describe('evaluation on realistic.jsonl by tune/test split (regression gate)', () => {
  let report: Report;
  let thresholds: z.infer<typeof ThresholdsSchema>;
  let n: number;
  beforeAll(async () => {
    const [items, recs, raw] = await Promise.all([
      loadGold(path.join(PROJECT_ROOT, 'eval', 'realistic.jsonl')),
      loadRecommendations(path.join(PROJECT_ROOT, 'eval', 'recommendations.json')),
      readFile(path.join(PROJECT_ROOT, 'eval', 'thresholds.json'), 'utf8'),
    ]);
    n = items.length;
    thresholds = ThresholdsSchema.parse(JSON.parse(raw));
    report = await runEvaluation(t.engine, items, recs, { splitOf });
  }, 120_000);

  it('summarizes ours and the baseline per split, every question in exactly one', () => {
    expect(Object.keys(report.splits ?? {}).sort()).toEqual(['test', 'tune']);
    expect((report.splits?.tune?.n ?? 0) + (report.splits?.test?.n ?? 0)).toBe(n);
    for (const row of report.rows) expect(row.split).toBe(splitOf(row.id));
    expect(report.splits?.test?.baseline.overall.fullyCorrect).toBeTypeOf('number');
  });

  it('reaches every split floor and word cap in eval/thresholds.json', () => {
    const below = Object.entries(thresholds.splits).flatMap(([split, metrics]) =>
      Object.entries(metrics)
        .filter(([metric, min]) => (report.splits?.[split]?.ours.overall[metric] ?? 0) < min)
        .map(
          ([metric, min]) => `${split}/${metric}: ${report.splits?.[split]?.ours.overall[metric]} < ${min}`,
        ),
    );
    expect(below).toEqual([]);
    for (const split of ['tune', 'test'])
      expect(report.splits?.[split]?.ours.medianWords, split).toBeLessThanOrEqual(
        thresholds.maxMedianWords[split] ?? 0,
      );
  });

  it('prints the splits side by side, ours and baseline', () => {
    const text = formatSplits(report);
    expect(text).toMatch(/tune \(\d+\)\s+test \(\d+\)/);
    for (const label of ['fully correct', 'fact in bottom line', 'median words', 'refusal accuracy'])
      expect(text).toContain(label);
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
    const report = await runEvaluation(
      t.engine,
      [
        item({
          id: 'u1',
          question: 'Wat is de hoofdstad van Australië?',
          answerable: false,
          sources: [],
          category: 'unanswerable',
        }),
      ],
      [],
    );
    expect(report.rows[0]?.metrics.refusalCorrect).toBe(1);
    expect(report.rows[0]?.metrics['hit@1']).toBeNull();
  });

  it('reports a missing fact by name', async () => {
    const report = await runEvaluation(
      t.engine,
      [item({ facts: [['een zin die nergens in de bronnen staat']] })],
      [],
    );
    expect(report.rows[0]?.metrics.factRecall).toBe(0);
    expect(report.rows[0]?.failed.join(' ')).toContain('een zin die nergens in de bronnen staat');
  });

  it('asks a follow-up after its history, as answer() does with that history', async () => {
    const history = [{ question: 'Helpt oefentherapie bij acute lage rugpijn?', answer: '' }];
    const report = await runEvaluation(t.engine, [item({ id: 'f1', question: 'Waarom?', history })], []);
    const direct = await answer(t.engine, 'Waarom?', { extractiveOnly: true, history });
    const bare = await answer(t.engine, 'Waarom?', { extractiveOnly: true });
    expect(report.rows[0]?.answer).toBe(direct.answer);
    expect(direct.answer).not.toBe(bare.answer);
  });

  it('scores leadFact on the bottom line and counts words of answered questions only', async () => {
    // The fact is the opening of the bottom line's quote, whichever sentence the ranker puts first.
    const bottom = (await answer(t.engine, item({}).question)).citations[0]?.quote ?? '';
    const fact = bottom.split(/\s+/).slice(0, 4).join(' ');
    expect(fact.length).toBeGreaterThan(0);
    const report = await runEvaluation(
      t.engine,
      [
        item({ id: 'a1', facts: [[fact]] }),
        item({
          id: 'u1',
          question: 'Wat is de hoofdstad van Australië?',
          answerable: false,
          sources: [],
          category: 'unanswerable',
        }),
      ],
      [],
    );
    const [answered, refused] = report.rows;
    expect(answered?.metrics.leadFact).toBe(1);
    expect(answered?.words).toBeGreaterThan(0);
    expect(refused?.metrics.leadFact).toBeNull();
    expect(refused?.words).toBeNull();
    expect(report.medianWords).toBe(answered?.words);
    // A fact only a later citation holds is recalled, but not in the bottom line.
    const later = (await answer(t.engine, item({}).question)).citations.find((c) => !bottom.includes(c.quote));
    if (later) {
      const words = later.quote.split(/\s+/).slice(0, 4).join(' ');
      const second = await runEvaluation(t.engine, [item({ id: 'a2', facts: [[words]] })], []);
      if (!bottom.includes(words)) expect(second.rows[0]?.metrics.leadFact).toBe(0);
    }
  });

  it('merges reports: rows and splits of all, headline figures of the first', async () => {
    const a = await runEvaluation(t.engine, [item({ id: 'a1', facts: [['oefentherapie']] })], [], {
      splitOf: () => 'gold',
    });
    const b = await runEvaluation(t.engine, [item({ id: 'b1' }), item({ id: 'b2' })], [], {
      splitOf: () => 'tune',
    });
    const merged = mergeReports([a, b]);
    expect(merged.rows.map((r) => [r.id, r.split])).toEqual([
      ['a1', 'gold'],
      ['b1', 'tune'],
      ['b2', 'tune'],
    ]);
    expect(Object.keys(merged.splits ?? {})).toEqual(['gold', 'tune']);
    expect(merged.splits?.tune?.n).toBe(2);
    expect(merged.overall).toEqual(a.overall);
    expect(formatSplits(merged)).toMatch(/gold \(1\)\s+tune \(2\)/);
  });

  it('splits an answer into cited claims', () => {
    expect(answerClaims('Eerste zin. [1] Tweede zin met 12 weken. [2][3]\n\nEen kader zonder bron.')).toEqual(
      [
        { text: 'Eerste zin.', cites: [1] },
        { text: 'Tweede zin met 12 weken.', cites: [2, 3] },
      ],
    );
  });
});
