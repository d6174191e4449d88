// Measures what a newcomer sees: spawns `npm start` on a free port, reports the time from spawn until
// GET /healthz answers 200, then sends SIGTERM (or SIGINT with --sigint) to the npm process and checks that
// no process of the process group is left (no orphaned server). Exits non-zero on any failure.
// usage: node scripts/start-check.mjs [--sigint] [--timeout-s 300]
import console from 'node:console';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { setTimeout } from 'node:timers';
import { spawn, execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const signal = process.argv.includes('--sigint') ? 'SIGINT' : 'SIGTERM';
const timeoutIdx = process.argv.indexOf('--timeout-s');
const timeoutMs = (timeoutIdx > 0 ? Number(process.argv[timeoutIdx + 1]) : 300) * 1000;

const port = await new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const { port: p } = s.address();
    s.close(() => resolve(p));
  });
});

const t0 = performance.now();
// detached: its own process group, so the check below can list every descendant by group id.
const npm = spawn('npm', ['start'], {
  cwd: root,
  env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), RUGWIJS_API_TOKEN: '', LOG_LEVEL: 'warn' },
  stdio: ['ignore', 'inherit', 'inherit'],
  detached: true,
});
const exited = new Promise((resolve) => npm.once('exit', (code, sig) => resolve({ code, sig })));

const groupPids = () => {
  try {
    return execFileSync('ps', ['-o', 'pid=,args=', '-g', String(npm.pid)], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
};

let ready = false;
while (performance.now() - t0 < timeoutMs) {
  try {
    if ((await globalThis.fetch(`http://127.0.0.1:${port}/healthz`)).status === 200) {
      ready = true;
      break;
    }
  } catch {
    /* not listening yet */
  }
  await new Promise((r) => setTimeout(r, 50));
}
const readyMs = performance.now() - t0;
console.log(
  ready ? `healthy ${(readyMs / 1000).toFixed(2)} s after spawning npm start` : 'not healthy in time',
);
console.log(`processes before ${signal}:\n${groupPids()}`);

process.kill(npm.pid, signal);
const t1 = performance.now();
const { code, sig } = await exited;
// The server may outlive npm by a moment while it closes; give it the 10 s grace the server itself uses.
let left = groupPids();
while (left && performance.now() - t1 < 12_000) {
  await new Promise((r) => setTimeout(r, 100));
  left = groupPids();
}
console.log(
  `npm exited (code ${code}, signal ${sig}) ${((performance.now() - t1) / 1000).toFixed(2)} s after ${signal}`,
);
console.log(left ? `LEFT RUNNING:\n${left}` : 'no process of npm start left running');
if (left) {
  try {
    process.kill(-npm.pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
}
process.exitCode = ready && !left ? 0 : 1;
