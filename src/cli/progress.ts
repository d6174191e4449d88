import cliProgress from 'cli-progress';
import type { ProgressFn } from '../ingest/build.js';

/**
 * A progress bar on a TTY (stderr), silence otherwise — the caller prints one structured line at the end.
 */
export function createProgress(stream: NodeJS.WriteStream = process.stderr): { update: ProgressFn; stop: () => void } {
  if (!stream.isTTY) return { update: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    { format: '{stage} [{bar}] {value}/{total}', stream, hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  let current = '';
  return {
    update(stage, done, total) {
      if (stage !== current) {
        if (current) bar.stop();
        current = stage;
        bar.start(total, done, { stage: stage.padEnd(8) });
      } else {
        bar.setTotal(total);
        bar.update(done, { stage: stage.padEnd(8) });
      }
    },
    stop: () => bar.stop(),
  };
}
