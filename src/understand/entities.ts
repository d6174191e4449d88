import type { CompiledLexicon, Occurrence } from '../text/expand.js';
import {
  canonicalOf,
  DEFAULT_KIND_WEIGHTS,
  type EntityType,
  type LexiconGroup,
  type RelationKind,
} from '../text/lexicon.js';

/** A named thing in a question: a drug, treatment, test, condition, population, … the lexicon knows. */
export interface EntityMention {
  /** What type of thing it is. */
  type: EntityType;
  /** Its preferred name in the lexicon: the generic for a brand, the Dutch term for an English word. */
  canonical: string;
  /** The canonical as analyzed index terms joined by a space (look it up with `Analyzer.equivalents` / df). */
  key: string;
  /** How the written words relate to the canonical: `brand` for "Dafalgan" → paracetamol, `same` when they are the canonical. */
  relation: RelationKind | 'same';
  /** The matched text exactly as written. */
  text: string;
  /** UTF-16 offset of the match in the input (inclusive). */
  start: number;
  /** UTF-16 offset just after the match. */
  end: number;
}

/** A written word: letters, marks and digits, with inner hyphens and apostrophes ("lage-rugpijn", "NSAID's"). */
const WORD = /[\p{L}\p{M}\p{N}]+(?:[-\u2010\u2011'\u2018\u2019][\p{L}\p{M}\p{N}]+)*/gu;

interface Token {
  primary: string;
  terms: string[];
  start: number;
  end: number;
}

/** Lexicographic comparison of two equally long number lists. */
function compareRanks(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * The group a mention stands for (never an `alternative` group): outside `related` when possible (ibuprofen is a drug before it is one of
 * the NSAIDs), where the words are the canonical itself when possible, then the strongest kind, then the
 * first in the file.
 */
function pickGroup(
  lexicon: CompiledLexicon,
  occurrences: readonly Occurrence[],
): { group: LexiconGroup; index: number; role: Occurrence['role'] } | undefined {
  let best: { group: LexiconGroup; index: number; role: Occurrence['role']; rank: number[] } | undefined;
  for (const occ of occurrences) {
    const group = lexicon.lexicon.groups[occ.group];
    // A word never stands for the advice given instead of it (bedrust is not "actief blijven").
    if (group === undefined || group.kind === 'alternative') continue;
    const rank = [
      group.kind === 'related' ? 0 : 1,
      occ.role === 'canonical' ? 1 : 0,
      DEFAULT_KIND_WEIGHTS[group.kind],
    ];
    if (best === undefined || compareRanks(rank, best.rank) > 0)
      best = { group, index: occ.group, role: occ.role, rank };
  }
  return best;
}

/**
 * Finds the named entities of a question: every span whose words the lexicon knows, longest phrase first,
 * with its entity type and canonical term ("Dafalgan" → drug paracetamol, "Bechterew" → condition
 * spondylitis ankylopoetica, "zwanger" → population zwangerschap). Words are matched through the same Dutch
 * analysis as the index (diacritics, inflection, hyphenation); a compound the lexicon does not list is
 * matched by a known part ("rugoperaties" → chirurgie). Pure: the same text and lexicon give the same list,
 * ordered by position; mentions do not overlap. Entities the corpus never mentions are found too; whether the
 * corpus covers them is for the caller to check.
 */
export function findEntities(text: string, lexicon: CompiledLexicon): EntityMention[] {
  const tokens: Token[] = [];
  for (const m of text.matchAll(WORD)) {
    const primary = lexicon.analysis.primaries(m[0])[0];
    if (primary === undefined) continue; // stopwords: phrases skip them, as in the index
    tokens.push({ primary, terms: lexicon.analysis.terms(m[0]), start: m.index, end: m.index + m[0].length });
  }

  const mentions: EntityMention[] = [];
  const mention = (key: string, from: Token, to: Token): boolean => {
    const picked = pickGroup(lexicon, lexicon.occurrences.get(key) ?? []);
    if (picked === undefined) return false;
    const keys = lexicon.groupKeys[picked.index];
    const canonical = canonicalOf(picked.group);
    mentions.push({
      type: picked.group.entity,
      canonical,
      key: keys?.canonical ?? lexicon.analysis.primaries(canonical).join(' '),
      relation: picked.role === 'canonical' ? 'same' : picked.group.kind,
      text: text.slice(from.start, to.end),
      start: from.start,
      end: to.end,
    });
    return true;
  };

  for (let i = 0; i < tokens.length;) {
    const token = tokens[i];
    if (token === undefined) break;
    // Longest phrase first (the lists are sorted by length): "Dafalgan Codeine" before "Dafalgan".
    const phrase = (lexicon.phrasesByFirst.get(token.primary) ?? []).find((seq) =>
      seq.every((t, k) => tokens[i + k]?.primary === t),
    );
    const last = phrase === undefined ? undefined : tokens[i + phrase.length - 1];
    if (phrase !== undefined && last !== undefined && mention(phrase.join(' '), token, last)) {
      i += phrase.length;
      continue;
    }
    // The word itself, else its first known part (sub-compounds come before single parts).
    for (const term of [token.primary, ...token.terms.filter((t) => t !== token.primary)]) {
      if (mention(term, token, token)) break;
    }
    i += 1;
  }
  return mentions;
}
