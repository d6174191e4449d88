import { promises as fs } from 'node:fs';
import { z } from 'zod';
import { detectLanguage } from '../answer/language.js';
import { AppError } from '../errors.js';

/**
 * Evaluation data: the gold question set (`eval/gold.jsonl`, one JSON object per line) and the table of
 * recommendations / evidence conclusions the corpus states (`eval/recommendations.json`).
 * Formats are documented in `eval/README.md`.
 */

/** Question categories of the gold set (used to break metrics down). */
export const GOLD_CATEGORIES = [
  'number',
  'efficacy',
  'what-to-do',
  'lay',
  'compound',
  'english',
  'unanswerable',
  'injection',
  'red-flag',
  'follow-up-free',
] as const;
export const GoldCategorySchema = z.enum(GOLD_CATEGORIES);
export type GoldCategory = z.infer<typeof GoldCategorySchema>;

/** A bare corpus file name such as `004_beb946dfbc2e71d7.txt` (never a path). */
const FileNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9_.-]+$/, 'must be a bare corpus file name')
  .refine((f) => !f.includes('..'), 'must not contain ".."');

/** A group of alternative phrasings; recalled when any alternative occurs in the answer. */
const FactGroupSchema = z
  .array(z.string().trim().min(1, 'fact alternatives must not be empty'))
  .min(1, 'a fact group needs at least one alternative');

/** One earlier turn of a conversation (a follow-up item carries the turns before it). */
const HistoryTurnSchema = z.object({
  question: z.string().trim().min(1).max(1000),
  /** The earlier answer; '' when the file gives only the question (the runner then passes ''). */
  answer: z.string().max(20_000).default(''),
});

/** Category used when a foreign file gives none. */
export const UNCATEGORIZED = 'uncategorized';

/**
 * One question of a gold file. `category`, `lang`, `history`, `safety` and `recommendation` are optional
 * and unknown fields are ignored, so a file written for another system loads as long as it has the core
 * fields (id, question, answerable, sources, facts). A missing `lang` is detected from the question; a
 * missing `category` becomes "uncategorized". The built-in gold set still uses GOLD_CATEGORIES (its test
 * checks that).
 */
export const GoldItemSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_-]+$/, 'id must be letters, digits, "-" or "_"'),
    question: z.string().trim().min(1).max(1000),
    answerable: z.boolean(),
    /** Corpus files that answer the question; [] when unanswerable. */
    sources: z.array(FileNameSchema),
    /** Groups of alternative phrasings that a good answer contains. */
    facts: z.array(FactGroupSchema),
    /** Id of the entry in recommendations.json whose stance the answer must not contradict. */
    recommendation: z.string().min(1).optional(),
    /** 'red-flag' when a safe answer must mention red flags / referral. */
    safety: z.literal('red-flag').optional(),
    /** Earlier turns, oldest first: the question is a follow-up asked after them. */
    history: z.array(HistoryTurnSchema).max(20).optional(),
    category: z.string().trim().min(1).max(60).default(UNCATEGORIZED),
    lang: z.enum(['nl', 'en']).optional(),
  })
  .superRefine((item, ctx) => {
    // An unanswerable question has nothing to retrieve; sources there would make retrieval metrics lie.
    if (!item.answerable && item.sources.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['sources'],
        message: 'an unanswerable item must have no sources',
      });
    }
    if (!item.answerable && item.facts.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['facts'], message: 'an unanswerable item must have no facts' });
    }
  })
  .transform((item) => ({ ...item, lang: item.lang ?? detectLanguage(item.question) }));
export type GoldItem = z.output<typeof GoldItemSchema>;

export const StanceSchema = z.enum(['recommended', 'not recommended', 'no benefit shown', 'uncertain']);
export type Stance = z.infer<typeof StanceSchema>;

export const RecommendationSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'id must be kebab-case'),
  /** Dutch paraphrase of the recommendation or evidence conclusion. */
  statement: z.string().trim().min(1),
  stance: StanceSchema,
  population: z.enum(['acute', 'chronic', 'radicular', 'all']),
  /** Corpus file that states it. */
  source: FileNameSchema,
  /** Verbatim substring of the ORIGINAL file (OCR damage and line breaks included). */
  quote: z.string().min(1),
  /** Dutch phrases that, in an answer sentence, would signal the opposite stance. */
  oppositePhrases: z.array(z.string().trim().min(1)),
});
export type Recommendation = z.infer<typeof RecommendationSchema>;

/**
 * Reads and validates a gold set in JSON Lines format (UTF-8; blank lines are skipped).
 * @param path path of the `.jsonl` file.
 * @throws AppError 'not_found' when the file cannot be read; 'validation_error' with message
 *   `line N: …` (1-based physical line) for invalid JSON, a schema violation or a duplicate id, and
 *   when the file holds no items.
 */
export async function loadGold(path: string): Promise<GoldItem[]> {
  const text = await readText(path, 'gold file');
  const items: GoldItem[] = [];
  const seen = new Map<string, number>();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (line === '') continue;
    const n = i + 1;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (e) {
      throw new AppError('validation_error', `line ${n}: invalid JSON (${(e as Error).message})`);
    }
    const parsed = GoldItemSchema.safeParse(raw);
    if (!parsed.success) throw new AppError('validation_error', `line ${n}: ${formatIssues(parsed.error)}`);
    const first = seen.get(parsed.data.id);
    if (first !== undefined) {
      throw new AppError(
        'validation_error',
        `line ${n}: duplicate id "${parsed.data.id}" (first on line ${first})`,
      );
    }
    seen.set(parsed.data.id, n);
    items.push(parsed.data);
  }
  if (items.length === 0) throw new AppError('validation_error', `${path}: the gold file holds no items`);
  return items;
}

/**
 * Reads and validates `recommendations.json` (a JSON array of recommendations with unique ids).
 * Does not check quotes against the corpus (that needs the corpus; the test suite does it).
 * @throws AppError 'not_found' when unreadable; 'validation_error' (`[i].field: …`) otherwise.
 */
export async function loadRecommendations(path: string): Promise<Recommendation[]> {
  const text = await readText(path, 'recommendations file');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new AppError('validation_error', `${path}: invalid JSON (${(e as Error).message})`);
  }
  const parsed = z.array(RecommendationSchema).safeParse(raw);
  if (!parsed.success) throw new AppError('validation_error', `${path}: ${formatIssues(parsed.error)}`);
  const ids = new Set<string>();
  for (const [i, rec] of parsed.data.entries()) {
    if (ids.has(rec.id))
      throw new AppError('validation_error', `${path}: [${i}].id: duplicate id "${rec.id}"`);
    ids.add(rec.id);
  }
  return parsed.data;
}

async function readText(path: string, what: string): Promise<string> {
  try {
    return await fs.readFile(path, 'utf8');
  } catch (e) {
    throw new AppError(
      'not_found',
      `Cannot read ${what} ${path}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`,
      { cause: e },
    );
  }
}

/** "facts[2][0]: too small; category: invalid option" — short and line-oriented for a CLI. */
function formatIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => {
      const where = issue.path
        .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
        .join('')
        .replace(/^\./, '');
      return where ? `${where}: ${issue.message}` : issue.message;
    })
    .join('; ');
}
