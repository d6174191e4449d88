import { z } from 'zod';
import { AppError } from '../errors.js';
import { loadDefaultLexicon, membersOf, type Lexicon } from './lexicon.js';

/**
 * Synonym table: groups of words that mean the same thing for retrieval, kept as data in synonyms.json.
 *
 * Each group has
 * - `nl`: Dutch equivalents. A query containing any of them is expanded with the others; they are also the
 *   "same word" for coverage checks (`Analyzer.equivalents`).
 * - `en`: English equivalents. A query containing one is expanded with the group's Dutch terms (the corpus
 *   is Dutch, so expansion only ever goes towards Dutch).
 * - `related`: narrower or associated terms (brand names, specific drugs). They expand INTO the group at a
 *   lower weight but are not equivalents, and the group never expands to them.
 * Entries may be phrases ("lage rugpijn", "return to work"); they are matched as phrases after analysis.
 */
export interface SynonymGroup {
  /** Stable identifier, unique in the table (for diagnostics only). */
  id: string;
  nl: readonly string[];
  en: readonly string[];
  related: readonly string[];
}

export interface SynonymTable {
  groups: readonly SynonymGroup[];
}

const Entry = z.string().trim().min(1).max(80);

const SynonymGroupSchema = z.strictObject({
  id: z.string().min(1).max(60),
  nl: z.array(Entry).min(1),
  en: z.array(Entry).default([]),
  related: z.array(Entry).default([]),
  note: z.string().optional(),
});

const SynonymTableSchema = z
  .strictObject({
    $comment: z.string().optional(),
    groups: z.array(SynonymGroupSchema).min(1),
  })
  .superRefine((table, ctx) => {
    const seen = new Set<string>();
    for (const g of table.groups) {
      if (seen.has(g.id)) ctx.addIssue({ code: 'custom', message: `duplicate group id "${g.id}"` });
      seen.add(g.id);
    }
  });

/**
 * Validates a synonym table (e.g. parsed JSON).
 * @throws AppError('config_error') naming the first problem when the shape is wrong.
 */
export function parseSynonymTable(json: unknown): SynonymTable {
  const parsed = SynonymTableSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : '(root)';
    throw new AppError('config_error', `Invalid synonym table at ${where}: ${issue?.message ?? 'bad shape'}`);
  }
  return {
    groups: parsed.data.groups.map((g) => ({ id: g.id, nl: g.nl, en: g.en, related: g.related })),
  };
}

/**
 * The clinical lexicon (src/text/synonyms.json, see lexicon.ts) in this older three-list shape: English groups
 * give `en` terms towards their Dutch canonical, related groups give `related` terms towards their canonical,
 * every other group is a set of Dutch equivalents.
 */
export function synonymsFromLexicon(lexicon: Lexicon): SynonymTable {
  return {
    groups: lexicon.groups.map((g, i) => {
      const id = `g${i}`;
      if (g.kind === 'english' && g.canonical !== undefined) return { id, nl: [g.canonical], en: g.terms, related: [] };
      if (g.kind === 'related' && g.canonical !== undefined) return { id, nl: [g.canonical], en: [], related: g.terms };
      return { id, nl: membersOf(g), en: [], related: [] };
    }),
  };
}

/** Loads and validates the bundled lexicon and returns it as a synonym table. */
export function loadDefaultSynonyms(): SynonymTable {
  return synonymsFromLexicon(loadDefaultLexicon());
}
