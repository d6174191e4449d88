import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../config.js';
import { createEngine } from '../engine.js';
import { loadGold, loadRecommendations } from '../eval/gold.js';
import { METRIC_LABELS, type MetricMeans, type Report } from '../eval/metrics.js';
import { renderReportHtml } from '../eval/report-html.js';
import { runEvaluation } from '../eval/run.js';
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
  'sourceCited',
  'citationsVerbatim',
  'numbersSupported',
  'stanceAgreement',
  'refusalCorrect',
  'redFlagHandled',
];

/**
 * `npm run eval [-- --gold FILE] [--recommendations FILE] [--out DIR] [--no-html]`: scores the gold set,
 * prints a table (ours vs the MiniSearch baseline, per category), writes report.json and report.html
 * (default into eval/).
 */
export const evalCommand: Command = async (args, config) => {
  const { values } = parseArgs({
    args,
    options: {
      gold: { type: 'string', default: path.join(PROJECT_ROOT, 'eval', 'gold.jsonl') },
      recommendations: { type: 'string', default: path.join(PROJECT_ROOT, 'eval', 'recommendations.json') },
      out: { type: 'string', default: path.join(PROJECT_ROOT, 'eval') },
      'no-html': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const [gold, recommendations, engine] = await Promise.all([
    loadGold(values.gold),
    loadRecommendations(values.recommendations),
    createEngine(config),
  ]);
  const progress = createProgress();
  const report = await runEvaluation(engine, gold, recommendations, {
    goldLabel: path.relative(process.cwd(), values.gold) || values.gold,
    onProgress: (done, total) => progress.update('eval', done, total),
  });
  progress.stop();
  await fs.mkdir(values.out, { recursive: true });
  const jsonPath = path.join(values.out, 'report.json');
  await writeFileAtomic(jsonPath, `${JSON.stringify(report, null, 2)}\n`);
  const written = [jsonPath];
  if (!values['no-html']) {
    const htmlPath = path.join(values.out, 'report.html');
    await writeFileAtomic(htmlPath, renderReportHtml(report));
    written.push(htmlPath);
  }
  console.log(formatReport(report));
  console.log(`\nWritten: ${written.map((p) => path.relative(process.cwd(), p)).join(', ')}`);
};

/** The console summary: overall ours vs baseline, retrievers side by side, then per category. */
export function formatReport(report: Report): string {
  const pct = (v: number | undefined): string => (v === undefined ? '   –' : `${(v * 100).toFixed(0).padStart(3)}%`);
  const label = (m: string): string => (METRIC_LABELS[m] ?? m).padEnd(22);
  const lines: string[] = [];
  lines.push(`${report.rows.length} questions · answer latency p50 ${report.latency.p50.toFixed(1)} ms · p95 ${report.latency.p95.toFixed(1)} ms`);
  lines.push('', `${'metric'.padEnd(22)}  ours  MiniSearch`);
  for (const m of TABLE_METRICS) {
    if (report.overall[m] === undefined) continue;
    lines.push(`${label(m)}  ${pct(report.overall[m])}  ${pct(report.baseline.overall[m])}`);
  }
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
    const n = report.rows.filter((r) => r.category === c).length;
    lines.push(`${`${c} (${n})`.padEnd(16)}${short.map((m) => pct(means[m]).padStart(14)).join('')}`);
  }
  const failing = report.rows.filter((r) => r.failed.length > 0);
  lines.push('', `Failing: ${failing.length}/${report.rows.length}`);
  for (const r of failing) lines.push(`  ${r.id} ${r.question.slice(0, 70)} — ${r.failed.join('; ').slice(0, 160)}`);
  return lines.join('\n');
}
