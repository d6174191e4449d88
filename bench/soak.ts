/**
 * `npm run bench -- --only soak` — a short soak of the real server (`npm start` flags: 192 MB heap cap) on
 * 127.0.0.1: 50 connections for 60 s (`--duration S` to change), bounded in count and time. 40 are normal
 * clients (POST /api/search and /api/ask, keep-alive, one request at a time); 10 are hostile: 4 pipeline
 * big MCP replies and never read (reconnecting when dropped), 3 post 100-call JSON-RPC batches, 3 send
 * chunked bodies past the limit. Reports RSS every 5 s, request counts and the normal clients' latency.
 */
import http from 'node:http';
import net from 'node:net';
import { readRssMb, type BenchServer } from './server.js';
import { round, summarize } from './stats.js';

export interface SoakResult {
  durationS: number;
  connections: { normal: number; nonReading: number; batch: number; chunked: number };
  /** RSS of the server process over time (MB), sampled every 5 s from the start. */
  rss: { t: number; mb: number }[];
  maxRssMb: number;
  normal: { ok: number; failed: number; latencyMs: ReturnType<typeof summarize> };
  hostile: { nonReadingConnections: number; batchesRefused: number; chunkedRefused: number };
  /** The server still answered /healthz with 200 at the end (it never crashed). */
  aliveAtEnd: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function post(url: URL, route: string, body: string, agent: http.Agent): Promise<number> {
  return new Promise((resolve) => {
    const req = http.request(
      { host: url.hostname, port: url.port, method: 'POST', path: route, agent, timeout: 15_000, headers: { 'content-type': 'application/json' } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

/** Runs the soak against a spawned server; every loop stops at `durationS`. */
export async function runSoak(server: BenchServer, questions: string[], durationS = 60): Promise<SoakResult> {
  const url = new URL(server.url);
  const end = Date.now() + durationS * 1_000;
  const rss: { t: number; mb: number }[] = [{ t: 0, mb: round(readRssMb(server.pid), 1) }];
  const t0 = Date.now();
  const sampler = setInterval(() => rss.push({ t: Math.round((Date.now() - t0) / 1000), mb: round(readRssMb(server.pid), 1) }), 5_000);
  const latencies: number[] = [];
  let ok = 0;
  let failed = 0;
  let nonReading = 0;
  let batchesRefused = 0;
  let chunkedRefused = 0;

  const normal = Array.from({ length: 40 }, async (_, i) => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    for (let n = 0; Date.now() < end; n++) {
      const q = questions[(i + n) % questions.length] ?? 'Helpt bewegen bij lage rugpijn?';
      const t = performance.now();
      const status = await post(url, n % 2 ? '/api/ask' : '/api/search', JSON.stringify(n % 2 ? { question: q } : { query: q }), agent);
      latencies.push(performance.now() - t);
      if (status === 200) ok++;
      else failed++;
    }
    agent.destroy();
  });

  const getSource = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'get_source', arguments: { file: '001_799c556b91de25d4.txt' } } });
  const pipelined = `POST /mcp HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nContent-Length: ${Buffer.byteLength(getSource)}\r\n\r\n${getSource}`.repeat(60);
  const nonReaders = Array.from({ length: 4 }, async () => {
    while (Date.now() < end) {
      nonReading++;
      await new Promise<void>((resolve) => {
        const s = net.connect(Number(url.port), url.hostname);
        s.on('error', () => undefined);
        s.on('close', () => resolve());
        s.write(pipelined);
        s.pause();
        // Bounded: give up on this connection at the end of the soak at the latest.
        setTimeout(() => s.destroy(), Math.max(0, end - Date.now())).unref();
      });
      await sleep(200);
    }
  });

  const q = 'rugpijn oefentherapie bewegen '.repeat(40).slice(0, 1000);
  const batch = JSON.stringify(
    Array.from({ length: 100 }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'tools/call', params: { name: 'search_passages', arguments: { query: q, k: 50 } } })),
  );
  const batchers = Array.from({ length: 3 }, async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    while (Date.now() < end) {
      const status = await new Promise<number>((resolve) => {
        const req = http.request(
          { host: url.hostname, port: url.port, method: 'POST', path: '/mcp', agent, headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' } },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          },
        );
        req.on('error', () => resolve(0));
        req.end(batch);
      });
      if (status === 400) batchesRefused++;
      await sleep(50);
    }
    agent.destroy();
  });

  const chunkers = Array.from({ length: 3 }, async () => {
    while (Date.now() < end) {
      const status = await new Promise<number>((resolve) => {
        const req = http.request(
          { host: url.hostname, port: url.port, method: 'POST', path: '/api/ask', agent: false, headers: { 'content-type': 'application/json' } },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', () => resolve(0));
        const chunk = Buffer.alloc(64 * 1024, 'a');
        let sent = 0;
        // At most 64 MB per attempt: the server is expected to stop reading long before.
        const pump = () => {
          while (sent < 64 * 1024 ** 2) {
            sent += chunk.length;
            if (!req.write(chunk)) {
              req.once('drain', pump);
              return;
            }
          }
          req.end();
        };
        pump();
      });
      if (status === 413) chunkedRefused++;
      await sleep(100);
    }
  });

  await Promise.all([...normal, ...nonReaders, ...batchers, ...chunkers]);
  clearInterval(sampler);
  rss.push({ t: Math.round((Date.now() - t0) / 1000), mb: round(readRssMb(server.pid), 1) });
  const aliveAtEnd = (await new Promise<number>((resolve) => {
    http.get(`${server.url}/healthz`, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', () => resolve(0));
  })) === 200;
  return {
    durationS,
    connections: { normal: 40, nonReading: 4, batch: 3, chunked: 3 },
    rss,
    maxRssMb: Math.max(...rss.map((r) => r.mb)),
    normal: { ok, failed, latencyMs: summarize(latencies) },
    hostile: { nonReadingConnections: nonReading, batchesRefused, chunkedRefused },
    aliveAtEnd,
  };
}

/** Prints the soak as a small RSS-over-time table plus totals. */
export function printSoak(r: SoakResult): void {
  console.log(`\nSoak: ${r.durationS} s, 50 connections (40 normal, 4 non-reading, 3 batch, 3 chunked) on 127.0.0.1`);
  console.log('  t (s)  RSS (MB)');
  for (const s of r.rss) console.log(`  ${String(s.t).padStart(5)}  ${s.mb.toFixed(1).padStart(8)}`);
  console.log(`  max RSS ${r.maxRssMb} MB; server alive at the end: ${r.aliveAtEnd ? 'yes' : 'NO'}`);
  console.log(
    `  normal requests: ${r.normal.ok} ok, ${r.normal.failed} failed; latency p50 ${r.normal.latencyMs.p50} ms, p95 ${r.normal.latencyMs.p95} ms`,
  );
  console.log(
    `  hostile: ${r.hostile.nonReadingConnections} non-reading connections, ${r.hostile.batchesRefused} batches refused, ${r.hostile.chunkedRefused} chunked uploads refused (413)`,
  );
}
