#!/usr/bin/env node
// Launcher for the stdio MCP server from a clone (`npx rugwijs-mcp`, or an MCP client config pointing here):
// runs src/mcp/stdio.ts through tsx, passing stdio through untouched and forwarding signals and the exit code.
import { spawn } from 'node:child_process';
import process from 'node:process';
import { fileURLToPath, URL } from 'node:url';

const stdioPath = fileURLToPath(new URL('../src/mcp/stdio.ts', import.meta.url));
// Resolved from this file, not the caller's cwd, so the launcher works from any directory.
const tsxLoader = import.meta.resolve('tsx');

const child = spawn(process.execPath, ['--import', tsxLoader, stdioPath, ...process.argv.slice(2)], {
  stdio: 'inherit',
});

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => child.kill(signal));
}
child.on('error', (err) => {
  process.stderr.write(`rugwijs-mcp: cannot start the server: ${err.message}\n`);
  process.exit(1);
});
child.on('exit', (code, signal) => {
  process.exit(code ?? (signal ? 128 + (signal === 'SIGINT' ? 2 : 15) : 1));
});
