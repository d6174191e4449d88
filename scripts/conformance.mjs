// Runs the MCP conformance suite (@modelcontextprotocol/conformance, a devDependency) on Node 20.
// The suite's CLI imports `globSync` from node:fs, which exists only from Node 22; it uses it solely to
// collect checks.json files from a results folder. A module hook (conformance-hooks.mjs) swaps that one
// import for a small `**/<name>` finder, so the scenarios run unchanged on the Node this project supports.
// usage: node scripts/conformance.mjs <conformance arguments>   (e.g. server --url http://127.0.0.1:3000/mcp)
import { register } from 'node:module';
import process from 'node:process';

if (Number(process.versions.node.split('.')[0]) < 22) register('./conformance-hooks.mjs', import.meta.url);
const entry = import.meta.resolve('@modelcontextprotocol/conformance/dist/index.js');
process.argv = [process.argv[0] ?? 'node', entry, ...process.argv.slice(2)];
await import(entry);
