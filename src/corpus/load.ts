import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../errors.js';
import type { SourceMeta } from '../types.js';
import {
  extractDocument,
  formatOf,
  SUPPORTED_EXTENSIONS,
  UnreadableError,
  type DocFormat,
} from './extract.js';
import { deriveMetadata, loadMetadataPatterns, type MetadataPatterns } from './metadata.js';
import type { HeadingSpan } from './text-builder.js';

/** Name of the (optional) metadata file inside the corpus folder. */
export const SOURCES_FILE = 'sources.json';

/** ISO date with year, year-month or full date precision; month and day must be real calendar values. */
const IsoDateSchema = z
  .string()
  .regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'date must be YYYY, YYYY-MM or YYYY-MM-DD')
  .refine(isRealDate, 'date is not a real calendar date');

const SUPPORTED_RE = new RegExp(
  `(${SUPPORTED_EXTENSIONS.map((e) => e.replace('.', '\\.')).join('|')})$`,
  'iu',
);

/**
 * One `sources.json` entry. Only `file` is required: every other field overrides what is derived from
 * the document (src/corpus/metadata.ts). `file` is the path under the corpus folder ("a.pdf",
 * "richtlijnen/b.html") or the file id the index shows for it.
 */
export const SourceEntrySchema = z
  .object({
    file: z
      .string()
      .min(1)
      .refine(
        (f) => !f.startsWith('/') && !f.includes('\\') && !f.split('/').includes('..'),
        'file must be a path inside the corpus folder',
      )
      .refine((f) => SUPPORTED_RE.test(f), `file must end in ${SUPPORTED_EXTENSIONS.join(', ')}`),
    title: z.string().trim().min(1).optional(),
    kind: z.enum(['guideline', 'evidence-summary', 'practice-article', 'news', 'unknown']).optional(),
    publisher: z.string().trim().min(1).optional(),
    date: IsoDateSchema.optional(),
    /** 1 = guideline … 4 = news; lower wins when sources disagree. */
    authority: z.number().int().min(1).max(4).optional(),
    label: z.string().trim().min(1).optional(),
  })
  .strict();
export type SourceEntry = z.infer<typeof SourceEntrySchema>;

/** zod schema of `corpus/sources.json`: an array of entries with unique file names. */
export const SourcesFileSchema = z.array(SourceEntrySchema).superRefine((entries, ctx) => {
  const seen = new Set<string>();
  entries.forEach((entry, i) => {
    if (seen.has(entry.file)) {
      ctx.addIssue({ code: 'custom', path: [i, 'file'], message: `duplicate entry for ${entry.file}` });
    }
    seen.add(entry.file);
  });
});

/** A corpus document after extraction: its id, where it lives, its text and its content hash. */
export interface RawDoc {
  /** File id used everywhere else (citations, /api/sources/:file): a bare, URL-safe name. */
  file: string;
  /** Path under the corpus folder, '/'-separated. */
  path: string;
  format: DocFormat;
  /** The text citations quote: the file itself for .txt (byte for byte, BOM kept), else the extracted text. */
  original: string;
  /** Hex SHA-256 of the file's bytes (used to detect a stale index). */
  sha256: string;
  /** Parser headings (HTML, Markdown, PDF); undefined for plain text. */
  headings?: HeadingSpan[];
  /** PDF only: offsets of page starts in `original`. */
  pages?: number[];
}

/** A file in the corpus folder that could not be read as a document, with a one-line reason. */
export interface SkippedFile {
  path: string;
  sha256: string;
  reason: string;
}

/** A corpus file seen by {@link scanCorpus}: its path and content hash. */
export interface ScannedFile {
  path: string;
  sha256: string;
}

/** What {@link scanCorpus} found: every candidate file and the hash of sources.json ('' when absent). */
export interface CorpusScan {
  files: ScannedFile[];
  sourcesSha256: string;
}

/** What {@link loadCorpus} returns. */
export interface LoadedCorpus {
  sources: SourceMeta[];
  docs: RawDoc[];
  skipped: SkippedFile[];
  sourcesSha256: string;
  /** sources.json entries whose file is not in the corpus (a warning, not an error). */
  orphanEntries: string[];
}

/**
 * Reads and validates `<corpusDir>/sources.json`; a missing file is an empty list. Entries are returned
 * sorted by file. Throws AppError('config_error') naming the file and the first problems when it is not
 * JSON or does not match {@link SourcesFileSchema}.
 */
export async function loadSources(corpusDir: string): Promise<SourceEntry[]> {
  const raw = await readSourcesFile(corpusDir);
  return raw === undefined ? [] : parseSources(raw, path.join(corpusDir, SOURCES_FILE));
}

async function readSourcesFile(corpusDir: string): Promise<string | undefined> {
  const file = path.join(corpusDir, SOURCES_FILE);
  try {
    return await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new AppError('config_error', `Cannot read corpus metadata ${file}: ${errorMessage(e)}`, {
      cause: e,
    });
  }
}

function parseSources(raw: string, file: string): SourceEntry[] {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (e) {
    throw new AppError('config_error', `Corpus metadata ${file} is not valid JSON: ${errorMessage(e)}`, {
      cause: e,
    });
  }
  const parsed = SourcesFileSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`)
      .join('; ');
    throw new AppError(
      'config_error',
      `Corpus metadata ${file} is invalid: ${problems}. Kinds: guideline, evidence-summary, practice-article, news, unknown.`,
      { details: parsed.error.issues },
    );
  }
  return [...parsed.data].sort((a, b) => compareNames(a.file, b.file));
}

/**
 * Lists every file under `corpusDir` (recursively, sorted by path; hidden files and folders and
 * sources.json excluded) with its sha256, plus the hash of sources.json. Cheap enough to run on every
 * index load: it reads bytes but parses nothing. Throws AppError('config_error') when the folder is missing.
 */
export async function scanCorpus(corpusDir: string): Promise<CorpusScan> {
  const paths = await listFiles(corpusDir);
  const files: ScannedFile[] = new Array<ScannedFile>(paths.length);
  // A few reads in flight at once: a library of hundreds of files is hashed on every load.
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < paths.length; i = next++) {
      const rel = paths[i] as string;
      files[i] = { path: rel, sha256: sha256(await fs.readFile(path.join(corpusDir, rel))) };
    }
  };
  await Promise.all(Array.from({ length: Math.min(16, paths.length) }, worker));
  const raw = await readSourcesFile(corpusDir);
  return { files, sourcesSha256: raw === undefined ? '' : sha256(raw) };
}

/** Relative, '/'-separated paths of the candidate files under `corpusDir`, sorted. */
export async function listFiles(corpusDir: string): Promise<string[]> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await fs.readdir(corpusDir, { recursive: true, withFileTypes: true });
  } catch (e) {
    throw new AppError('config_error', `Cannot read corpus folder ${corpusDir}: ${errorMessage(e)}`, {
      cause: e,
    });
  }
  const out: string[] = [];
  for (const entry of entries) {
    let isFile = entry.isFile();
    const full = path.join(entry.parentPath, entry.name);
    // A symlink counts when it points at a file (a corpus assembled from links to a shared folder).
    if (entry.isSymbolicLink()) isFile = (await fs.stat(full).catch(() => undefined))?.isFile() ?? false;
    if (!isFile) continue;
    const rel = path.relative(corpusDir, full).split(path.sep).join('/');
    if (rel === SOURCES_FILE || rel.split('/').some((part) => part.startsWith('.'))) continue;
    out.push(rel);
  }
  return out.sort(compareNames);
}

/**
 * File ids: a bare, URL-safe name per path (folders joined with "__", other characters → "_"), unique by
 * stem because chunk ids are `<stem>#<n>` ("a.txt" and "a.pdf" → "a.txt" and "a-pdf.pdf").
 */
export function assignFileIds(paths: readonly string[]): Map<string, string> {
  const ids = new Map<string, string>();
  const stems = new Set<string>();
  for (const p of paths) {
    let id = p
      .replace(/\//gu, '__')
      .replace(/[^A-Za-z0-9_.-]/gu, '_')
      .replace(/\.\.+/gu, '.');
    const ext = /\.[^.]*$/u.exec(id)?.[0] ?? '';
    let stem = id.slice(0, id.length - ext.length);
    if (stems.has(stem)) stem = `${stem}-${ext.slice(1).toLowerCase()}`;
    for (let n = 2; stems.has(stem); n++) stem = `${stem}-${n}`;
    id = stem + ext;
    stems.add(stem);
    ids.set(p, id);
  }
  return ids;
}

export interface LoadCorpusOptions {
  /** A previously extracted document for this path and hash (skips re-parsing unchanged PDFs). */
  reuse?: (path: string, sha256: string) => RawDoc | undefined;
  /** Metadata patterns (default: src/corpus/metadata-patterns.json). */
  patterns?: MetadataPatterns;
}

/**
 * Loads the corpus: every .txt, .md, .html/.htm and .pdf under `corpusDir` (recursively), its text
 * extracted, and its metadata — the `sources.json` entry's fields where given, derived from the document
 * otherwise. A file that cannot be read is returned in `skipped` with a one-line reason. Throws
 * AppError('config_error') when the folder is missing, sources.json is invalid, or no document is readable.
 */
export async function loadCorpus(corpusDir: string, options: LoadCorpusOptions = {}): Promise<LoadedCorpus> {
  const paths = await listFiles(corpusDir);
  const rawSources = await readSourcesFile(corpusDir);
  const entries =
    rawSources === undefined ? [] : parseSources(rawSources, path.join(corpusDir, SOURCES_FILE));
  const patterns = options.patterns ?? loadMetadataPatterns();
  const ids = assignFileIds(paths.filter((p) => formatOf(p) !== undefined));
  const docs: RawDoc[] = [];
  const skipped: SkippedFile[] = [];
  const hintsByFile = new Map<string, { hints: Record<string, string> }>();
  for (const rel of paths) {
    const bytes = await fs.readFile(path.join(corpusDir, rel));
    const hash = sha256(bytes);
    const id = ids.get(rel);
    if (!id) {
      skipped.push({
        path: rel,
        sha256: hash,
        reason: `unsupported format (supported: ${SUPPORTED_EXTENSIONS.join(', ')})`,
      });
      continue;
    }
    const reused = options.reuse?.(rel, hash);
    if (reused) {
      docs.push({ ...reused, file: id, path: rel });
      continue;
    }
    try {
      const ex = await extractDocument(rel, bytes);
      // A PDF's Info date is when the file was made (or converted), not when the text was published: unused.
      const { date: _fileDate, ...hints } = ex.hints;
      hintsByFile.set(id, { hints: ex.format === 'pdf' ? hints : ex.hints });
      docs.push({
        file: id,
        path: rel,
        format: ex.format,
        original: ex.text,
        sha256: hash,
        ...(ex.headings ? { headings: ex.headings } : {}),
        ...(ex.pages ? { pages: ex.pages } : {}),
      });
    } catch (e) {
      if (!(e instanceof UnreadableError)) throw e;
      skipped.push({ path: rel, sha256: hash, reason: e.message });
    }
  }
  if (docs.length === 0) {
    const why =
      skipped.length > 0
        ? ` (${skipped.length} unreadable: ${skipped.map((s) => `${s.path}: ${s.reason}`).join('; ')})`
        : '';
    throw new AppError(
      'config_error',
      `Corpus folder ${corpusDir} contains no readable documents (${SUPPORTED_EXTENSIONS.join(', ')})${why}.`,
    );
  }
  const byKey = new Map<string, SourceEntry>();
  for (const e of entries) byKey.set(e.file, e);
  const used = new Set<string>();
  const sources = docs.map((doc) => {
    const entry = byKey.get(doc.path) ?? byKey.get(doc.file);
    if (entry) used.add(entry.file);
    const { file: _file, ...explicit } = entry ?? { file: '' };
    const hint = hintsByFile.get(doc.file);
    const firstHeading = doc.headings?.[0];
    return deriveMetadata(
      {
        file: doc.file,
        text: doc.original,
        ...(firstHeading ? { firstHeading: doc.original.slice(firstHeading.start, firstHeading.end) } : {}),
        hints: hint?.hints ?? {},
      },
      explicit,
      patterns,
    );
  });
  return {
    sources,
    docs,
    skipped,
    sourcesSha256: rawSources === undefined ? '' : sha256(rawSources),
    orphanEntries: entries.filter((e) => !used.has(e.file)).map((e) => e.file),
  };
}

function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Code-unit order (not locale order) so the sort is identical on every machine. */
function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isRealDate(value: string): boolean {
  const [y, m, d] = value.split('-').map(Number);
  if (y === undefined || Number.isNaN(y)) return false;
  if (m === undefined) return true;
  if (m < 1 || m > 12) return false;
  if (d === undefined) return true;
  const daysInMonth = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d >= 1 && d <= daysInMonth;
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
