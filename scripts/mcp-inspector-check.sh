#!/usr/bin/env bash
# Checks the MCP server with the official MCP Inspector CLI (devDependency, pinned), over both transports:
#   stdio:            node bin/rugwijs-mcp.js
#   Streamable HTTP:  a `rugwijs serve` started here on a free 127.0.0.1 port, /mcp
# For each: tools/list, then tools/call answer_question. Prints what the Inspector printed; exits non-zero
# on the first failure. Uses RUGWIJS_INDEX_DIR when set (otherwise indexes/, built on first use).
# usage: scripts/mcp-inspector-check.sh ["vraag"]
set -euo pipefail

cd "$(dirname "$0")/.."
QUESTION="${1:-Helpt oefentherapie bij acute lage rugpijn?}"
# The local, pinned Inspector; --no-install so a missing devDependency fails instead of downloading.
inspector() { npx --no-install @modelcontextprotocol/inspector --cli "$@"; }
# The servers started below must not require a token: the Inspector CLI sends none.
export RUGWIJS_API_TOKEN=
export LOG_LEVEL="${LOG_LEVEL:-warn}"

echo "== stdio: tools/list"
inspector node bin/rugwijs-mcp.js --method tools/list
echo "== stdio: tools/call answer_question"
inspector node bin/rugwijs-mcp.js --method tools/call --tool-name answer_question --tool-arg "question=${QUESTION}"

PORT="$(node -e 'const s=require("node:net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
HOST=127.0.0.1 PORT="$PORT" node --import tsx src/cli/main.ts serve 2>/dev/null &
SERVER_PID=$!
trap 'kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true' EXIT

# Wait (up to 120 s: the first start may build the index) until /healthz says the index is loaded.
node -e '
  const url = process.argv[1];
  const until = Date.now() + 120000;
  (async () => {
    for (;;) {
      try { if ((await fetch(url)).status === 200) return; } catch {}
      if (Date.now() > until) { console.error("server did not become ready: " + url); process.exit(1); }
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
' "http://127.0.0.1:${PORT}/healthz"

echo "== http: tools/list"
inspector "http://127.0.0.1:${PORT}/mcp" --transport http --method tools/list
echo "== http: tools/call answer_question"
inspector "http://127.0.0.1:${PORT}/mcp" --transport http --method tools/call --tool-name answer_question --tool-arg "question=${QUESTION}"
echo "== MCP Inspector checks passed"
