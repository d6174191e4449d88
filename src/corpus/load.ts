import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../errors.js';
import type { SourceMeta } from '../types.js';

/** Name of the metadata file inside the corpus folder. */
export const SOURCES_FILE = 'sources.json';

/** ISO date with year, year-month or full date precision; month and day must be real calendar values. */
const IsoDateSchema = z
  .string()
  .regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'date must be YYYY, YYYY-MM or YYYY-MM-DD')
  .refine(isRealDate, 'date is not a real calendar date');

const SourceMetaSchema = z
  .object({
    file: z.string().regex(/^[^/\\]+\.txt$/, 'file must be a plain *.txt file name (no folders)'),
    title: z.string().trim().min(1),
    kind: z.enum(['guideline', 'evidence-summary', 'practice-article', 'news']),
    publisher: z.string().trim().min(1),
    date: IsoDateSchema.optional(),
    /** 1 = guideline … 4 = news; lower wins when sources disagree. */
    authority: z.number().int().min(1).max(4),
    label: z.string().trim().min(1),
  })
  .strict();

/** zod schema of `corpus/sources.json`: an array of SourceMeta with unique file names. */
export const SourcesFileSchema = z.array(SourceMetaSchema).superRefine((entries, ctx) => {
  const seen = new Set<string>();
  entries.forEach((entry, i) => {
    if (seen.has(entry.file)) {
      ctx.addIssue({ code: 'custom', path: [i, 'file'], message: `duplicate entry for ${entry.file}` });
    }
    seen.add(entry.file);
  });
});

/** A corpus file as read from disk: its name, decoded text (byte-for-byte, BOM kept) and content hash. */
export interface RawDoc {
  file: string;
  original: string;
  /** Hex SHA-256 of the file's bytes (used to detect a stale index). */
  sha256: string;
}

/**
 * Reads and validates `<corpusDir>/sources.json`. Entries are returned sorted by file name.
 * Throws AppError('config_error') naming the file and the first problems when it is missing, not JSON or
 * does not match {@link SourcesFileSchema}.
 */
export async function loadSources(corpusDir: string): Promise<SourceMeta[]> {
  const file = path.join(corpusDir, SOURCES_FILE);
  let raw: string;
  try {
    raw = await fs.readFile(file, 'utf8');
  } catch (e) {
    throw new AppError('config_error', `Cannot read corpus metadata ${file}: ${errorMessage(e)}`, {
      cause: e,
    });
  }
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
    throw new AppError('config_error', `Corpus metadata ${file} is invalid: ${problems}`, {
      details: parsed.error.issues,
    });
  }
  return [...parsed.data].sort((a, b) => compareNames(a.file, b.file));
}

/**
 * Loads the corpus: the validated metadata and every `*.txt` file in `corpusDir`, sorted by file name.
 * Every text file must have a metadata entry and every entry must have its file; otherwise, and when the
 * folder is missing, empty or a file is not valid UTF-8, throws AppError('config_error').
 */
export async function loadCorpus(corpusDir: string): Promise<{ sources: SourceMeta[]; docs: RawDoc[] }> {
  let names: string[];
  try {
    names = await fs.readdir(corpusDir);
  } catch (e) {
    throw new AppError('config_error', `Cannot read corpus folder ${corpusDir}: ${errorMessage(e)}`, {
      cause: e,
    });
  }
  const textFiles = names.filter((n) => n.endsWith('.txt')).sort(compareNames);
  if (textFiles.length === 0) {
    throw new AppError('config_error', `Corpus folder ${corpusDir} contains no .txt files.`);
  }
  const sources = await loadSources(corpusDir);
  const described = new Set(sources.map((s) => s.file));
  const undescribed = textFiles.filter((f) => !described.has(f));
  if (undescribed.length > 0) {
    throw new AppError(
      'config_error',
      `Corpus files without an entry in ${SOURCES_FILE}: ${undescribed.join(', ')}. Add title, kind, publisher, authority and label for each.`,
    );
  }
  const present = new Set(textFiles);
  const missing = sources.filter((s) => !present.has(s.file)).map((s) => s.file);
  if (missing.length > 0) {
    throw new AppError(
      'config_error',
      `${SOURCES_FILE} lists files that are not in ${corpusDir}: ${missing.join(', ')}.`,
    );
  }

  // fatal: reject invalid UTF-8 instead of silently inserting U+FFFD; ignoreBOM: keep a BOM so offsets
  // into `original` stay offsets into the decoded file.
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const docs: RawDoc[] = [];
  for (const file of textFiles) {
    const bytes = await fs.readFile(path.join(corpusDir, file));
    let original: string;
    try {
      original = decoder.decode(bytes);
    } catch (e) {
      throw new AppError('config_error', `Corpus file ${file} is not valid UTF-8.`, { cause: e });
    }
    docs.push({ file, original, sha256: createHash('sha256').update(bytes).digest('hex') });
  }
  return { sources, docs };
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
