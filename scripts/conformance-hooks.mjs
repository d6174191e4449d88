// Module hook for scripts/conformance.mjs (Node < 22): replaces the suite's `globSync` import from node:fs
// with a finder for the only pattern it uses, `**/<file name>`.
const POLYFILL = `import { readdirSync as __readdir } from 'node:fs';
import { join as __join, relative as __relative } from 'node:path';
function __GLOB__(pattern, options = {}) {
  const cwd = options.cwd ?? process.cwd();
  const name = pattern.startsWith('**/') ? pattern.slice(3) : pattern;
  const found = [];
  const walk = (dir) => {
    let entries = [];
    try { entries = __readdir(dir, { withFileTypes: true }); } catch { return; }
    for (const e of entries) {
      const p = __join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === name) found.push(__relative(cwd, p));
    }
  };
  walk(cwd);
  return found;
}
`;

export async function load(url, context, nextLoad) {
  const result = await nextLoad(url, context);
  if (!url.includes('@modelcontextprotocol/conformance/dist/')) return result;
  let source = String(result.source);
  const m = /globSync as (\w+),/.exec(source);
  if (!m) return result;
  if (source.startsWith('#!')) source = source.slice(source.indexOf('\n') + 1);
  source = POLYFILL.replace('__GLOB__', m[1]) + source.replace(m[0], '');
  return { ...result, source, shortCircuit: true };
}
