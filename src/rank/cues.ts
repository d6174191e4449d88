import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { foldText } from '../text/analyze.js';
import { RegexSchema } from '../understand/patterns.js';

/**
 * Discourse cues and strength patterns: knowledge as data (`cues.json`, `strength-patterns.json` beside this
 * file), validated when loaded. The ranker's features ask "is this sentence a reason / a time / a method …";
 * the words that say so live in the data, the code stays general.
 */

export const CUE_KINDS = ['causal', 'temporal', 'person', 'method', 'conclusion', 'recommendation', 'enumeration', 'definition'] as const;
export type CueKind = (typeof CUE_KINDS)[number];

/** Case-insensitive regular expressions with a one-line why. */
const PatternListSchema = z.strictObject({ why: z.string().min(10), patterns: z.array(RegexSchema).min(1) });

const CueFileSchema = z.strictObject({
  version: z.number().int().min(1),
  why: z.string().min(10),
  // An enum-keyed record: every kind must be present, no other key is allowed.
  cues: z.record(
    z.enum(CUE_KINDS),
    z.strictObject({ why: z.string().min(10), words: z.array(z.string().min(1)).min(3) }),
  ),
  /** Phrases of a sentence about the text itself ("we bespreken verder in dit artikel"). */
  discourse: PatternListSchema,
  /** Question wordings that ask for a particular kind of sentence. */
  questions: z.strictObject({
    /** `defining`: how a sentence that defines its first words opens ("Mobilisatie is een …"); group 1 = the term. */
    definition: PatternListSchema.extend({ defining: RegexSchema }),
    /** `adds`: words retrieval adds for such a follow-up (what a document calls its advice). */
    alternative: PatternListSchema.extend({ adds: z.string().min(1) }),
  }),
});

const StrengthFileSchema = z.strictObject({
  version: z.number().int().min(1),
  why: z.string().min(10),
  patterns: z
    .array(
      z.strictObject({
        pattern: RegexSchema.refine((p) => p.length >= 3, 'pattern too short'),
        why: z.string().min(10),
      }),
    )
    .min(1),
});

/** Loaded cue lists (folded words per kind) and compiled strength patterns. */
export interface Cues {
  /** Folded cue words per kind. */
  words: Record<CueKind, ReadonlySet<string>>;
  /** Strength/certainty phrases; a match is copied verbatim as a citation's strength label. */
  strength: readonly RegExp[];
  /** Phrases of a sentence that speaks about the text itself (it signposts, it states nothing). */
  discourse: readonly RegExp[];
  /** Wordings of a question that asks what a term means. */
  definitionQuestion: readonly RegExp[];
  /** How a sentence that defines the term it opens with reads; group 1 is the term. */
  definingSentence: RegExp;
  /** Wordings of a follow-up that asks what to do instead ("Wat dan wel?"), and the words its query adds. */
  alternativeQuestion: readonly RegExp[];
  alternativeAdds: string;
}

function readJson(file: URL): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new AppError('config_error', `Cannot read ${file.pathname.split('/').pop()}: ${(error as Error).message}`);
  }
}

/**
 * Loads and validates the cue and strength data shipped beside this module.
 * @throws AppError 'config_error' naming the file and the first problem.
 */
export function loadCues(
  cueFile: URL = new URL('./cues.json', import.meta.url),
  strengthFile: URL = new URL('./strength-patterns.json', import.meta.url),
): Cues {
  const cues = CueFileSchema.safeParse(readJson(cueFile));
  if (!cues.success) throw new AppError('config_error', `cues.json: ${cues.error.issues[0]?.message ?? 'invalid'}`);
  const strength = StrengthFileSchema.safeParse(readJson(strengthFile));
  if (!strength.success) {
    throw new AppError('config_error', `strength-patterns.json: ${strength.error.issues[0]?.message ?? 'invalid'}`);
  }
  const words = {} as Record<CueKind, ReadonlySet<string>>;
  for (const k of CUE_KINDS) words[k] = new Set(cues.data.cues[k].words.map((w) => foldText(w.toLowerCase())));
  return {
    words,
    strength: strength.data.patterns.map((p) => new RegExp(p.pattern, 'iu')),
    discourse: cues.data.discourse.patterns.map((p) => new RegExp(p, 'iu')),
    definitionQuestion: cues.data.questions.definition.patterns.map((p) => new RegExp(p, 'iu')),
    definingSentence: new RegExp(cues.data.questions.definition.defining, 'iu'),
    alternativeQuestion: cues.data.questions.alternative.patterns.map((p) => new RegExp(p, 'iu')),
    alternativeAdds: cues.data.questions.alternative.adds,
  };
}

/** The first strength/certainty phrase in a text, verbatim (as written), or undefined. */
export function findStrength(cues: Cues, text: string): string | undefined {
  for (const pattern of cues.strength) {
    const m = pattern.exec(text);
    if (m) return m[0];
  }
  return undefined;
}
