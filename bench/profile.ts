import { promises as fs } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../src/config.js';
import { round } from './stats.js';

/** Node's .cpuprofile format (the parts used here). */
interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
    hitCount?: number;
    children?: number[];
  }[];
  samples?: number[];
  timeDeltas?: number[];
}

/** One row of a self-time table. */
export interface ProfileRow {
  name: string;
  /** Share of all sampled time (%), idle and GC included (self or inclusive, per table). */
  pct: number;
  ms: number;
}

export interface ProfileSummary {
  file: string;
  totalMs: number;
  /** Top functions by self time. */
  functions: ProfileRow[];
  /** Self time grouped by where the code lives: a src/ file, an npm package, node internals, (idle)/(gc). */
  byOwner: ProfileRow[];
  /**
   * Inclusive time (self + callees, recursion counted once) of project functions (src/), i.e. which of
   * our code paths the time is spent under. Names carry `:line:column` of the transpiled module, since
   * tsx emits each module on one line.
   */
  inclusiveSrc: ProfileRow[];
}

/** "src/answer/select.ts", "express", "node:internal", or a V8 pseudo-frame such as "(garbage collector)". */
function owner(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node:internal';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm?.[1]) return nm[1];
  const file = url.replace(/^file:\/\//, '');
  return path.relative(PROJECT_ROOT, file) || file;
}

/**
 * Self-time tables of a V8 CPU profile (as written by `node --cpu-prof`). Sample time is taken from
 * `timeDeltas` (µs) so irregular sampling intervals are weighted correctly.
 * @param top rows per table (default 15).
 */
export async function summarizeProfile(file: string, top = 15): Promise<ProfileSummary> {
  const profile = JSON.parse(await fs.readFile(file, 'utf8')) as CpuProfile;
  const selfUs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + Math.max(0, deltas[i] ?? 0)));
  let totalUs = 0;
  const byFn = new Map<string, number>();
  const byOwn = new Map<string, number>();
  for (const node of profile.nodes) {
    const us = selfUs.get(node.id) ?? 0;
    if (us === 0) continue;
    totalUs += us;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = owner(url, functionName);
    const fn = `${functionName || '(anonymous)'} ${url ? `${where}:${lineNumber + 1}` : ''}`.trim();
    byFn.set(fn, (byFn.get(fn) ?? 0) + us);
    byOwn.set(where, (byOwn.get(where) ?? 0) + us);
  }
  const rows = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, pct: round((100 * us) / totalUs, 1), ms: round(us / 1000, 0) }));

  // Inclusive time: walk each sampled node's ancestors, counting each function once per sample stack.
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const c of node.children ?? []) parent.set(c, node.id);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const inclusive = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const node = byId.get(cur);
      if (!node) break;
      const { functionName, url, lineNumber, columnNumber } = node.callFrame;
      const where = owner(url, functionName);
      if (!where.startsWith('src/')) continue;
      const key = `${functionName || '(anonymous)'} ${where}:${lineNumber + 1}:${columnNumber + 1}`;
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + us);
    }
  }
  return {
    file,
    totalMs: round(totalUs / 1000, 0),
    functions: rows(byFn),
    byOwner: rows(byOwn),
    inclusiveSrc: rows(inclusive),
  };
}

/** The newest .cpuprofile in a folder, or undefined. */
export async function newestProfile(dir: string): Promise<string | undefined> {
  const names = (await fs.readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.cpuprofile'));
  const stats = await Promise.all(names.map(async (n) => ({ n, t: (await fs.stat(path.join(dir, n))).mtimeMs })));
  const newest = stats.sort((a, b) => b.t - a.t)[0];
  return newest ? path.join(dir, newest.n) : undefined;
}
