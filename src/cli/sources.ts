import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { extractDocument, formatOf, SUPPORTED_EXTENSIONS, UnreadableError } from '../corpus/extract.js';
import {
  loadCorpus,
  loadSources,
  SOURCES_FILE,
  SourceEntrySchema,
  type SourceEntry,
} from '../corpus/load.js';
import { deriveMetadata, loadMetadataPatterns } from '../corpus/metadata.js';
import { AppError } from '../errors.js';
import { writeFileAtomic } from '../ingest/atomic-write.js';
import type { SourceMeta } from '../types.js';
import type { Command } from './command.js';

const FIELDS = ['kind', 'authority', 'date', 'publisher', 'title'] as const;

/**
 * `rugwijs sources [--json]`: every document in the corpus folder with the metadata the index will use;
 * a value derived from the document (no sources.json field) is marked with `*`. Unreadable files and
 * sources.json entries without a file are listed below the table, one warning line each.
 */
export const sourcesCommand: Command = async (args, config) => {
  const { values } = parseArgs({
    args,
    options: { json: { type: 'boolean', default: false } },
    strict: true,
  });
  const { sources, docs, skipped, orphanEntries } = await loadCorpus(config.corpusDir);
  if (values.json) {
    const paths = new Map(docs.map((d) => [d.file, { path: d.path, format: d.format }]));
    console.log(
      JSON.stringify(
        { sources: sources.map((s) => ({ ...s, ...paths.get(s.file) })), skipped, orphanEntries },
        null,
        2,
      ),
    );
    return;
  }
  const rows = sources.map((s) => [s.file, ...FIELDS.map((f) => cell(s, f))]);
  printTable(['file', ...FIELDS], rows);
  console.log(`\n${sources.length} documents; * = derived from the document (no ${SOURCES_FILE} field).`);
  for (const s of skipped) console.log(`warning: ${s.path} not indexed: ${s.reason}`);
  for (const f of orphanEntries)
    console.log(`warning: ${SOURCES_FILE} names ${f}, which is not in the corpus folder`);
};

/**
 * `rugwijs add FILE [--title T] [--kind K] [--publisher P] [--date YYYY[-MM[-DD]]] [--authority N]
 * [--label L] [--force]`: checks that FILE can be read, copies it into the corpus folder and writes the
 * given fields as its sources.json entry (fields not given stay derived). Refuses to overwrite a corpus
 * file without --force. Prints the metadata the index will use.
 */
export const addCommand: Command = async (args, config) => {
  const { values, positionals } = parseArgs({
    args,
    options: {
      title: { type: 'string' },
      kind: { type: 'string' },
      publisher: { type: 'string' },
      date: { type: 'string' },
      authority: { type: 'string' },
      label: { type: 'string' },
      force: { type: 'boolean', default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  const [source, ...extra] = positionals;
  if (!source || extra.length > 0)
    throw new AppError(
      'bad_request',
      'usage: rugwijs add FILE [--title T] [--kind K] [--publisher P] [--date D]',
    );
  const name = path.basename(source);
  if (!formatOf(name))
    throw new AppError(
      'bad_request',
      `${name}: unsupported format (supported: ${SUPPORTED_EXTENSIONS.join(', ')})`,
    );
  const fields = Object.fromEntries(
    Object.entries({
      ...values,
      authority: values.authority === undefined ? undefined : Number(values.authority),
    }).filter(([k, v]) => k !== 'force' && v !== undefined),
  );
  const parsed = SourceEntrySchema.safeParse({ file: name, ...fields });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError(
      'validation_error',
      `--${issue?.path.join('.') ?? '?'}: ${issue?.message ?? 'invalid'} (kinds: guideline, evidence-summary, practice-article, news, unknown)`,
    );
  }
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(source);
  } catch (e) {
    throw new AppError('bad_request', `Cannot read ${source}: ${e instanceof Error ? e.message : String(e)}`);
  }
  let extracted;
  try {
    extracted = await extractDocument(name, bytes);
  } catch (e) {
    if (e instanceof UnreadableError)
      throw new AppError('bad_request', `${name} cannot be added: ${e.message}`);
    throw e;
  }
  const target = path.join(config.corpusDir, name);
  const exists = await fs.access(target).then(
    () => true,
    () => false,
  );
  if (exists && !values.force)
    throw new AppError('bad_request', `${target} already exists; use --force to replace it.`);

  // Validate sources.json before copying, so a broken file stops the command with nothing changed.
  const entries = await loadSources(config.corpusDir);
  await fs.mkdir(config.corpusDir, { recursive: true });
  await fs.copyFile(source, target);
  const entry: SourceEntry = parsed.data;
  const others = entries.filter((e) => e.file !== name);
  if (Object.keys(fields).length > 0 || entries.length !== others.length) {
    const next = Object.keys(fields).length > 0 ? [...others, entry] : others;
    next.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    await writeFileAtomic(path.join(config.corpusDir, SOURCES_FILE), `${JSON.stringify(next, null, 2)}\n`);
  }
  const { file: _f, ...explicit } = entry;
  const heading = extracted.headings?.[0];
  const meta = deriveMetadata(
    {
      file: name,
      text: extracted.text,
      hints: extracted.format === 'pdf' ? { ...extracted.hints, date: undefined } : extracted.hints,
      ...(heading ? { firstHeading: extracted.text.slice(heading.start, heading.end) } : {}),
    },
    explicit,
    loadMetadataPatterns(),
  );
  console.log(
    `Added ${target} (${extracted.format}, ${extracted.text.length} characters${extracted.pages ? `, ${extracted.pages.length} pages` : ''}).`,
  );
  for (const f of FIELDS) console.log(`  ${f.padEnd(9)} ${cell(meta, f)}`);
  console.log(
    '* = derived from the document. A running server reloads by itself; otherwise run "npm run ingest".',
  );
};

function cell(s: SourceMeta, field: (typeof FIELDS)[number]): string {
  const value = s[field];
  const text = value === undefined ? '—' : String(value);
  return s.derived?.includes(field) ? `${text}*` : text;
}

function printTable(header: readonly string[], rows: string[][]): void {
  const max = [40, 18, 9, 12, 30, 60];
  const clip = (s: string, i: number) =>
    s.length > (max[i] ?? 40) ? `${s.slice(0, (max[i] ?? 40) - 1)}…` : s;
  const all = [header.map((h, i) => clip(h, i)), ...rows.map((r) => r.map(clip))];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  for (const r of all)
    console.log(
      r
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    );
}
