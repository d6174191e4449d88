import { watch, type FSWatcher } from 'node:fs';
import type { Config } from './config.js';
import { createEngine, search, type Engine } from './engine.js';
import { AppError, isAppError } from './errors.js';
import { buildIndex, type BuildReport } from './ingest/build.js';
import type { Logger } from './logger.js';

/** The build an engine serves, as /healthz reports it. */
export interface BuildInfo {
  build: string;
  builtAt: string;
  documents: number;
  chunks: number;
  /** Files that could not be read, each with its one-line reason. */
  skipped: { path: string; reason: string }[];
}

/** What the holder is doing, for /healthz and POST /api/admin/reload. */
export interface ReloadStatus {
  serving?: BuildInfo;
  /** A rebuild in progress: why and since when (ISO time). */
  building?: { trigger: string; since: string };
  /** The last failed rebuild; the previous build kept serving. Cleared by the next successful one. */
  lastError?: { at: string; code: string; message: string };
  /** The last completed reload (ISO time) and whether it swapped in a new build. */
  lastReload?: { at: string; trigger: string; swapped: boolean; build: string };
}

/** Outcome of one {@link EngineHolder.reload}. */
export interface ReloadResult {
  /** 'swapped': a new build is served; 'unchanged': the corpus had not changed; 'failed': old build kept. */
  outcome: 'swapped' | 'unchanged' | 'failed';
  build?: string;
  error?: { code: string; message: string };
}

export interface EngineHolderOptions {
  /** Builds the index (default buildIndex with the config's folders). Injected by tests. */
  build?: (config: Config) => Promise<BuildReport>;
  /** Loads an engine from the built index (default createEngine). Injected by tests. */
  load?: (config: Config, logger?: Logger) => Promise<Engine>;
  /** Quiet time after the last corpus change before a rebuild starts (ms, default 1000). */
  debounceMs?: number;
}

/**
 * Holds the engine the server answers from and replaces it atomically: a reload builds and loads the new
 * index in the background while requests keep getting the old engine, verifies it (loads with checksums,
 * answers a probe search), and only then swaps the reference — a request sees either the old engine or the
 * new one, never a mix. A failed rebuild keeps the old engine and is reported in {@link status}. Reloads
 * never overlap: a trigger during a rebuild schedules one more rebuild after it.
 */
export class EngineHolder {
  readonly #config: Config;
  readonly #logger: Logger | undefined;
  readonly #build: (config: Config) => Promise<BuildReport>;
  readonly #load: (config: Config, logger?: Logger) => Promise<Engine>;
  readonly #debounceMs: number;
  #engine: Engine | undefined;
  #status: ReloadStatus = {};
  #running: Promise<ReloadResult> | undefined;
  #again: string | undefined;
  #watcher: FSWatcher | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(config: Config, logger?: Logger, options: EngineHolderOptions = {}) {
    this.#config = config;
    this.#logger = logger;
    this.#build =
      options.build ??
      ((c) => buildIndex({ corpusDir: c.corpusDir, indexDir: c.indexDir, embedModel: c.embedModel }));
    this.#load = options.load ?? createEngine;
    this.#debounceMs = options.debounceMs ?? 1000;
  }

  /** Loads (building when needed) the first engine; resolves with it. */
  async start(): Promise<Engine> {
    const engine = await this.#load(this.#config, this.#logger);
    this.#swap(engine);
    return engine;
  }

  /** The engine being served, or AppError('not_ready') before the first load. */
  get(): Engine {
    if (!this.#engine)
      throw new AppError('not_ready', 'The index is still loading; try again in a few seconds.');
    return this.#engine;
  }

  /** The engine being served, if any. */
  get current(): Engine | undefined {
    return this.#engine;
  }

  /** Served build, a rebuild in progress and the last failure (a copy). */
  status(): ReloadStatus {
    return structuredClone(this.#status);
  }

  /**
   * Rebuilds from the corpus folder and swaps in the new engine when the build is complete and verified.
   * Concurrent calls share the running rebuild; a call that arrives during one causes one more run after it
   * (the corpus may have changed again). Never throws: a failure is returned and kept in {@link status}.
   */
  reload(trigger: string): Promise<ReloadResult> {
    if (this.#running) {
      this.#again = trigger;
      return this.#running;
    }
    const run = this.#reloadOnce(trigger).finally(() => {
      this.#running = undefined;
      const next = this.#again;
      this.#again = undefined;
      if (next !== undefined) void this.reload(next);
    });
    this.#running = run;
    return run;
  }

  async #reloadOnce(trigger: string): Promise<ReloadResult> {
    const since = new Date().toISOString();
    this.#status.building = { trigger, since };
    this.#logger?.info({ trigger }, 'rebuilding the index in the background');
    try {
      const report = await this.#build(this.#config);
      const servingBuild = this.#engine?.index.manifest.build;
      if (report.status === 'up-to-date' && servingBuild === report.build) {
        this.#status.lastReload = {
          at: new Date().toISOString(),
          trigger,
          swapped: false,
          build: report.build,
        };
        delete this.#status.lastError;
        return { outcome: 'unchanged', build: report.build };
      }
      const engine = await this.#load(this.#config, this.#logger);
      await verify(engine);
      this.#swap(engine);
      this.#status.lastReload = {
        at: new Date().toISOString(),
        trigger,
        swapped: true,
        build: engine.index.manifest.build,
      };
      delete this.#status.lastError;
      this.#logger?.info(
        { build: engine.index.manifest.build, chunks: engine.index.manifest.chunks },
        'index reloaded',
      );
      return { outcome: 'swapped', build: engine.index.manifest.build };
    } catch (err) {
      const error = {
        code: isAppError(err) ? err.code : 'internal',
        message: err instanceof Error ? err.message : String(err),
      };
      this.#status.lastError = { at: new Date().toISOString(), ...error };
      this.#logger?.error({ err }, 'index rebuild failed; still serving the previous build');
      return {
        outcome: 'failed',
        error,
        ...(this.#engine ? { build: this.#engine.index.manifest.build } : {}),
      };
    } finally {
      delete this.#status.building;
    }
  }

  #swap(engine: Engine): void {
    this.#engine = engine; // one reference assignment: the swap is atomic for every later request
    const m = engine.index.manifest;
    this.#status.serving = {
      build: m.build,
      builtAt: m.builtAt,
      documents: m.corpus.length,
      chunks: m.chunks,
      skipped: m.skipped.map(({ path, reason }) => ({ path, reason })),
    };
  }

  /**
   * Watches the corpus folder (recursively) and reloads after `debounceMs` without further changes, so
   * copying in a folder of PDFs triggers one rebuild, not one per file. Returns a function that stops it.
   */
  watchCorpus(): () => void {
    if (this.#watcher) return () => this.stop();
    try {
      this.#watcher = watch(
        this.#config.corpusDir,
        { recursive: true, persistent: false },
        (_event, name) => {
          if (
            name &&
            String(name)
              .split(/[\\/]/u)
              .some((part) => part.startsWith('.'))
          )
            return; // editor temp files
          if (this.#timer) clearTimeout(this.#timer);
          this.#timer = setTimeout(() => {
            this.#timer = undefined;
            void this.reload(`corpus changed (${String(name ?? '?')})`);
          }, this.#debounceMs);
          this.#timer.unref();
        },
      );
      this.#watcher.on('error', (err) => this.#logger?.warn({ err }, 'corpus watcher stopped'));
    } catch (err) {
      this.#logger?.warn({ err }, 'cannot watch the corpus folder; use POST /api/admin/reload');
    }
    return () => this.stop();
  }

  /** Stops the watcher and any pending debounce timer (a running rebuild finishes on its own). */
  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#watcher?.close();
    this.#watcher = undefined;
  }
}

/** A loaded engine must hold chunks and answer a search before it is served. */
async function verify(engine: Engine): Promise<void> {
  const first = engine.index.chunks[0];
  if (!first) throw new AppError('index_corrupt', 'The new index has no passages.');
  const words = first.text
    .split(/\s+/u)
    .filter((w) => /\p{L}{4,}/u.test(w))
    .slice(0, 6)
    .join(' ');
  if (words && (await search(engine, { query: words, k: 1 })).results.length === 0)
    throw new AppError('index_corrupt', 'The new index does not find its own first passage.');
}
