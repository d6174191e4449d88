import autocannon from 'autocannon';
import { sampleRss } from './server.js';
import { round, summarize, type LatencySummary } from './stats.js';

/** Result of one autocannon run against one endpoint at one concurrency. */
export interface LoadResult {
  endpoint: string;
  connections: number;
  durationS: number;
  requests: number;
  /** Completed responses per second (2xx and others) over the run. */
  rps: number;
  /** Latency of every response in ms, measured by autocannon per request (exact, not histogram buckets). */
  latency: LatencySummary;
  /** Socket errors + timeouts (autocannon `errors` includes timeouts). */
  errors: number;
  timeouts: number;
  non2xx: number;
  /** Highest server RSS (MB) seen while the run was going, sampled every 100 ms. */
  maxRssMb: number;
}

export interface LoadOptions {
  /** Server base URL, e.g. http://127.0.0.1:41234. */
  url: string;
  /** Server process id (for RSS sampling). */
  pid: number;
  /** Path such as /api/ask. */
  path: string;
  /** JSON bodies; each connection cycles through them in order. */
  bodies: readonly unknown[];
  connections: number;
  /** Seconds. */
  durationS: number;
}

/**
 * Runs autocannon with a rotating `requests` array (one POST per body, application/json). Latency
 * percentiles come from the per-response `response` event rather than autocannon's histogram, which only
 * reports p97.5/p99 and ms-bucketed values.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  const rss = sampleRss(options.pid);
  let maxRssMb = Number.NaN;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    // The callback form returns the instance (the promise form does not), which the response hook needs.
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.durationS,
        timeout: 10,
        requests: options.bodies.map((b) => ({
          method: 'POST' as const,
          path: options.path,
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify(b),
        })),
      },
      (err: Error | null, res: autocannon.Result) => (err ? reject(err) : resolve(res)),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => {
      latencies.push(responseTime);
    });
  }).finally(() => {
    maxRssMb = rss.stop();
  });
  const elapsedS = result.duration > 0 ? result.duration : options.durationS;
  const requests = latencies.length;
  return {
    endpoint: `POST ${options.path}`,
    connections: options.connections,
    durationS: round(elapsedS, 2),
    requests,
    rps: round(requests / elapsedS, 1),
    latency: summarize(latencies),
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    maxRssMb: round(maxRssMb, 1),
  };
}
