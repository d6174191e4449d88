import { z } from 'zod';
import type { Token } from './normalize.js';

/**
 * Token patterns: the small language the red-flag and injection data files are written in. A pattern is a
 * list of slots that must all occur in one clause within `within` tokens of each other, in any order unless
 * `ordered`; words in between (fillers such as "goed", "meer", "echt") do not matter. A slot is a list of
 * alternative terms:
 *
 * - `voet` — the exact (lowercase, diacritic-folded) token;
 * - `optil*` — a prefix (inflection: optillen, optilt, optilde); `*kanker` — a suffix (compounds:
 *   borstkanker); `*fractuur*` — a substring;
 * - `geen gevoel`, `tussen ? benen` — consecutive tokens, `?` being any one token;
 * - `/^\d+j$/` — a regular expression over one token (GP shorthand "45j").
 *
 * Exact and prefix terms of six letters or more also match a token one typing error away (a letter
 * missing, added, changed or two swapped), so "koorst" and "krachtverlis" still count; `=infectie*`
 * switches that off for a word one letter from another ("injectie").
 */

export const TermSchema = z.string().min(1);

/** A regular expression in a data file (case-insensitive, Unicode), checked when the file is loaded. */
export const RegexSchema = z.string().refine((p) => {
  try {
    new RegExp(p, 'iu');
    return true;
  } catch {
    return false;
  }
}, 'must be a valid regular expression');
export const PatternSchema = z.strictObject({
  /** One line: what this pattern catches. */
  why: z.string().min(1),
  /** Slots; each a list of alternative terms. */
  all: z.array(z.array(TermSchema).min(1)).min(1),
  /** Maximum distance in tokens from the first to the last matched token (default 8). */
  within: z.number().int().positive().optional(),
  /** Slots must occur in the listed order. */
  ordered: z.boolean().optional(),
  /** Terms that, anywhere in the same clause, mean this is something else ("koortslip", "ik wil afvallen"). */
  unless: z.array(TermSchema).optional(),
});
export type Pattern = z.infer<typeof PatternSchema>;

type TermMatcher = (tokens: readonly Token[], i: number) => number;

/** A compiled pattern: slots of term matchers. */
export interface CompiledPattern {
  source: Pattern;
  slots: TermMatcher[][];
  unless: TermMatcher[];
  within: number;
  ordered: boolean;
}

/** A successful match: the token span [start, end) of the question that matched. */
export interface PatternMatch {
  start: number;
  end: number;
  clause: number;
  /** Where each slot matched (token index), in slot order. */
  positions: number[];
  /** Where each slot's match ends (exclusive), in slot order. */
  ends: number[];
}

const FUZZY_MIN = 6;

/** Whether `a` and `b` are at most one edit apart (insert, delete, substitute, swap neighbours). */
export function oneEditApart(a: string, b: string): boolean {
  if (a === b) return true;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  while (i < la && i < lb && a[i] === b[i]) i++;
  if (la === lb) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

function compileWord(raw: string): (token: string) => boolean {
  // "=word": no typing-error tolerance, for words one letter from another sign ("infectie"/"injectie").
  const exactOnly = raw.startsWith('=');
  const word = exactOnly ? raw.slice(1) : raw;
  if (word === '?') return () => true;
  if (word.length > 2 && word.startsWith('/') && word.endsWith('/')) {
    const re = new RegExp(word.slice(1, -1), 'u');
    return (t) => re.test(t);
  }
  const pre = word.startsWith('*');
  const post = word.endsWith('*') && word.length > 1;
  const core = word.replace(/^\*|\*$/g, '');
  if (pre && post) return (t) => t.includes(core);
  if (pre) return (t) => t.endsWith(core);
  const fuzzy = !exactOnly && core.length >= FUZZY_MIN;
  if (post) {
    return (t) =>
      t.startsWith(core) ||
      (fuzzy &&
        t.length >= core.length - 1 &&
        [core.length - 1, core.length, core.length + 1].some((n) => oneEditApart(t.slice(0, n), core)));
  }
  return (t) => t === core || (fuzzy && oneEditApart(t, core));
}

/** Compiles one term (see the module comment) into a matcher returning the end index or -1. */
export function compileTerm(term: string): TermMatcher {
  const words = term
    .trim()
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .split(/\s+/)
    .map(compileWord);
  return (tokens, i) => {
    const clause = tokens[i]?.clause;
    for (let k = 0; k < words.length; k++) {
      const token = tokens[i + k];
      if (!token || token.clause !== clause || !words[k]?.(token.text)) return -1;
    }
    return i + words.length;
  };
}

/** Compiles a validated pattern. */
export function compilePattern(pattern: Pattern): CompiledPattern {
  return {
    source: pattern,
    slots: pattern.all.map((slot) => slot.map(compileTerm)),
    unless: (pattern.unless ?? []).map(compileTerm),
    within: pattern.within ?? 8,
    ordered: pattern.ordered ?? false,
  };
}

function occurrences(
  tokens: readonly Token[],
  from: number,
  to: number,
  slot: TermMatcher[],
): [number, number][] {
  // The longest term at each position wins and its words are not matched again ("geen controle" is one
  // occurrence, so its "geen" is part of the sign rather than a negation of it).
  const out: [number, number][] = [];
  let i = from;
  while (i < to) {
    let end = -1;
    for (const m of slot) end = Math.max(end, m(tokens, i));
    if (end > i) {
      out.push([i, end]);
      i = end;
    } else i++;
  }
  return out;
}

/**
 * All matches of a pattern in a token list, one per anchor (an occurrence of the first slot), each with the
 * nearest occurrence of every other slot. `accept` filters them (e.g. negation); the first accepted is returned.
 */
export function findMatch(
  pattern: CompiledPattern,
  tokens: readonly Token[],
  accept: (m: PatternMatch) => boolean = () => true,
): PatternMatch | undefined {
  let i = 0;
  while (i < tokens.length) {
    const clause = tokens[i]?.clause ?? 0;
    let j = i;
    while (j < tokens.length && tokens[j]?.clause === clause) j++;
    const found = matchInClause(pattern, tokens, i, j, accept);
    if (found) return found;
    i = j;
  }
  return undefined;
}

function matchInClause(
  pattern: CompiledPattern,
  tokens: readonly Token[],
  from: number,
  to: number,
  accept: (m: PatternMatch) => boolean,
): PatternMatch | undefined {
  const slots = pattern.slots.map((slot) => occurrences(tokens, from, to, slot));
  if (slots.some((s) => s.length === 0)) return undefined;
  if (pattern.unless.length > 0 && occurrences(tokens, from, to, pattern.unless).length > 0) return undefined;
  for (const anchor of slots[0] ?? []) {
    let start = anchor[0];
    let end = anchor[1];
    let previousEnd = anchor[1];
    const positions = [anchor[0]];
    const ends = [anchor[1]];
    let ok = true;
    for (const occ of slots.slice(1)) {
      const candidates = pattern.ordered ? occ.filter(([s]) => s >= previousEnd) : occ;
      const best = candidates.sort((a, b) => Math.abs(a[0] - anchor[0]) - Math.abs(b[0] - anchor[0]))[0];
      if (!best) {
        ok = false;
        break;
      }
      previousEnd = best[1];
      positions.push(best[0]);
      ends.push(best[1]);
      start = Math.min(start, best[0]);
      end = Math.max(end, best[1]);
    }
    if (!ok || end - start - 1 > pattern.within) continue;
    const clause = tokens[start]?.clause ?? 0;
    const match = { start, end, clause, positions, ends };
    if (accept(match)) return match;
  }
  return undefined;
}

/** Whether any of the terms occurs in the token range. */
export function anyTermIn(terms: TermMatcher[], tokens: readonly Token[], from: number, to: number): boolean {
  return occurrences(tokens, Math.max(0, from), Math.min(tokens.length, to), terms).length > 0;
}
