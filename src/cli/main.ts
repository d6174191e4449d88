#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { parseIntFlag, rangeOf, type Command } from './command.js';
import { COMMAND_HELP, USAGE, wantsHelp } from './help.js';
import { AppError, isAppError } from '../errors.js';
import { SearchInputSchema } from '../schemas.js';
import { buildIndex } from '../ingest/build.js';
import { loadIndex } from '../ingest/load.js';
import { searchPassages } from '../retrieve/search.js';
import { createProgress } from './progress.js';
import { validate } from '../validate.js';

const commands: Record<string, Command> = {
  async ingest(args, config) {
    const { values } = parseArgs({ args, options: { force: { type: 'boolean', default: false } }, strict: true });
    const progress = createProgress();
    const report = await buildIndex({
      corpusDir: config.corpusDir,
      indexDir: config.indexDir,
      embedModel: config.embedModel,
      force: values.force,
      onProgress: progress.update,
    });
    progress.stop();
    // Unreadable files are never skipped silently: one warning line each, on stderr.
    for (const s of report.skipped) console.error(`warning: ${s.path} not indexed: ${s.reason}`);
    if (process.stdout.isTTY) {
      console.log(
        report.status === 'up-to-date'
          ? `Index is up to date (${report.chunks} chunks, ${report.build}).`
          : `Built ${report.build}: ${report.documents} documents (${report.reusedDocuments} reused), ${report.chunks} chunks, embedder ${report.embedder.id} (${report.embedder.dimension}d) in ${Math.round(report.ms)} ms.`,
      );
    } else {
      console.log(JSON.stringify({ event: 'ingest', ...report, ms: Math.round(report.ms) }));
    }
  },

  async search(args, config) {
    const { values, positionals } = parseArgs({
      args,
      options: { k: { type: 'string' }, json: { type: 'boolean', default: false } },
      allowPositionals: true,
      strict: true,
    });
    const input = validate(SearchInputSchema, { query: positionals.join(' '), k: parseIntFlag('k', values.k, rangeOf(SearchInputSchema.shape.k)) });
    const index = await loadIndex(config);
    const result = await searchPassages(index, input);
    if (values.json) {
      // Exactly the body of POST /api/search (title and per-ranker ranks included).
      console.log(JSON.stringify(result, null, 2));
      return;
    }
    if (result.results.length === 0) console.log('Geen passages gevonden.');
    result.results.forEach((r, i) => {
      const section = r.section ? `  §${r.section}` : '';
      console.log(`${i + 1}. ${r.file}${section}  score ${r.score.toFixed(4)}  [${r.chunkId}]`);
      console.log(`   ${r.text.length > 300 ? `${r.text.slice(0, 300)}…` : r.text}\n`);
    });
  },
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || (name === 'help' && rest.length === 0)) {
    console.log(USAGE);
    return name ? 0 : 2;
  }
  // `rugwijs ask --help` and `rugwijs help ask`: the command's own options, before anything is loaded.
  const helpFor = name === 'help' ? rest[0] : wantsHelp(rest) ? name : undefined;
  if (helpFor !== undefined) {
    const text = COMMAND_HELP[helpFor];
    if (text) {
      console.log(text);
      return 0;
    }
    console.error(`rugwijs: unknown command "${helpFor}"\n${USAGE}`);
    return 2;
  }
  try {
    const config = loadConfig();
    const command = commands[name] ?? (await lazyCommand(name));
    if (!command) throw new AppError('bad_request', `unknown command "${name}"\n${USAGE}`);
    await command(rest, config);
    return 0;
  } catch (e) {
    const message = isAppError(e) ? e.message : e instanceof Error ? e.message : String(e);
    console.error(`rugwijs ${name}: ${message.split('\n')[0]}`);
    // Stack traces only on request: a clinician at the terminal needs the one line above.
    if (process.env.RUGWIJS_DEBUG) console.error(e);
    const usage = isAppError(e) ? ['bad_request', 'validation_error'].includes(e.code) : /^ERR_PARSE_ARGS/.test(String((e as { code?: unknown }).code));
    return usage ? 2 : 1;
  }
}

/** Commands whose modules are heavy (server, eval) are imported only when used. */
async function lazyCommand(name: string): Promise<Command | undefined> {
  switch (name) {
    case 'ask':
      return (await import('./ask.js')).askCommand;
    case 'eval':
      return (await import('./eval.js')).evalCommand;
    case 'serve':
      return (await import('./serve.js')).serveCommand;
    case 'sources':
      return (await import('./sources.js')).sourcesCommand;
    case 'add':
      return (await import('./sources.js')).addCommand;
    default:
      return undefined;
  }
}

process.exitCode = await main(process.argv.slice(2));
