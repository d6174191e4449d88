/**
 * Child process of test/ingest/lock.test.ts: `tsx ingest-loop.ts <corpusDir> <indexDir> <rounds>` runs that
 * many forced ingests one after another (buildIndex, so through the ingest lock) and prints one JSON line
 * per round: `{"round":n,"status":"built","build":"…"}` or `{"round":n,"error":"…"}`.
 */
import { buildIndex } from '../../src/ingest/build.js';

const [corpusDir = '', indexDir = '', roundsArg = '1'] = process.argv.slice(2);
for (let round = 1; round <= Number(roundsArg); round++) {
  try {
    const report = await buildIndex({ corpusDir, indexDir, force: true });
    console.log(JSON.stringify({ round, status: report.status, build: report.build }));
  } catch (e) {
    console.log(JSON.stringify({ round, error: e instanceof Error ? e.message : String(e) }));
    process.exitCode = 1;
  }
}
