import { createRequire } from 'node:module';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { normalize, type Normalized, type Token } from './normalize.js';
import {
  anyTermIn,
  compilePattern,
  compileTerm,
  findMatch,
  PatternSchema,
  RegexSchema,
  TermSchema,
  type CompiledPattern,
  type PatternMatch,
} from './patterns.js';

/**
 * Red-flag detection: warning signs that call for urgent medical assessment instead of self-care advice.
 * The knowledge is data (`red-flags.json`): families of token patterns over the normalised question
 * (`normalize.ts`), so filler words, word order, inflection, look-alike letters and quotes do not defeat
 * them. The detector errs on the side of flagging: a false alarm only adds a notice, a miss withholds one.
 */

const FamilySchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z-]*$/),
  why: z.string().min(1),
  label: z.strictObject({ nl: z.string().min(1), en: z.string().min(1) }),
  /**
   * Terms that, in the same sentence, say the sign is over ("vroeger gevallen, nu genezen"): only for kinds
   * where a past event is no longer a warning sign (a fall long ago), never for those where it is (cancer).
   */
  resolvedBy: z.array(TermSchema).optional(),
  /** General domain words for what this sign points to, any back-pain guideline's vocabulary (retrieval only). */
  referral: z.string().min(1),
  patterns: z.array(PatternSchema).min(1),
});

export const RedFlagTableSchema = z
  .strictObject({
    version: z.number().int().positive(),
    why: z.string().min(1),
    /** General query for what a corpus says about red flags and referral (never a current document's phrase). */
    referralQuery: z.string().min(1),
    sentences: z.strictObject({
      why: z.string().min(1),
      /** Regular expression (case-insensitive) for a corpus sentence that speaks about red flags or referral. */
      about: RegexSchema,
      /** Regular expression for a sentence that says what to do (refer, exclude, act now). */
      action: RegexSchema,
      /** Regular expression for a sentence describing a study's participants ("werden uitgesloten"): never the lead. */
      study: RegexSchema,
    }),
    negation: z.strictObject({
      why: z.string().min(1),
      /** Words that negate a following sign ("geen koorts", "no fever"). */
      cues: z.array(TermSchema).min(1),
      /** Words after which a sign is affirmed again ("geen koorts, wel …", "but"). */
      breakers: z.array(TermSchema),
      /** Cues that are not negations when followed by one of these ("zonder reden" = unexplained). */
      qualifiers: z.array(TermSchema),
      /** How many tokens before a sign a cue may stand. */
      window: z.number().int().positive(),
    }),
    families: z.array(FamilySchema).min(1),
  })
  .superRefine((t, ctx) => {
    const seen = new Set<string>();
    for (const f of t.families) {
      if (seen.has(f.id)) ctx.addIssue({ code: 'custom', message: `duplicate family id "${f.id}"` });
      seen.add(f.id);
      for (const p of f.patterns) {
        for (const term of p.all.flat()) {
          if (term.startsWith('/') && term.endsWith('/') && term.length > 2) {
            try {
              new RegExp(term.slice(1, -1), 'u');
            } catch {
              ctx.addIssue({ code: 'custom', message: `bad regular expression ${term} in ${f.id}` });
            }
          }
        }
      }
    }
  });
export type RedFlagTable = z.infer<typeof RedFlagTableSchema>;

/** Kind of red flag (a family id of the table): one notice line per kind. */
export type RedFlagId = string;

/** A red flag found in a question. */
export interface RedFlag {
  id: RedFlagId;
  /** Dutch label for the notice, e.g. "mogelijk cauda-equinasyndroom". */
  label: string;
  /** English label for the notice. */
  labelEn: string;
  /** The matched words of the normalised question (first non-negated occurrence). */
  match: string;
  /** General domain words for what the sign points to (steers which referral sentences are quoted). */
  referral: string;
}

/** A table ready to match. */
export interface RedFlagDetector {
  table: RedFlagTable;
  families: {
    id: string;
    label: { nl: string; en: string };
    referral: string;
    patterns: CompiledPattern[];
    resolvedBy: ReturnType<typeof compileTerm>[];
  }[];
  cues: ReturnType<typeof compileTerm>[];
  breakers: ReturnType<typeof compileTerm>[];
  qualifiers: ReturnType<typeof compileTerm>[];
  window: number;
  /** Sentence cues compiled from `sentences` (case-insensitive). */
  sentences: { about: RegExp; action: RegExp; study: RegExp };
}

/**
 * Validates and compiles a red-flag table.
 * @throws AppError('config_error') naming the first problem.
 */
export function parseRedFlagTable(json: unknown): RedFlagDetector {
  const parsed = RedFlagTableSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError(
      'config_error',
      `Invalid red-flag table at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'bad shape'}`,
    );
  }
  const table = parsed.data;
  return {
    table,
    families: table.families.map((f) => ({
      id: f.id,
      label: f.label,
      referral: f.referral,
      patterns: f.patterns.map(compilePattern),
      resolvedBy: (f.resolvedBy ?? []).map(compileTerm),
    })),
    // Function words are matched exactly: "echte" is not a typo of the breaker "echter".
    cues: table.negation.cues.map(exact),
    breakers: table.negation.breakers.map(exact),
    qualifiers: table.negation.qualifiers.map(exact),
    window: table.negation.window,
    sentences: {
      about: new RegExp(table.sentences.about, 'iu'),
      action: new RegExp(table.sentences.action, 'iu'),
      study: new RegExp(table.sentences.study, 'iu'),
    },
  };
}

function exact(term: string): ReturnType<typeof compileTerm> {
  return compileTerm(
    term
      .split(/\s+/)
      .map((w) => (w.startsWith('=') ? w : `=${w}`))
      .join(' '),
  );
}

/** Loads the bundled table (src/understand/red-flags.json). */
export function loadRedFlagDetector(): RedFlagDetector {
  const require = createRequire(import.meta.url);
  return parseRedFlagTable(require('./red-flags.json'));
}

// Immutable after load: the bundled table, compiled once.
const DEFAULT_DETECTOR = loadRedFlagDetector();

/**
 * Whether a negation cue stands in the `window` tokens before `start` in the same clause, with no breaker
 * between it and the sign ("geen koorts" yes, "geen koorts, wel krachtverlies" no for the second sign).
 */
function isNegated(d: RedFlagDetector, m: PatternMatch, tokens: readonly Token[], start: number): boolean {
  const clause = m.clause;
  for (let i = start - 1; i >= Math.max(0, start - d.window); i--) {
    if (tokens[i]?.clause !== clause) return false;
    if (anyTermIn(d.breakers, tokens, i, i + 1)) return false;
    // A cue that is one of the matched words ("kan niet plassen", "geen controle over") is part of the sign.
    if (m.positions.some((p, k) => i >= p && i < (m.ends[k] ?? p))) continue;
    if (anyTermIn(d.cues, tokens, i, i + 1)) {
      // "zonder (duidelijke) reden", "without (any) reason": a qualifier, not a negation.
      if (anyTermIn(d.qualifiers, tokens, i + 1, i + 3)) continue;
      return true;
    }
  }
  return false;
}

/**
 * Finds red flags in a question (Dutch and English), at most one per kind, in table order. A sign is
 * ignored when negated ("geen koorts", "no fever", "zonder krachtverlies") or, for kinds that allow it,
 * resolved in the same sentence ("vroeger gevallen, nu genezen"); later mentions still count.
 * @param question raw text or an already normalised one (the same normalisation is applied once).
 */
export function detectRedFlags(
  question: string | Normalized,
  detector: RedFlagDetector = DEFAULT_DETECTOR,
): RedFlag[] {
  const { tokens } = typeof question === 'string' ? normalize(question) : question;
  const flags: RedFlag[] = [];
  for (const family of detector.families) {
    for (const pattern of family.patterns) {
      const m = findMatchAccepted(detector, family, pattern, tokens);
      if (m) {
        flags.push({
          id: family.id,
          label: family.label.nl,
          labelEn: family.label.en,
          referral: family.referral,
          match: tokens
            .slice(m.start, m.end)
            .map((t) => t.text)
            .join(' '),
        });
        break;
      }
    }
  }
  return flags;
}

function findMatchAccepted(
  d: RedFlagDetector,
  family: RedFlagDetector['families'][number],
  pattern: CompiledPattern,
  tokens: readonly Token[],
): PatternMatch | undefined {
  return findMatch(pattern, tokens, (m) => {
    // Every word of the sign counts: "pijn in mijn been, maar geen zwakte" negates the weakness.
    if (m.positions.some((at) => isNegated(d, m, tokens, at))) return false;
    if (family.resolvedBy.length > 0) {
      const from = tokens.findIndex((t) => t.clause === m.clause);
      let to = from;
      while (to < tokens.length && tokens[to]?.clause === m.clause) to++;
      if (anyTermIn(family.resolvedBy, tokens, from, to)) return false;
    }
    return true;
  });
}

/** The retrieval query for what the corpus says about red flags and referral, for these flags. */
export function redFlagReferralQuery(
  flags: readonly RedFlag[],
  detector: RedFlagDetector = DEFAULT_DETECTOR,
): string {
  return [detector.table.referralQuery, ...flags.map((f) => f.referral)].join(' ');
}

/**
 * The cues for corpus sentences under a red-flag notice: `about` (speaks about red flags or referral) and
 * `action` (says what to do about one).
 */
export function redFlagSentenceCues(detector: RedFlagDetector = DEFAULT_DETECTOR): RedFlagDetector['sentences'] {
  return detector.sentences;
}
