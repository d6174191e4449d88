/**
 * Prompt templates: every piece of text the assistant says that is not a quote (LLM instructions, red-flag
 * notice, refusal, attributions, headings) lives in `prompts/` as Dutch and English files, so wording is
 * reviewed in one place and never hard-coded in the pipeline. Templates use `{{name}}` placeholders; the
 * loader validates every file with zod and checks each template only uses the placeholders its caller fills,
 * so a typo fails at start-up (config_error), not in the middle of an answer.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../errors.js';
import type { SourceKind, SourceMeta } from '../types.js';
import type { FramePhrases } from './extractive.js';
import type { Language } from './language.js';
import type { RedFlag } from './red-flags.js';
import type { RefusalReason } from './refusal.js';

export type { Language };

/** Attribution and other frame phrases of one language (`prompts/attribution.<lang>.json`). */
export interface AttributionPhrases {
  /** Per source kind, the opening of its first quoted sentence; `dated` when the source has a year. */
  kinds: Record<SourceKind, { dated: string; undated: string }>;
  /** Opening when a source disagrees with an earlier one; wraps the kind attribution as {{attribution}}. */
  contrast: string;
  /** Note when acute and chronic low back pain get different conclusions. */
  acuteChronic: string;
  /** Heading above the list of citations. */
  sourcesHeading: string;
  /** Note that a follow-up was read together with the previous question; {{topic}} = carried words. */
  followUpNote: string;
  /** Word joining the last two items of a list ("koorts en krachtverlies"). */
  and: string;
}

/** All prompt templates, per language. */
export interface Prompts {
  /** LLM system prompt; {{noAnswer}} = the reply the model gives when the passages do not answer. */
  system: Record<Language, string>;
  /** LLM user message; {{history}}, {{passages}}, {{question}}. */
  user: Record<Language, string>;
  /** Refusal paragraph; {{reason}} = the reason sentence. */
  refusal: Record<Language, string>;
  /** One sentence per refusal reason. */
  refusalReasons: Record<Language, Record<RefusalReason, string>>;
  /** Red-flag notice opening the answer; {{flags}} = the joined flag labels. */
  redFlag: Record<Language, string>;
  /** Caveat opening an answer about a population the sources do not cover; {{subject}} = that population. */
  caveat: Record<Language, string>;
  /** Pointer line of a refusal to the nearest sections; {{sections}} = the joined "source — section" names. */
  nearest: Record<Language, string>;
  attribution: Record<Language, AttributionPhrases>;
}

/** The reply the LLM is told to give when the passages do not answer (filled into {{noAnswer}}). */
export const NO_ANSWER_TOKEN = 'NO_ANSWER';

const LANGUAGES: readonly Language[] = ['nl', 'en'];
const SOURCE_KINDS = [
  'guideline',
  'evidence-summary',
  'practice-article',
  'news',
  'unknown',
] as const satisfies readonly SourceKind[];
const REFUSAL_REASONS = [
  'no-content',
  'injection',
  'out-of-domain',
  'not-in-corpus',
  'unknown-subject',
  'dose-or-cost',
] as const satisfies readonly RefusalReason[];

const text = z.string().trim().min(1);
const KindPhrasesSchema = z.strictObject({ dated: text, undated: text });
const AttributionSchema = z.strictObject({
  kinds: z.strictObject(
    Object.fromEntries(SOURCE_KINDS.map((k) => [k, KindPhrasesSchema])) as Record<
      SourceKind,
      typeof KindPhrasesSchema
    >,
  ),
  contrast: text,
  acuteChronic: text,
  sourcesHeading: text,
  followUpNote: text,
  and: text,
});
const RefusalReasonsSchema = z.strictObject(
  Object.fromEntries(REFUSAL_REASONS.map((r) => [r, text])) as Record<RefusalReason, typeof text>,
);

/** Placeholders each template may use (`allowed`) and must use (`required`). */
interface PlaceholderRule {
  allowed: readonly string[];
  required?: readonly string[];
}
const SOURCE_VARS = ['label', 'publisher', 'title'] as const;
const RULES = {
  system: { allowed: ['noAnswer'], required: ['noAnswer'] },
  user: { allowed: ['history', 'passages', 'question'], required: ['passages', 'question'] },
  refusal: { allowed: ['reason'], required: ['reason'] },
  refusalReason: { allowed: ['subject'] },
  redFlag: { allowed: ['flags'], required: ['flags'] },
  caveat: { allowed: ['subject'], required: ['subject'] },
  nearest: { allowed: ['sections'], required: ['sections'] },
  dated: { allowed: [...SOURCE_VARS, 'year'] },
  undated: { allowed: SOURCE_VARS },
  contrast: { allowed: ['attribution'], required: ['attribution'] },
  acuteChronic: { allowed: [] },
  sourcesHeading: { allowed: [] },
  followUpNote: { allowed: ['topic'], required: ['topic'] },
  and: { allowed: [] },
} as const satisfies Record<string, PlaceholderRule>;

/** File names in the prompts folder (`<name>.<lang>.<ext>`). */
export const PROMPT_FILES = {
  system: 'system',
  user: 'user',
  refusal: 'refusal',
  refusalReasons: 'refusal-reasons',
  redFlag: 'red-flag',
  caveat: 'caveat',
  nearest: 'nearest',
  attribution: 'attribution',
} as const;

/**
 * Loads and validates all templates from `dir` (both languages). Missing or unreadable files, invalid JSON,
 * missing keys and unknown or missing placeholders throw AppError('config_error') naming the file.
 */
export async function loadPrompts(dir: string): Promise<Prompts> {
  const system = {} as Record<Language, string>;
  const user = {} as Record<Language, string>;
  const refusal = {} as Record<Language, string>;
  const redFlag = {} as Record<Language, string>;
  const caveat = {} as Record<Language, string>;
  const nearest = {} as Record<Language, string>;
  const refusalReasons = {} as Record<Language, Record<RefusalReason, string>>;
  const attribution = {} as Record<Language, AttributionPhrases>;
  for (const lang of LANGUAGES) {
    system[lang] = checked(
      await readText(dir, `${PROMPT_FILES.system}.${lang}.md`),
      RULES.system,
      `${PROMPT_FILES.system}.${lang}.md`,
    );
    user[lang] = checked(
      await readText(dir, `${PROMPT_FILES.user}.${lang}.md`),
      RULES.user,
      `${PROMPT_FILES.user}.${lang}.md`,
    );
    refusal[lang] = checked(
      await readText(dir, `${PROMPT_FILES.refusal}.${lang}.md`),
      RULES.refusal,
      `${PROMPT_FILES.refusal}.${lang}.md`,
    );
    redFlag[lang] = checked(
      await readText(dir, `${PROMPT_FILES.redFlag}.${lang}.md`),
      RULES.redFlag,
      `${PROMPT_FILES.redFlag}.${lang}.md`,
    );

    caveat[lang] = checked(
      await readText(dir, `${PROMPT_FILES.caveat}.${lang}.md`),
      RULES.caveat,
      `${PROMPT_FILES.caveat}.${lang}.md`,
    );
    nearest[lang] = checked(
      await readText(dir, `${PROMPT_FILES.nearest}.${lang}.md`),
      RULES.nearest,
      `${PROMPT_FILES.nearest}.${lang}.md`,
    );

    const reasonsFile = `${PROMPT_FILES.refusalReasons}.${lang}.json`;
    const reasons = parseWith(RefusalReasonsSchema, await readJson(dir, reasonsFile), reasonsFile);
    for (const [key, value] of Object.entries(reasons))
      checked(value, RULES.refusalReason, `${reasonsFile} ${key}`);
    refusalReasons[lang] = reasons;

    const attributionFile = `${PROMPT_FILES.attribution}.${lang}.json`;
    const phrases = parseWith(AttributionSchema, await readJson(dir, attributionFile), attributionFile);
    for (const kind of SOURCE_KINDS) {
      checked(phrases.kinds[kind].dated, RULES.dated, `${attributionFile} kinds.${kind}.dated`);
      checked(phrases.kinds[kind].undated, RULES.undated, `${attributionFile} kinds.${kind}.undated`);
    }
    for (const key of ['contrast', 'acuteChronic', 'sourcesHeading', 'followUpNote', 'and'] as const) {
      checked(phrases[key], RULES[key], `${attributionFile} ${key}`);
    }
    attribution[lang] = phrases;
  }
  return { system, user, refusal, refusalReasons, redFlag, caveat, nearest, attribution };
}

const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}/g;

/** The placeholder names a template uses, in order of first use. */
export function placeholders(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1] ?? ''))];
}

/**
 * Fills `{{name}}` placeholders (whitespace inside the braces allowed). A placeholder without a value, or a
 * stray `{{` / `}}` (a typo such as `{{label}`), throws AppError('config_error') — templates are
 * configuration, and a half-rendered sentence must never reach a user. Extra values are ignored.
 */
export function renderTemplate(template: string, vars: Record<string, string | number>): string {
  assertWellFormed(template);
  return template.replace(PLACEHOLDER, (_, name: string) => {
    const value = vars[name];
    if (value === undefined)
      throw new AppError('config_error', `Template placeholder {{${name}}} has no value`);
    return String(value);
  });
}

/** Frame phrases for the extractive composer in one language. */
export function framePhrases(prompts: Prompts, language: Language): FramePhrases {
  const phrases = prompts.attribution[language];
  const attribution = (source: SourceMeta): string => {
    const kind = phrases.kinds[source.kind];
    const year = /^\d{4}/.exec(source.date ?? '')?.[0];
    const vars = { label: source.label, publisher: source.publisher, title: source.title };
    return year ? renderTemplate(kind.dated, { ...vars, year }) : renderTemplate(kind.undated, vars);
  };
  return {
    attribution,
    contrast: (source) => renderTemplate(phrases.contrast, { attribution: attribution(source) }),
  };
}

/** The red-flag notice opening an answer, listing the flags' labels in the answer's language. */
export function redFlagNotice(prompts: Prompts, language: Language, flags: RedFlag[]): string {
  const labels = flags.map((f) => (language === 'en' ? f.labelEn : f.label));
  return renderTemplate(prompts.redFlag[language], {
    flags: joinList(labels, prompts.attribution[language].and),
  });
}

/** The refusal paragraph for a reason, in the answer's language. */
/**
 * The refusal paragraph for a reason.
 * @param subject what the question asked about, for reasons that name it ('unknown-subject').
 */
export function refusalText(prompts: Prompts, language: Language, reason: RefusalReason, subject = ''): string {
  const why = renderTemplate(prompts.refusalReasons[language][reason], { subject });
  return renderTemplate(prompts.refusal[language], { reason: why });
}

/** The caveat opening an answer about a population the sources do not cover specifically. */
export function caveatText(prompts: Prompts, language: Language, subject: string): string {
  return renderTemplate(prompts.caveat[language], { subject });
}

/** The refusal's pointer to the nearest sections ("source — section" names, joined). */
export function nearestText(prompts: Prompts, language: Language, sections: string[]): string {
  return renderTemplate(prompts.nearest[language], { sections: sections.join('; ') });
}

/** The note shown when a follow-up was completed with words from the previous question. */
export function followUpNote(prompts: Prompts, language: Language, carried: string[]): string {
  return renderTemplate(prompts.attribution[language].followUpNote, { topic: carried.join(' ') });
}

/** "a", "a en b", "a, b en c". */
export function joinList(items: string[], and: string): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${and} ${items[items.length - 1]}`;
}

function assertWellFormed(template: string): void {
  const rest = template.replace(PLACEHOLDER, '');
  if (rest.includes('{{') || rest.includes('}}')) {
    throw new AppError(
      'config_error',
      `Malformed placeholder in template: ${JSON.stringify(template.slice(0, 80))}`,
    );
  }
}

/** Validates a template's placeholders against its rule; returns it unchanged. */
function checked(template: string, rule: PlaceholderRule, where: string): string {
  try {
    assertWellFormed(template);
  } catch {
    throw new AppError('config_error', `Prompt ${where}: malformed placeholder (use {{name}})`);
  }
  const used = placeholders(template);
  const unknown = used.filter((p) => !rule.allowed.includes(p));
  if (unknown.length > 0) {
    throw new AppError(
      'config_error',
      `Prompt ${where}: unknown placeholder {{${unknown[0]}}} (allowed: ${rule.allowed.join(', ') || 'none'})`,
    );
  }
  const missing = (rule.required ?? []).filter((p) => !used.includes(p));
  if (missing.length > 0)
    throw new AppError('config_error', `Prompt ${where}: missing placeholder {{${missing[0]}}}`);
  return template;
}

async function readText(dir: string, file: string): Promise<string> {
  let content: string;
  try {
    content = await readFile(path.join(dir, file), 'utf8');
  } catch (e) {
    throw new AppError('config_error', `Prompt file ${file} cannot be read from ${dir}`, { cause: e });
  }
  // Trailing newlines are an artefact of the file, not part of the text.
  const trimmed = content.trim();
  if (trimmed === '') throw new AppError('config_error', `Prompt file ${file} is empty`);
  return trimmed;
}

async function readJson(dir: string, file: string): Promise<unknown> {
  const content = await readText(dir, file);
  try {
    return JSON.parse(content) as unknown;
  } catch (e) {
    throw new AppError('config_error', `Prompt file ${file} is not valid JSON`, { cause: e });
  }
}

function parseWith<T>(schema: z.ZodType<T>, value: unknown, file: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError(
      'config_error',
      `Prompt file ${file}: ${issue?.path.join('.') || 'root'} ${issue?.message ?? 'invalid'}`,
    );
  }
  return parsed.data;
}
