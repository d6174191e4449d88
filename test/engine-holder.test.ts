import { promises as fs } from 'node:fs';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../src/config.js';
import { ask } from '../src/engine.js';
import { EngineHolder } from '../src/engine-holder.js';
import { AppError } from '../src/errors.js';
import { buildIndex, type BuildReport } from '../src/ingest/build.js';
import { createApp } from '../src/http/app.js';
import { createLogger } from '../src/logger.js';

const logger = createLogger('silent');
let root: string;
let config: Config;

const DOC_A =
  'Blijf bewegen bij rugpijn\n\nMensen met lage rugpijn blijven best in beweging. Bedrust vertraagt het herstel van de rug.\n';
const DOC_B =
  'Zwemmen en rugpijn\n\nZwemmen is een rustige sport voor wie lage rugpijn heeft. Schoolslag belast de onderrug iets meer dan rugslag.\n';

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'rugwijs-holder-'));
  await fs.mkdir(path.join(root, 'corpus'));
  await fs.writeFile(path.join(root, 'corpus', 'a.txt'), DOC_A);
  config = loadConfig(
    {},
    { corpusDir: path.join(root, 'corpus'), indexDir: path.join(root, 'index'), logLevel: 'silent' },
  );
});

afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('EngineHolder', () => {
  it('keeps answering from the old engine while rebuilding, then swaps to the new build', async () => {
    const gate = deferred<void>();
    const holder = new EngineHolder(config, logger, {
      build: async (c) => {
        await gate.promise;
        return buildIndex({ corpusDir: c.corpusDir, indexDir: c.indexDir });
      },
    });
    const first = await holder.start();
    expect(holder.status().serving?.documents).toBe(1);

    await fs.writeFile(path.join(config.corpusDir, 'b.txt'), DOC_B);
    const running = holder.reload('test');
    await new Promise((r) => setTimeout(r, 20));
    // Mid-rebuild: the old engine still answers, /healthz would show the rebuild.
    expect(holder.get()).toBe(first);
    expect(holder.status().building?.trigger).toBe('test');
    const old = await ask(holder.get(), { question: 'Helpt zwemmen bij lage rugpijn?' });
    expect(old.citations.every((c) => c.file === 'a.txt')).toBe(true);

    gate.resolve();
    const result = await running;
    expect(result.outcome).toBe('swapped');
    expect(holder.get()).not.toBe(first);
    expect(holder.get().index.manifest.build).toBe(result.build);
    expect(holder.status()).toMatchObject({
      serving: { documents: 2, build: result.build },
      lastReload: { swapped: true },
    });
    expect(holder.status().building).toBeUndefined();
    const fresh = await ask(holder.get(), { question: 'Helpt zwemmen bij lage rugpijn?' });
    expect(fresh.citations.map((c) => c.file)).toContain('b.txt');
  }, 60_000);

  it('keeps the old build when a rebuild fails, reports it, and clears the report after a good one', async () => {
    let fail = true;
    const holder = new EngineHolder(config, logger, {
      build: (c) =>
        fail
          ? Promise.reject(new AppError('config_error', 'kapotte sources.json'))
          : buildIndex({ corpusDir: c.corpusDir, indexDir: c.indexDir }),
    });
    const first = await holder.start();
    const failed = await holder.reload('test');
    expect(failed).toMatchObject({
      outcome: 'failed',
      error: { code: 'config_error' },
      build: first.index.manifest.build,
    });
    expect(holder.get()).toBe(first);
    expect(holder.status().lastError).toMatchObject({
      code: 'config_error',
      message: 'kapotte sources.json',
    });
    fail = false;
    expect((await holder.reload('test')).outcome).toBe('unchanged');
    expect(holder.status().lastError).toBeUndefined();
  }, 60_000);

  it('runs one rebuild at a time: a trigger during a rebuild queues exactly one more', async () => {
    let builds = 0;
    const gate = deferred<void>();
    const holder = new EngineHolder(config, logger, {
      build: async (c): Promise<BuildReport> => {
        builds++;
        await gate.promise;
        return buildIndex({ corpusDir: c.corpusDir, indexDir: c.indexDir });
      },
    });
    gate.resolve(); // the first start builds nothing through `build`; let reloads through
    await holder.start();
    const a = holder.reload('1');
    const b = holder.reload('2');
    const c = holder.reload('3');
    expect(a).toBe(b);
    expect(b).toBe(c);
    await a;
    await new Promise((r) => setTimeout(r, 50));
    // Three triggers during one rebuild: that rebuild plus exactly one follow-up, never three.
    expect(builds).toBe(2);
  }, 60_000);

  it('rebuilds by itself after a debounce when a corpus file changes', async () => {
    const holder = new EngineHolder(config, logger, { debounceMs: 100 });
    await holder.start();
    const before = holder.get().index.manifest.build;
    const stop = holder.watchCorpus();
    try {
      await fs.writeFile(path.join(config.corpusDir, 'c.txt'), `${DOC_B}\nRugslag ontlast de rug.\n`);
      const deadline = Date.now() + 30_000;
      while (holder.get().index.manifest.build === before && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
      expect(holder.get().index.manifest.build).not.toBe(before);
      expect(holder.status().lastReload?.trigger).toMatch(/corpus changed/);
    } finally {
      stop();
      await fs.rm(path.join(config.corpusDir, 'c.txt'));
    }
  }, 60_000);
});

describe('POST /api/admin/reload and /healthz', () => {
  async function serve(cfg: Config): Promise<{ url: string; server: http.Server; holder: EngineHolder }> {
    const holder = new EngineHolder(cfg, logger);
    const engine = holder.start();
    const server = createApp(engine, cfg, logger, { holder }).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    await engine;
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, holder };
  }

  it('requires a bearer token, even when the API has none', async () => {
    const { url, server } = await serve(config);
    try {
      const res = await fetch(`${url}/api/admin/reload`, { method: 'POST' });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string; message: string } }).error.message).toMatch(
        /RUGWIJS_ADMIN_TOKEN/,
      );
    } finally {
      server.close();
    }
  }, 60_000);

  it('reloads with the admin token and reports the served build on /healthz', async () => {
    const { url, server } = await serve({ ...config, adminToken: 'geheim-token' });
    try {
      expect(
        (
          await fetch(`${url}/api/admin/reload`, {
            method: 'POST',
            headers: { authorization: 'Bearer fout' },
          })
        ).status,
      ).toBe(401);
      await fs.writeFile(path.join(config.corpusDir, 'd.txt'), `${DOC_A}\nWandelen helpt ook.\n`);
      const res = await fetch(`${url}/api/admin/reload?wait=true`, {
        method: 'POST',
        headers: { authorization: 'Bearer geheim-token' },
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { outcome: string; build: string };
      expect(body.outcome).toBe('swapped');
      const health = (await (await fetch(`${url}/healthz`)).json()) as {
        index: { build: string; documents: number };
        reload: { lastReload: { build: string } };
      };
      expect(health.index.build).toBe(body.build);
      expect(health.reload.lastReload.build).toBe(body.build);
      const accepted = await fetch(`${url}/api/admin/reload`, {
        method: 'POST',
        headers: { authorization: 'Bearer geheim-token' },
      });
      expect(accepted.status).toBe(202);
    } finally {
      server.close();
      await fs.rm(path.join(config.corpusDir, 'd.txt'));
    }
  }, 60_000);
});
