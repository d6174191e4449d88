import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { SourceKind, SourceMeta } from '../types.js';

/**
 * Metadata of a document without a `sources.json` entry, derived from the document itself: its title
 * (the file's own title, first heading or first line), a date it states, and kind and publisher from the
 * recognisable patterns in `metadata-patterns.json` — or kind `unknown`.
 */

/**
 * Authority per kind (1 = most authoritative; lower wins when sources disagree). A document of unknown
 * kind ranks with practice articles: below guidelines and evidence summaries, whose provenance is known,
 * and above news.
 */
export const DEFAULT_AUTHORITY: Readonly<Record<SourceKind, number>> = {
  guideline: 1,
  'evidence-summary': 2,
  'practice-article': 3,
  unknown: 3,
  news: 4,
};

/** Attribution label per kind when no publisher short name is known ("Volgens de richtlijn"). */
const KIND_LABEL: Readonly<Record<SourceKind, string>> = {
  guideline: 'richtlijn',
  'evidence-summary': 'duiding',
  'practice-article': 'praktijkartikel',
  news: 'nieuwsbericht',
  unknown: 'document',
};

const PatternsSchema = z.strictObject({
  version: z.literal(1),
  kinds: z.array(
    z.strictObject({
      kind: z.enum(['guideline', 'evidence-summary', 'practice-article', 'news']),
      in: z.enum(['title', 'head']),
      pattern: z.string().min(1),
      why: z.string().min(10),
    }),
  ),
  publishers: z.array(
    z.strictObject({
      pattern: z.string().min(1),
      publisher: z.string().min(1),
      label: z.string().min(1),
      why: z.string().min(10),
    }),
  ),
});
export type MetadataPatterns = z.infer<typeof PatternsSchema>;

interface CompiledPatterns {
  kinds: { kind: SourceKind; in: 'title' | 'head'; re: RegExp }[];
  publishers: { re: RegExp; publisher: string; label: string }[];
}

/** Reads and validates a patterns file (default: the one beside this module); bad regexes throw. */
export function loadMetadataPatterns(
  file = new URL('./metadata-patterns.json', import.meta.url),
): MetadataPatterns {
  const data = PatternsSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  compile(data); // fail at load on an invalid regex
  return data;
}

function compile(p: MetadataPatterns): CompiledPatterns {
  return {
    kinds: p.kinds.map((k) => ({ kind: k.kind, in: k.in, re: new RegExp(k.pattern, 'imu') })),
    // Publisher patterns are case-sensitive where they capture a proper name (hospital names).
    publishers: p.publishers.map((x) => ({
      re: new RegExp(x.pattern, x.pattern.includes('(') ? 'u' : 'iu'),
      publisher: x.publisher,
      label: x.label,
    })),
  };
}

/** Characters of the text that count as its head (title page, byline, dateline, lead). */
const HEAD_CHARS = 2500;

/** Hints a document carries about itself (HTML meta, PDF Info, Markdown front matter). */
export interface DocHints {
  title?: string;
  publisher?: string;
  date?: string;
  kind?: string;
}

/** Fields a user may give explicitly (a `sources.json` entry or `rugwijs add` flags). */
export type ExplicitMeta = Partial<Omit<SourceMeta, 'file' | 'derived'>>;

/**
 * The metadata of one document: explicit fields win, the rest is derived. `derived` names the fields that
 * were derived, so `rugwijs sources` can mark them.
 * @param fileName corpus file id (used as the title of last resort)
 * @param text the extracted text
 * @param headings first heading's text when the parser found headings
 */
export function deriveMetadata(
  input: { file: string; text: string; firstHeading?: string; hints: DocHints; fileDate?: string },
  explicit: ExplicitMeta | undefined,
  patterns: MetadataPatterns,
): SourceMeta {
  const compiled = compile(patterns);
  const given = explicit ?? {};
  const derived: string[] = [];
  const head = input.text.slice(0, HEAD_CHARS);

  let title = given.title;
  if (!title) {
    title = input.hints.title ?? input.firstHeading ?? firstLine(input.text) ?? input.file;
    derived.push('title');
  }

  let kind: SourceKind | undefined = given.kind;
  if (!kind) {
    const hinted = z
      .enum(['guideline', 'evidence-summary', 'practice-article', 'news', 'unknown'])
      .safeParse(input.hints.kind);
    kind = hinted.success ? hinted.data : (detectKind(title, head, compiled) ?? 'unknown');
    derived.push('kind');
  }

  let publisher = given.publisher;
  let shortName: string | undefined;
  const found = detectPublisher(`${title}\n${input.hints.publisher ?? ''}\n${head}`, compiled);
  if (!publisher) {
    publisher = input.hints.publisher ?? found?.publisher ?? 'onbekend';
    derived.push('publisher');
  }
  if (found && (found.publisher === publisher || publisher.includes(found.label))) shortName = found.label;
  // A publisher the document names itself (HTML site name, PDF author) labels it too: "document van X".
  if (!shortName && publisher !== 'onbekend' && publisher.length <= 40) shortName = publisher;

  let date = given.date;
  if (!date) {
    date = findDate(input.text) ?? normalizeDate(input.hints.date) ?? input.fileDate;
    if (date) derived.push('date');
  }

  let authority = given.authority;
  if (authority === undefined) {
    authority = DEFAULT_AUTHORITY[kind];
    derived.push('authority');
  }
  let label = given.label;
  if (!label) {
    label = makeLabel(kind, shortName);
    derived.push('label');
  }
  return {
    file: input.file,
    title,
    kind,
    publisher,
    ...(date ? { date } : {}),
    authority,
    label,
    ...(derived.length > 0 ? { derived } : {}),
  };
}

function detectKind(title: string, head: string, p: CompiledPatterns): SourceKind | undefined {
  for (const where of ['title', 'head'] as const) {
    for (const rule of p.kinds)
      if (rule.in === where && rule.re.test(where === 'title' ? title : head)) return rule.kind;
  }
  return undefined;
}

function detectPublisher(
  text: string,
  p: CompiledPatterns,
): { publisher: string; label: string } | undefined {
  for (const rule of p.publishers) {
    const m = rule.re.exec(text);
    if (!m) continue;
    const fill = (s: string) => s.replace(/\$(\d)/gu, (_, i: string) => (m[Number(i)] ?? '').trim());
    return { publisher: fill(rule.publisher), label: fill(rule.label) };
  }
  return undefined;
}

function makeLabel(kind: SourceKind, shortName: string | undefined): string {
  const base = KIND_LABEL[kind];
  if (!shortName) return base;
  if (kind === 'unknown') return `document van ${shortName}`;
  // "KCE-richtlijn", "Minerva-duiding"; a long name reads better as "richtlijn van AZ Groeninge".
  return shortName.length <= 12 && !shortName.includes(' ')
    ? `${shortName}-${base}`
    : `${base} van ${shortName}`;
}

/** First non-empty line, cut at a word boundary to at most 160 characters. */
function firstLine(text: string): string | undefined {
  const line = text
    .split('\n')
    .map((l) =>
      l
        .replace(/^\ufeff/u, '')
        .replace(/\s+/gu, ' ')
        .trim(),
    )
    .find((l) => /\p{L}/u.test(l));
  if (!line) return undefined;
  if (line.length <= 160) return line;
  const cut = line.slice(0, 160);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), 80))}…`;
}

const MONTHS: Readonly<Record<string, number>> = {
  januari: 1,
  jan: 1,
  februari: 2,
  feb: 2,
  maart: 3,
  mrt: 3,
  april: 4,
  apr: 4,
  mei: 5,
  juni: 6,
  jun: 6,
  juli: 7,
  jul: 7,
  augustus: 8,
  aug: 8,
  september: 9,
  sep: 9,
  sept: 9,
  oktober: 10,
  okt: 10,
  november: 11,
  nov: 11,
  december: 12,
  dec: 12,
};
const MONTH_NAMES = Object.keys(MONTHS)
  .sort((a, b) => b.length - a.length)
  .join('|');
/** "20 juni 2025", "20-06-2025", "20/06/2025", "20.06.2025", "20 06 2025", "2025-06-20", "juni 2025". */
const DATE_RE = new RegExp(
  `\\b(?:(\\d{1,2})\\s+(${MONTH_NAMES})\\.?\\s+((?:19|20)\\d{2})` +
    `|(\\d{1,2})([-/. ])(\\d{1,2})\\5((?:19|20)\\d{2})` +
    `|((?:19|20)\\d{2})-(\\d{2})-(\\d{2})` +
    `|(${MONTH_NAMES})\\s+((?:19|20)\\d{2}))\\b`,
  'giu',
);
/** Words that announce the document's own date (not a date it merely mentions). */
const DATE_CUE_RE =
  /(gepubliceerd|publicatiedatum|datum|laatst (?:herzien|bijgewerkt|gewijzigd|aangepast)|bijgewerkt op|herzien|update|versie|verschenen)[^\n\d]{0,25}$/iu;

/** Characters from the start in which a date without a cue word can be the document's own (its dateline). */
const DATELINE_CHARS = 400;

/**
 * The date a document states for itself, as ISO (YYYY-MM-DD or YYYY-MM): a date right after a cue word
 * ("gepubliceerd op", "laatst herzien") anywhere in the first 6000 characters, else a dateline: a date in
 * the first 400 characters on a short line (≤ 12 words) and not in parentheses — a date inside a sentence
 * or a "(VRT NWS 21 mei 2024)" reference is one the text mentions, not its own. Day-month order is Dutch
 * (20-06-2025 is 20 June). Impossible dates are ignored.
 */
export function findDate(text: string): string | undefined {
  const scan = text.slice(0, 6000);
  let first: string | undefined;
  for (const m of scan.matchAll(DATE_RE)) {
    const iso = toIso(m);
    if (!iso) continue;
    if (DATE_CUE_RE.test(scan.slice(Math.max(0, m.index - 40), m.index))) return iso;
    if (first === undefined && m.index < DATELINE_CHARS && isDateline(scan, m.index)) first = iso;
  }
  return first;
}

function isDateline(text: string, at: number): boolean {
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const lineEnd = text.indexOf('\n', at);
  const line = text.slice(lineStart, lineEnd < 0 ? undefined : lineEnd);
  const before = text.slice(lineStart, at);
  const inParentheses = before.lastIndexOf('(') > before.lastIndexOf(')');
  return !inParentheses && line.trim().split(/\s+/u).length <= 12;
}

function toIso(m: RegExpMatchArray): string | undefined {
  let y: number, mo: number, d: number | undefined;
  if (m[1]) [d, mo, y] = [Number(m[1]), MONTHS[(m[2] ?? '').toLowerCase()] ?? 0, Number(m[3])];
  else if (m[4]) [d, mo, y] = [Number(m[4]), Number(m[6]), Number(m[7])];
  else if (m[8]) [y, mo, d] = [Number(m[8]), Number(m[9]), Number(m[10])];
  else [mo, y, d] = [MONTHS[(m[11] ?? '').toLowerCase()] ?? 0, Number(m[12]), undefined];
  if (mo < 1 || mo > 12) return undefined;
  const mm = String(mo).padStart(2, '0');
  if (d === undefined) return `${y}-${mm}`;
  if (d < 1 || d > new Date(Date.UTC(y, mo, 0)).getUTCDate()) return undefined;
  return `${y}-${mm}-${String(d).padStart(2, '0')}`;
}

/** A hint date (HTML meta "2025-06-20T10:00:00Z", front matter "20 juni 2025") → ISO date, else undefined. */
export function normalizeDate(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const iso = /^((?:19|20)\d{2})(?:-(\d{2})(?:-(\d{2}))?)?/u.exec(value.trim());
  if (!iso) return findDate(value);
  const [y, mo, d] = [
    Number(iso[1]),
    iso[2] ? Number(iso[2]) : undefined,
    iso[3] ? Number(iso[3]) : undefined,
  ];
  if (mo === undefined) return String(y);
  if (mo < 1 || mo > 12) return undefined;
  if (d !== undefined && (d < 1 || d > new Date(Date.UTC(y, mo, 0)).getUTCDate())) return undefined;
  return [iso[1], iso[2], iso[3]].filter(Boolean).join('-');
}
