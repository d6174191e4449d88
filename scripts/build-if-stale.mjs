// Compiles src/ to dist/ only when dist/ is missing or older than what it is built from, so a second
// `npm start` does not pay for `tsc` (7–18 s on a small machine) when nothing changed.
// Usable as a module (`await buildIfStale()`) and as a script (`node scripts/build-if-stale.mjs [--force]`).
import console from 'node:console';
import process from 'node:process';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Written after a successful build; its mtime is "when dist/ was last built". */
const STAMP = path.join(ROOT, 'dist', '.build-stamp');
/** What dist/ is built from. prompts/ and corpus/ are read at run time from the project root, not from dist/. */
const INPUTS = ['src', 'tsconfig.json', 'tsconfig.build.json', 'package.json', 'scripts/copy-assets.mjs'];

/** Newest mtime (ms) of a file or of a folder tree; folders count too, so a deleted or added file is seen. */
function newestMtime(p) {
  let st;
  try {
    st = statSync(p);
  } catch {
    return 0;
  }
  let newest = st.mtimeMs;
  if (st.isDirectory()) {
    for (const name of readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, name)));
  }
  return newest;
}

/** Why dist/ must be (re)built, or undefined when it is current. */
export function staleReason(root = ROOT) {
  const stamp = path.join(root, 'dist', '.build-stamp');
  if (!existsSync(stamp)) return 'dist/ has not been built yet';
  const built = statSync(stamp).mtimeMs;
  for (const input of INPUTS) {
    if (newestMtime(path.join(root, input)) > built) return `${input} changed since the last build`;
  }
  return undefined;
}

/** Runs tsc and copy-assets when dist/ is stale (or `force`); throws when either fails. */
export function buildIfStale({ force = false, log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  const reason = force ? 'forced' : staleReason();
  if (!reason) return false;
  log(`rugwijs: compiling src/ → dist/ (${reason}) …`);
  const started = Date.now();
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  for (const args of [[tsc, '-p', 'tsconfig.build.json'], [path.join(ROOT, 'scripts', 'copy-assets.mjs')]]) {
    const run = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit' });
    if (run.status !== 0)
      throw new Error(
        `build failed: node ${args.map((a) => path.relative(ROOT, a) || a).join(' ')} exited ${run.status ?? run.signal}`,
      );
  }
  writeFileSync(STAMP, `${new Date().toISOString()}\n`);
  log(`rugwijs: compiled in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    buildIfStale({ force: process.argv.includes('--force') });
  } catch (e) {
    console.error(`rugwijs: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  }
}
