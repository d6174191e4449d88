import type { BenchResults } from './run.js';

/** Left-aligned first column, right-aligned others, columns padded to their widest cell. */
export function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cells = [header, ...rows].map((r) => r.map((c) => (typeof c === 'number' ? fmt(c) : c)));
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [line(cells[0] ?? []), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

function fmt(n: number): string {
  if (!Number.isFinite(n)) return '—';
  if (Number.isInteger(n)) return String(n);
  return Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2);
}

/** Prints the results as readable tables on stdout. */
export function printResults(r: BenchResults): void {
  const m = r.machine;
  console.log(`\nrugwijs bench — ${r.generatedAt}`);
  console.log(`machine: ${m.nproc} × ${m.cpuModel}, ${m.ramGb} GB RAM, node ${m.node}, ${m.platform}`);
  console.log(`load average at start ${r.loadavgAtStart.join(' / ')}, at end ${m.loadavg.join(' / ')} (1/5/15 min; > nproc means the figures were shared with other work)`);
  console.log(`load runs ${r.settings.durationS} s each; ${r.settings.goldQuestions} gold questions (${r.settings.answerableQuestions} answerable)\n`);

  if (r.load.runs.length > 0) {
    console.log('HTTP load (autocannon → real server, rotating answerable gold questions)');
    console.log(
      table(
        ['endpoint', 'conns', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'errors', 'non-2xx', 'max RSS MB'],
        r.load.runs.map((x) => [x.endpoint, x.connections, x.rps, x.latency.p50, x.latency.p95, x.latency.p99, x.errors, x.non2xx, x.maxRssMb]),
      ),
    );
    console.log(`idle RSS after ready: ${r.load.idleRssMb} MB; max during load: ${r.load.maxRssMb} MB\n`);
  }

  const c = r.components;
  console.log('Components (in-process, 1× corpus)');
  console.log(
    table(
      ['component', 'n', 'p50 ms', 'p95 ms', 'note'],
      [
        ['ingest (buildIndex)', c.ingest.runsMs.length, c.ingest.ms, Math.max(...c.ingest.runsMs), `${c.ingest.chunks} chunks; runs ${c.ingest.runsMs.join(', ')} ms`],
        ['index load (in-process)', 1, c.indexLoadMs, c.indexLoadMs, 'loadIndex()'],
        ['cold start → healthz 200', c.coldStart.runsMs.length, c.coldStart.medianMs, Math.max(...c.coldStart.runsMs), `spawn → 200; listening at ${c.coldStart.listeningMs.join(', ')} ms`],
        ['retrieve (hybrid, k=5)', c.retrieve.n, c.retrieve.p50, c.retrieve.p95, `p99 ${fmt(c.retrieve.p99)}`],
        ['answer (extractive)', c.answer.n, c.answer.p50, c.answer.p95, `p99 ${fmt(c.answer.p99)}`],
      ],
    ),
  );

  const cmp = r.comparison;
  console.log(`\nRetrieval: ours (hybrid) vs MiniSearch defaults, same chunks, ${cmp.questions} answerable questions`);
  console.log(
    table(
      ['system', 'hit@1', 'MRR@10', 'p50 ms', 'p95 ms'],
      [
        ['rugwijs hybrid', cmp.ours.hitAt1, cmp.ours.mrr, cmp.ours.latency.p50, cmp.ours.latency.p95],
        ['MiniSearch', cmp.minisearch.hitAt1, cmp.minisearch.mrr, cmp.minisearch.latency.p50, cmp.minisearch.latency.p95],
        ['ratio ours/MiniSearch', cmp.ratio.hitAt1, cmp.ratio.mrr, cmp.ratio.p50, cmp.ratio.p95],
      ],
    ),
  );

  if (r.growth.length > 0) {
    console.log('\nGrowth (synthetic corpora: originals + perturbed variants)');
    console.log(
      table(
        ['scale', 'docs', 'MB', 'chunks', 'ingest ms', 'ingest ms/MB', 'load ms', 'engine ms', 'retr p50', 'retr p95', 'answer p50', 'answer p95', 'MiniS p50', 'MiniS p95'],
        r.growth.map((g) => [`${g.scale}×`, g.documents, g.corpusMb, g.chunks, g.ingestMs, g.ingestMsPerMb, g.loadMs, g.engineMs, g.retrieve.p50, g.retrieve.p95, g.answer.p50, g.answer.p95, g.minisearch.p50, g.minisearch.p95]),
      ),
    );
  }

  if (r.profile) {
    console.log(`\nServer CPU profile (${r.profile.totalMs} ms sampled; bench/server.cpuprofile) — self time by owner`);
    console.log(table(['owner', '%', 'ms'], r.profile.byOwner.map((x) => [x.name, x.pct, x.ms])));
    console.log('\nTop functions by self time');
    console.log(table(['function', '%', 'ms'], r.profile.functions.map((x) => [x.name, x.pct, x.ms])));
    console.log('\nProject code paths by inclusive time (self + callees)');
    console.log(table(['function (line:col of transpiled module)', '%', 'ms'], r.profile.inclusiveSrc.map((x) => [x.name, x.pct, x.ms])));
  }

  if (r.targets.length > 0) {
    console.log('\nTargets');
    console.log(table(['target', 'measured', 'status'], r.targets.map((t) => [t.target, t.measured, t.met ? 'met' : 'MISSED'])));
  }
}
