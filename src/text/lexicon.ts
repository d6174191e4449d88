import { createRequire } from 'node:module';
import { z } from 'zod';
import { AppError } from '../errors.js';

/**
 * The clinical lexicon: groups of words that name the same (or a related) thing in low back pain care in
 * Belgium and the Netherlands, kept as data in `src/text/synonyms.json` and validated here at load.
 *
 * Each group has
 * - `terms`: surface forms (words or phrases: "acute lage rugpijn", "in bed blijven"), analyzed with the same
 *   Dutch pipeline as the index, so inflections and compounds meet;
 * - `canonical` (optional): the preferred Dutch name (the generic of a brand, the Dutch word for an English one,
 *   the clinical name for a lay one); a member of the group like the terms;
 * - `kind`: how the terms relate (see {@link RelationKind});
 * - `entity`: what type of thing the terms name (see {@link EntityType});
 * - `why`: one line saying why the terms belong together.
 */

/** How the terms of a group relate. */
export const RELATION_KINDS = [
  /** RX ↔ radiografie, NSAID ↔ niet-steroïdale ontstekingsremmer, kine ↔ kinesitherapie. */
  'abbreviation',
  /** Dafalgan → paracetamol: a brand name names its generic. */
  'brand',
  /** Flemish ↔ Netherlands Dutch: kinesist ↔ fysiotherapeut, mutualiteit ↔ zorgverzekeraar. */
  'regional',
  /** Lay ↔ clinical: spit ↔ acute lage rugpijn, foto ↔ radiografie, klapvoet ↔ krachtverlies. */
  'lay',
  /** English → Dutch: sciatica → ischias. The corpus is Dutch, so expansion never goes towards English. */
  'english',
  /** Near-synonyms, interchangeable in most sentences: radiculopathie ↔ radiculaire pijn. */
  'synonym',
  /** Associated or narrower terms (ibuprofen → NSAID): a weak link, never "the same word". */
  'related',
  /**
   * X → the advice care guidelines give instead of X (bedrust → actief blijven): a question whether to do X is
   * answered by the sentence recommending its alternative. Directed, never "the same thing".
   */
  'alternative',
] as const;
export type RelationKind = (typeof RELATION_KINDS)[number];

/** The type of thing a group's terms name (so a question's named entities can be recognised). */
export const ENTITY_TYPES = [
  'drug',
  'drug-class',
  'treatment',
  'test',
  'condition',
  'symptom',
  'anatomy',
  'population',
  'profession',
  'other',
] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

/**
 * Query-expansion weight of one hop over a relation of each kind (0–1; the question's own words weigh 1).
 *
 * Set from what the relation means, not fitted on any question set:
 * - abbreviation, brand, regional 0.9: the same referent under another name. Not 1, so that a passage using
 *   the asker's own word still wins a tie, and because short abbreviations are sometimes ambiguous.
 * - lay, english 0.75: the same concept, but lay words are vaguer than the clinical term they stand for
 *   ("spit" covers any sudden back pain, "foto" any image) and a translation loses nuance.
 * - synonym 0.6: near-synonyms; this was the single expansion weight before the lexicon had kinds.
 * - related 0.4: associated or narrower terms; this was the weight of "related" entries before.
 * - alternative 0.75: the recommended alternative answers the question about what it replaces as directly as
 *   a lay word's clinical name does.
 * Weights multiply along a chain (Brufen → ibuprofen → NSAID → ontstekingsremmer: 0.9 · 0.4 · 0.9).
 */
export const DEFAULT_KIND_WEIGHTS: Readonly<Record<RelationKind, number>> = {
  abbreviation: 0.9,
  brand: 0.9,
  regional: 0.9,
  lay: 0.75,
  english: 0.75,
  synonym: 0.6,
  related: 0.4,
  alternative: 0.75,
};

/** Kinds whose groups, when they have a canonical, link their terms only TOWARDS the canonical. */
export const DIRECTED_KINDS: ReadonlySet<RelationKind> = new Set<RelationKind>([
  'brand',
  'english',
  'related',
  'alternative',
]);

export interface LexiconGroup {
  terms: readonly string[];
  canonical?: string;
  kind: RelationKind;
  entity: EntityType;
  why: string;
}

export interface Lexicon {
  version: number;
  groups: readonly LexiconGroup[];
}

const Term = z.string().trim().min(1).max(80);

const GroupSchema = z
  .strictObject({
    terms: z.array(Term).min(1),
    canonical: Term.optional(),
    kind: z.enum(RELATION_KINDS),
    entity: z.enum(ENTITY_TYPES),
    why: z.string().trim().min(1).max(300),
  })
  .superRefine((g, ctx) => {
    const members = new Set(
      [...g.terms, ...(g.canonical === undefined ? [] : [g.canonical])].map((t) => t.toLowerCase()),
    );
    if (members.size < 2) {
      ctx.addIssue({
        code: 'custom',
        message: 'a group needs at least two distinct terms, or a term and a canonical',
      });
    }
    if ((g.kind === 'brand' || g.kind === 'english' || g.kind === 'alternative') && g.canonical === undefined) {
      ctx.addIssue({ code: 'custom', message: `a ${g.kind} group needs the canonical it maps to` });
    }
  });

const LexiconSchema = z.strictObject({
  $comment: z.string().optional(),
  version: z.number().int().positive(),
  groups: z.array(GroupSchema).min(1),
});

/** The members of a group: its terms, then its canonical (when it has one). */
export function membersOf(group: LexiconGroup): string[] {
  return group.canonical === undefined ? [...group.terms] : [...group.terms, group.canonical];
}

/** The name a group's entity goes by: its canonical, else its first term. */
export function canonicalOf(group: LexiconGroup): string {
  return group.canonical ?? group.terms[0] ?? '';
}

/** Whether the group links its terms only towards its canonical (brand → generic, English → Dutch, narrower → broader). */
export function isDirected(group: LexiconGroup): boolean {
  return group.canonical !== undefined && DIRECTED_KINDS.has(group.kind);
}

/**
 * Validates a lexicon (e.g. parsed JSON).
 * @throws AppError('config_error') naming the first problem and where it is ("groups.12.kind: …").
 */
export function parseLexicon(json: unknown): Lexicon {
  const parsed = LexiconSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : '(root)';
    throw new AppError('config_error', `Invalid lexicon at ${where}: ${issue?.message ?? 'bad shape'}`);
  }
  return {
    version: parsed.data.version,
    groups: parsed.data.groups.map((g) => ({
      terms: g.terms,
      ...(g.canonical === undefined ? {} : { canonical: g.canonical }),
      kind: g.kind,
      entity: g.entity,
      why: g.why,
    })),
  };
}

/** Loads and validates the bundled lexicon (src/text/synonyms.json; the build copies it next to this module). */
export function loadDefaultLexicon(): Lexicon {
  // createRequire reads JSON the same way under node, tsx and vitest without import attributes.
  const require = createRequire(import.meta.url);
  return parseLexicon(require('./synonyms.json'));
}
