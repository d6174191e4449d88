/** `rugwijs --help` and `rugwijs <command> --help`: one place for what each command accepts. */

/** The overview printed by `rugwijs --help` (and, with exit 2, by `rugwijs` without a command). */
export const USAGE = `usage: rugwijs <command> [options]      (rugwijs <command> --help for its options)
  ingest [--force]                     build the index in indexes/
  search "vraag" [--k N] [--json]      top passages
  ask "vraag" [--k N] [--json]         cited answer
  eval [--gold FILE] [--no-html]       score answers against a gold set
  serve [--request-timeout-ms N]       HTTP API, chat page and MCP on HOST:PORT`;

/** Per-command help; a command missing here gets the overview. */
export const COMMAND_HELP: Readonly<Record<string, string>> = {
  ingest: `usage: rugwijs ingest [--force]
Builds the index (BM25 + vectors) from the corpus folder into the index folder. Does nothing when the
index is current.
  --force        rebuild everything, even when the index is current
Env: RUGWIJS_CORPUS_DIR, RUGWIJS_INDEX_DIR, RUGWIJS_EMBED_MODEL`,
  search: `usage: rugwijs search "vraag" [--k N] [--json]
Prints the passages that best match the query (BM25 and vectors, fused), best first.
  --k N          number of passages, a whole number from 1 to 50 (default 5)
  --json         print {"results":[…]} with the same fields as POST /api/search`,
  ask: `usage: rugwijs ask "vraag" [--k N] [--json]
Answers from the corpus only, every sentence cited verbatim; refuses when the documents do not answer.
  --k N          passages the composer considers, a whole number from 1 to 20 (default 10)
  --json         print the full answer object (as POST /api/ask)`,
  eval: `usage: rugwijs eval [--gold FILE] [--recommendations FILE] [--out DIR] [--no-html]
Scores the answers against a gold set and writes report.json and report.html.
  --gold FILE              gold questions, JSON lines (default eval/gold.jsonl)
  --recommendations FILE   recommendations file (default eval/recommendations.json)
  --out DIR                where report.json and report.html go (default eval/)
  --no-html                write report.json only`,
  serve: `usage: rugwijs serve [--request-timeout-ms N]
Serves the chat page, the JSON API (/api) and MCP over Streamable HTTP (/mcp) on HOST:PORT
(default 127.0.0.1:3000). Listens at once; GET /healthz says "loading" until the index is ready.
  --request-timeout-ms N   cut off slow clients after N ms, a whole number from 100 to 600000 (default 10000)
Env: HOST, PORT, RUGWIJS_API_TOKEN, RUGWIJS_CORS_ORIGINS, RUGWIJS_RATE_LIMIT, LOG_LEVEL`,
};

/** True when the arguments ask for help (`--help`/`-h` anywhere before a `--` separator). */
export function wantsHelp(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((a) => a === '--help' || a === '-h');
}
