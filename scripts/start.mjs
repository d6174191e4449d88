// `npm start`: compile only if dist/ is stale, then run the server IN THIS PROCESS (no child). package.json
// starts this file with `exec node …`, so the shell npm spawns is replaced by this process and the SIGINT or
// SIGTERM npm forwards reaches the server itself (without `exec`, dash dies on SIGTERM and the server is
// left running as an orphan). Arguments after `--` go to `rugwijs serve`.
import console from 'node:console';
import process from 'node:process';
import { setInterval } from 'node:timers';
import { buildIfStale } from './build-if-stale.mjs';

try {
  buildIfStale();
} catch (e) {
  console.error(`rugwijs: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}

// Started by npm: when npm itself disappears (killed with -9, or a shell without `exec`), shut down
// gracefully instead of lingering as an orphan that holds the port.
if (process.env.npm_lifecycle_event === 'start') {
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) process.kill(process.pid, 'SIGTERM');
  }, 1_000).unref();
}

// dist/cli/main.js reads process.argv.slice(2) as "<command> [options]".
process.argv.splice(2, 0, 'serve');
await import('../dist/cli/main.js');
