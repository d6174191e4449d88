/**
 * `npm run bench` — load test of the real server plus in-process component timings, growth on synthetic
 * corpora and a side-by-side with MiniSearch. Writes bench/results.json and prints tables.
 *
 * Flags: --quick (3 s load runs, scales 1×/10×, fewer rounds), --duration S (seconds per load run; env
 * BENCH_DURATION also works, default 20), --scales 1,10,100, --profile (run the load server under
 * `node --cpu-prof` and print where its CPU time goes; the profile is kept as bench/server.cpuprofile),
 * --only ask|search (load one endpoint, e.g. to profile it alone), --only soak (only the 60 s soak with 50
 * normal and hostile connections, RSS over time; bench/soak.ts → bench/soak.json), --skip-load, --skip-growth.
 * Everything is built in a temp folder: the project's indexes/ is never touched.
 */
import { promises as fs, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../src/config.js';
import { formatOf } from '../src/corpus/extract.js';
import { listFiles } from '../src/corpus/load.js';
import { loadGold } from '../src/eval/gold.js';
import {
  compareWithMiniSearch,
  extractiveEngine,
  timeAnswer,
  timeIngest,
  timeLoad,
  timeMiniSearch,
  timeRetrieve,
  type IngestTiming,
  type RetrieverComparison,
} from './components.js';
import { runLoad, type LoadResult } from './load.js';
import { machineInfo } from './machine.js';
import { newestProfile, summarizeProfile, type ProfileSummary } from './profile.js';
import { printResults } from './report.js';
import { readRssMb, spawnServer } from './server.js';
import { printSoak, runSoak } from './soak.js';
import { median, round, type LatencySummary } from './stats.js';
import { writeSyntheticCorpus } from './synthetic.js';
import { checkGrowthTargets, checkTargets, type TargetCheck } from './targets.js';

/** One row of the growth table. */
export interface GrowthRow {
  scale: number;
  documents: number;
  corpusMb: number;
  chunks: number;
  ingestMs: number;
  /** Ingest time per MB of corpus (ms/MB): the growth target compares it across scales. */
  ingestMsPerMb: number;
  /** In-process loadIndex (ms): verify checksums, read the stored documents, postings, embedder, graph. */
  loadMs: number;
  /** createEngine on the built index (ms): loadIndex + prompts + splitting every passage into sentences. */
  engineMs: number;
  retrieve: LatencySummary;
  answer: LatencySummary;
  minisearch: LatencySummary;
}

/** Everything written to bench/results.json. */
export interface BenchResults {
  generatedAt: string;
  command: string;
  machine: ReturnType<typeof machineInfo>;
  /** Load averages at the start of the run (the end ones are in `machine`). */
  loadavgAtStart: number[];
  settings: { durationS: number; connections: number[]; scales: number[]; rounds: number; goldQuestions: number; answerableQuestions: number };
  components: {
    ingest: IngestTiming;
    /** In-process loadIndex (ms). */
    indexLoadMs: number;
    /** Spawn of `serve` → GET /healthz 200, each cold start and the median (ms). */
    coldStart: { runsMs: number[]; listeningMs: number[]; medianMs: number };
    retrieve: LatencySummary;
    answer: LatencySummary;
  };
  comparison: RetrieverComparison;
  growth: GrowthRow[];
  load: { idleRssMb: number; maxRssMb: number; runs: LoadResult[] };
  profile?: ProfileSummary;
  targets: TargetCheck[];
}

const CONNECTIONS = [1, 10, 50];
const ENDPOINTS = ['/api/search', '/api/ask'] as const;
const COLD_STARTS = 5;

function parseOptions() {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      duration: { type: 'string' },
      scales: { type: 'string' },
      profile: { type: 'boolean', default: false },
      'skip-load': { type: 'boolean', default: false },
      'skip-growth': { type: 'boolean', default: false },
      only: { type: 'string' },
    },
    strict: true,
  });
  const durationS = Number(values.duration ?? process.env.BENCH_DURATION ?? (values.quick ? 3 : 20));
  if (!(durationS > 0)) throw new Error(`--duration / BENCH_DURATION must be a positive number of seconds`);
  const scales = (values.scales ?? (values.quick ? '1,10' : '1,10,100')).split(',').map(Number);
  if (scales.some((s) => !Number.isInteger(s) || s < 1)) throw new Error('--scales must be positive integers, e.g. 1,10,100');
  const only = values.only;
  if (only !== undefined && only !== 'ask' && only !== 'search' && only !== 'soak')
    throw new Error('--only must be "ask", "search" or "soak"');
  return {
    soak: only === 'soak',
    endpoints: ENDPOINTS.filter((e) => only === undefined || e === `/api/${only}`),
    quick: values.quick,
    durationS,
    scales,
    profile: values.profile,
    skipLoad: values['skip-load'],
    skipGrowth: values['skip-growth'],
    rounds: values.quick ? 3 : 10,
  };
}

/** Fewer rounds on big corpora: per-query cost grows, and a few hundred samples give a stable p95. */
function roundsAt(scale: number, rounds: number): number {
  return Math.max(1, Math.round(rounds / Math.sqrt(scale)));
}

async function main(): Promise<void> {
  const opts = parseOptions();
  const loadavgAtStart = machineInfo().loadavg;
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'rugwijs-bench-'));
  // Temp corpora and indexes go even when the run is interrupted (the server child is killed by its own
  // exit hook in server.ts).
  const cleanup = () => rmSync(tmp, { recursive: true, force: true });
  process.once('exit', cleanup);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => process.exit(130));

  const log = (msg: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}`);
  const corpusDir = path.join(PROJECT_ROOT, 'corpus');
  const gold = await loadGold(path.join(PROJECT_ROOT, 'eval', 'gold.jsonl'));
  const answerable = gold.filter((g) => g.answerable && g.sources.length > 0);
  const allQuestions = gold.map((g) => g.question);

  // --- soak (--only soak): 50 connections, normal and hostile, RSS over time (bench/soak.ts) -------------
  if (opts.soak) {
    const soakIndex = path.join(tmp, 'index-soak');
    await timeIngest(corpusDir, soakIndex, 1);
    const server = await spawnServer({ indexDir: soakIndex, corpusDir });
    try {
      const durationS = Number(process.argv.includes('--duration') || process.env.BENCH_DURATION ? opts.durationS : 60);
      log(`soak: 50 connections for ${durationS} s on ${server.url}`);
      const result = await runSoak(server, allQuestions, durationS);
      printSoak(result);
      const out = path.join(PROJECT_ROOT, 'bench', 'soak.json');
      await fs.writeFile(out, `${JSON.stringify({ generatedAt: new Date().toISOString(), machine: machineInfo(), ...result }, null, 2)}\n`);
      console.log(`\nWrote ${path.relative(process.cwd(), out)}`);
    } finally {
      await server.stop(15_000);
    }
    return;
  }

  // --- components at 1× ----------------------------------------------------------------------------
  const indexDir = path.join(tmp, 'index-1x');
  log('ingest 1× (3 runs)');
  const ingest = await timeIngest(corpusDir, indexDir, 3);
  const loaded = await timeLoad(corpusDir, indexDir);
  log(`retrieve / answer timings over ${gold.length} gold questions × ${opts.rounds} rounds`);
  const retrieveSummary = await timeRetrieve(loaded.index, allQuestions, opts.rounds);
  const engineT0 = performance.now();
  const engine = await extractiveEngine(corpusDir, indexDir);
  const engineMs1 = round(performance.now() - engineT0, 1);
  const answerSummary = await timeAnswer(engine, allQuestions, opts.rounds);
  log('hybrid vs MiniSearch');
  const comparison = await compareWithMiniSearch(loaded.index, answerable, opts.rounds);

  // --- growth --------------------------------------------------------------------------------------
  const growth: GrowthRow[] = [];
  if (!opts.skipGrowth) {
    for (const scale of opts.scales) {
      const rounds = roundsAt(scale, opts.rounds);
      log(`growth ${scale}×: writing corpus`);
      const synth = scale === 1 ? undefined : await writeSyntheticCorpus(corpusDir, path.join(tmp, `corpus-${scale}x`), scale);
      const dir = synth?.dir ?? corpusDir;
      const idx = path.join(tmp, `index-${scale}x`);
      log(`growth ${scale}×: ingest`);
      const ing = scale === 1 ? ingest : await timeIngest(dir, idx, 1);
      const ld = scale === 1 ? { index: loaded.index, ms: loaded.ms } : await timeLoad(dir, idx);
      log(`growth ${scale}×: ${ing.chunks} chunks, queries × ${rounds} rounds`);
      const engT0 = performance.now();
      const eng = scale === 1 ? engine : await extractiveEngine(dir, idx);
      const engineMs = scale === 1 ? engineMs1 : round(performance.now() - engT0, 1);
      const mb = (synth?.bytes ?? (await corpusBytes(corpusDir))) / 1024 ** 2;
      growth.push({
        scale,
        documents: ing.documents,
        corpusMb: round(mb, 2),
        chunks: ing.chunks,
        ingestMs: ing.ms,
        ingestMsPerMb: round(ing.ms / mb, 0),
        loadMs: ld.ms,
        engineMs,
        retrieve: scale === 1 ? retrieveSummary : await timeRetrieve(ld.index, allQuestions, rounds),
        answer: scale === 1 ? answerSummary : await timeAnswer(eng, allQuestions, rounds),
        minisearch: await timeMiniSearch(ld.index, allQuestions, rounds),
      });
      if (synth) await fs.rm(synth.dir, { recursive: true, force: true });
      if (scale !== 1) await fs.rm(idx, { recursive: true, force: true });
    }
  }

  // --- cold start: spawn the real server on the built 1× index ---------------------------------------
  log(`cold start × ${COLD_STARTS}`);
  const coldRuns: number[] = [];
  const listening: number[] = [];
  for (let i = 0; i < COLD_STARTS; i++) {
    const server = await spawnServer({ indexDir, corpusDir });
    coldRuns.push(round(server.readyMs, 1));
    listening.push(round(server.listeningMs, 1));
    await server.stop();
  }

  // --- load ----------------------------------------------------------------------------------------
  const runs: LoadResult[] = [];
  let idleRssMb = Number.NaN;
  let profile: ProfileSummary | undefined;
  if (!opts.skipLoad) {
    const profDir = path.join(tmp, 'profile');
    const server = await spawnServer({
      indexDir,
      corpusDir,
      nodeFlags: opts.profile ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : [],
    });
    try {
      idleRssMb = round(readRssMb(server.pid), 1);
      const bodies = {
        '/api/search': answerable.map((g) => ({ query: g.question })),
        '/api/ask': answerable.map((g) => ({ question: g.question })),
      };
      log('warm-up: 2 s per endpoint at 10 connections (not recorded)');
      for (const p of opts.endpoints) await runLoad({ url: server.url, pid: server.pid, path: p, bodies: bodies[p], connections: 10, durationS: 2 });
      for (const p of opts.endpoints) {
        for (const connections of CONNECTIONS) {
          log(`load POST ${p} × ${connections} connections for ${opts.durationS} s`);
          runs.push(await runLoad({ url: server.url, pid: server.pid, path: p, bodies: bodies[p], connections, durationS: opts.durationS }));
        }
      }
    } finally {
      await server.stop(15_000);
    }
    if (opts.profile) {
      const file = await newestProfile(profDir);
      if (file) {
        const keep = path.join(PROJECT_ROOT, 'bench', 'server.cpuprofile');
        await fs.copyFile(file, keep);
        profile = await summarizeProfile(keep);
      } else {
        log('no CPU profile was written (server did not exit cleanly?)');
      }
    }
  }

  const maxRssMb = round(runs.reduce((m, r) => Math.max(m, r.maxRssMb), Number.isFinite(idleRssMb) ? idleRssMb : 0), 1);
  const coldMedian = median(coldRuns);
  const results: BenchResults = {
    generatedAt: new Date().toISOString(),
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    machine: machineInfo(),
    loadavgAtStart,
    settings: {
      durationS: opts.durationS,
      connections: CONNECTIONS,
      scales: opts.skipGrowth ? [] : opts.scales,
      rounds: opts.rounds,
      goldQuestions: gold.length,
      answerableQuestions: answerable.length,
    },
    components: {
      ingest,
      indexLoadMs: loaded.ms,
      coldStart: { runsMs: coldRuns, listeningMs: listening, medianMs: coldMedian },
      retrieve: retrieveSummary,
      answer: answerSummary,
    },
    comparison,
    growth,
    load: { idleRssMb, maxRssMb, runs },
    ...(profile ? { profile } : {}),
    targets: [...(opts.skipLoad ? [] : checkTargets({ load: runs, readyMs: coldMedian, maxRssMb })), ...checkGrowthTargets(growth)],
  };
  const out = path.join(PROJECT_ROOT, 'bench', 'results.json');
  await fs.writeFile(out, `${JSON.stringify(results, null, 2)}\n`);
  printResults(results);
  console.log(`\nWrote ${path.relative(process.cwd(), out)}`);
}

async function corpusBytes(dir: string): Promise<number> {
  let total = 0;
  for (const name of await listFiles(dir)) if (formatOf(name)) total += (await fs.stat(path.join(dir, name))).size;
  return total;
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
