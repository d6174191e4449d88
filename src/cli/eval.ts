import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../config.js';
import { createEngine } from '../engine.js';
import { loadGold, loadRecommendations } from '../eval/gold.js';
import { METRIC_LABELS, type MetricMeans, type Report, type SystemSummary } from '../eval/metrics.js';
import { renderReportHtml } from '../eval/report-html.js';
import { mergeReports, runEvaluation } from '../eval/run.js';
import { splitOf } from '../eval/split.js';
import { writeFileAtomic } from '../ingest/atomic-write.js';
import type { Command } from './command.js';
import { createProgress } from './progress.js';

/** Metrics shown in the console table, in this order. */
const TABLE_METRICS = [
  'hit@1',
  'hit@5',
  'mrr',
  'factRecall',
  'fullyCorrect',
  'leadFact',
  'sourceCited',
  'citationsVerbatim',
  'numbersSupported',
  'stanceAgreement',
  'refusalCorrect',
  'redFlagHandled',
];

/** Rows of the per-split table: label and how to read the figure from a system summary. */
const SPLIT_ROWS: readonly [string, (s: SystemSummary) => number | null | undefined, 'rate' | 'count'][] = [
  ['fully correct', (s) => s.overall.fullyCorrect, 'rate'],
  ['fact in bottom line', (s) => s.overall.leadFact, 'rate'],
  ['median words', (s) => s.medianWords, 'count'],
  ['refusal accuracy', (s) => s.overall.refusalCorrect, 'rate'],
  ['fact recall', (s) => s.overall.factRecall, 'rate'],
  ['expected source cited', (s) => s.overall.sourceCited, 'rate'],
];

/**
 * `npm run eval [-- --gold FILE [--split]] [--realistic FILE] [--recommendations FILE] [--out DIR] [--no-html]`.
 * Without --gold: scores eval/gold.jsonl whole (split "gold") and eval/realistic.jsonl by its tune/test
 * split, and prints them side by side. With --gold: scores that one file, whole (split "all") or, with
 * --split, by the seeded tune/test split of its ids. Writes report.json (every row with its split,
 * leadFact and words; headline figures of the first file) and report.html (default into eval/).
 */
export const evalCommand: Command = async (args, config) => {
  const { values } = parseArgs({
    args,
    options: {
      gold: { type: 'string' },
      split: { type: 'boolean', default: false },
      realistic: { type: 'string', default: path.join(PROJECT_ROOT, 'eval', 'realistic.jsonl') },
      recommendations: { type: 'string', default: path.join(PROJECT_ROOT, 'eval', 'recommendations.json') },
      out: { type: 'string', default: path.join(PROJECT_ROOT, 'eval') },
      'no-html': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const runs: { file: string; splitOf: (id: string) => string }[] =
    values.gold !== undefined
      ? [{ file: values.gold, splitOf: values.split ? splitOf : () => 'all' }]
      : [
          { file: path.join(PROJECT_ROOT, 'eval', 'gold.jsonl'), splitOf: () => 'gold' },
          { file: values.realistic, splitOf },
        ];
  const [sets, recommendations, engine] = await Promise.all([
    Promise.all(runs.map((r) => loadGold(r.file))),
    loadRecommendations(values.recommendations),
    createEngine(config),
  ]);
  const progress = createProgress();
  const total = sets.reduce((n, s) => n + s.length * 2, 0);
  let before = 0;
  const reports: Report[] = [];
  for (const [i, run] of runs.entries()) {
    const offset = before;
    reports.push(
      await runEvaluation(engine, sets[i] ?? [], recommendations, {
        goldLabel: path.relative(process.cwd(), run.file) || run.file,
        splitOf: run.splitOf,
        onProgress: (done) => progress.update('eval', offset + done, total),
      }),
    );
    before += (sets[i]?.length ?? 0) * 2;
  }
  progress.stop();
  const report = mergeReports(reports);
  await fs.mkdir(values.out, { recursive: true });
  const jsonPath = path.join(values.out, 'report.json');
  await writeFileAtomic(jsonPath, `${JSON.stringify(report, null, 2)}\n`);
  const written = [jsonPath];
  if (!values['no-html']) {
    const htmlPath = path.join(values.out, 'report.html');
    await writeFileAtomic(htmlPath, renderReportHtml(report));
    written.push(htmlPath);
  }
  console.log(formatSplits(report));
  console.log('');
  console.log(formatReport(report));
  console.log(`\nWritten: ${written.map((p) => path.relative(process.cwd(), p)).join(', ')}`);
};

/**
 * The per-split table: for each split (gold, tune, test, …) ours and the MiniSearch-fed baseline side by
 * side — fully correct, fact in the bottom line, median words, refusal accuracy, fact recall, source cited.
 */
export function formatSplits(report: Report): string {
  const splits = Object.entries(report.splits ?? {});
  if (splits.length === 0) return '';
  const cell = (v: number | null | undefined, kind: 'rate' | 'count'): string =>
    (v === null || v === undefined ? '–' : kind === 'rate' ? v.toFixed(2) : v.toFixed(0)).padStart(7);
  const head = splits.map(([name, s]) => `${`${name} (${s.n})`.padStart(14)}`).join('');
  const sub = splits.map(() => '   ours   base').join('');
  const lines = [`${'split'.padEnd(22)}${head}`, `${''.padEnd(22)}${sub}`];
  for (const [label, read, kind] of SPLIT_ROWS)
    lines.push(
      `${label.padEnd(22)}${splits.map(([, s]) => `${cell(read(s.ours), kind)}${cell(read(s.baseline), kind)}`).join('')}`,
    );
  return lines.join('\n');
}

/** The console summary: overall ours vs baseline, retrievers side by side, then per category. */
export function formatReport(report: Report): string {
  const pct = (v: number | undefined): string =>
    v === undefined ? '   –' : `${(v * 100).toFixed(0).padStart(3)}%`;
  const label = (m: string): string => (METRIC_LABELS[m] ?? m).padEnd(22);
  const lines: string[] = [];
  // The headline figures are those of the first file scored (mergeReports); its rows share its split label.
  const head = report.rows.filter((r) => r.split === report.rows[0]?.split);
  lines.push(
    `${head.length} questions in the headline set · answer latency p50 ${report.latency.p50.toFixed(1)} ms · p95 ${report.latency.p95.toFixed(1)} ms`,
  );
  lines.push('', `${'metric'.padEnd(22)}  ours  MiniSearch`);
  for (const m of TABLE_METRICS) {
    if (report.overall[m] === undefined) continue;
    lines.push(`${label(m)}  ${pct(report.overall[m])}  ${pct(report.baseline.overall[m])}`);
  }
  const words = (v: number | null | undefined): string =>
    (v === null || v === undefined ? '–' : v.toFixed(0)).padStart(4);
  lines.push(`${label('medianWords')}  ${words(report.medianWords)}  ${words(report.baseline.medianWords)}`);
  if (report.retrievers) {
    const names = Object.keys(report.retrievers);
    lines.push('', `${'retrieval'.padEnd(22)}${names.map((n) => n.padStart(11)).join('')}`);
    for (const m of ['hit@1', 'hit@5', 'mrr', 'ndcg@10']) {
      const row = names.map((n) => (report.retrievers?.[n]?.[m] ?? 0).toFixed(3).padStart(11)).join('');
      lines.push(`${label(m)}${row}`);
    }
  }
  const cats = Object.keys(report.byCategory);
  const short = ['hit@1', 'factRecall', 'fullyCorrect', 'refusalCorrect', 'redFlagHandled'];
  lines.push('', `${'category'.padEnd(16)}${short.map((m) => m.slice(0, 12).padStart(14)).join('')}`);
  for (const c of cats) {
    const means: MetricMeans = report.byCategory[c] ?? {};
    const n = head.filter((r) => r.category === c).length;
    lines.push(`${`${c} (${n})`.padEnd(16)}${short.map((m) => pct(means[m]).padStart(14)).join('')}`);
  }
  const failing = report.rows.filter((r) => r.failed.length > 0);
  lines.push('', `Failing: ${failing.length}/${report.rows.length}`);
  for (const r of failing)
    lines.push(
      `  ${r.id}${r.split ? ` (${r.split})` : ''} ${r.question.slice(0, 70)} — ${r.failed.join('; ').slice(0, 160)}`,
    );
  return lines.join('\n');
}
