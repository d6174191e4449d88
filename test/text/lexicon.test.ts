import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../src/text/analyze.js';
import {
  ENTITY_TYPES,
  RELATION_KINDS,
  canonicalOf,
  isDirected,
  loadDefaultLexicon,
  membersOf,
  parseLexicon,
} from '../../src/text/lexicon.js';

const lexicon = loadDefaultLexicon();
const analyzer = createAnalyzer();

/** A term's key as the analyzer sees it: the first index term of each word, stopwords dropped. */
const keyOf = (term: string): string =>
  term
    .split(/\s+/u)
    .map((w) => analyzer.terms(w)[0])
    .filter((t): t is string => t !== undefined)
    .join(' ');

/** Lowercase words of a text, diacritics kept (only used to compare texts with each other). */
const wordsOf = (text: string): string[] => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

/** The n-word runs of a text, joined by a space. */
const ngrams = (text: string, n: number): string[] => {
  const w = wordsOf(text);
  return w.length < n ? [] : w.slice(0, w.length - n + 1).map((_, i) => w.slice(i, i + n).join(' '));
};

/** Terms that contain at least `n` consecutive words of one of the questions. */
function keyedTerms(terms: readonly string[], questions: readonly string[], n = 5): string[] {
  const grams = new Set(questions.flatMap((q) => ngrams(q, n)));
  return terms.filter((t) => ngrams(t, n).some((g) => grams.has(g)));
}

const questionsOf = (file: string): string[] => {
  const full = path.join(process.cwd(), 'eval', file);
  if (!existsSync(full)) return [];
  return readFileSync(full, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .flatMap((l) => {
      const row = JSON.parse(l) as { question?: unknown; followUp?: unknown; turns?: unknown };
      // Follow-up pairs may carry their second turn in another field: take every string the row holds.
      return Object.values(row).flatMap((v) =>
        typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x) => typeof x === 'string') : [],
      );
    });
};

describe('bundled clinical lexicon: shape', () => {
  it('has at least 450 groups with valid kinds, entity types and a one-line why', () => {
    expect(lexicon.groups.length).toBeGreaterThanOrEqual(450);
    for (const g of lexicon.groups) {
      expect(RELATION_KINDS).toContain(g.kind);
      expect(ENTITY_TYPES).toContain(g.entity);
      expect(g.why.trim().length, canonicalOf(g)).toBeGreaterThan(0);
      expect(g.why, canonicalOf(g)).not.toContain('\n');
      // At least two terms, or one term and the canonical it maps to.
      expect(new Set(membersOf(g).map((t) => t.toLowerCase())).size, canonicalOf(g)).toBeGreaterThanOrEqual(
        2,
      );
    }
  });

  it('covers every relation kind and the brand, regional, lay and English examples clinicians use', () => {
    const kinds = new Set(lexicon.groups.map((g) => g.kind));
    for (const k of RELATION_KINDS) expect(kinds, k).toContain(k);
    const mapsTo = (term: string, kind: string): string[] =>
      lexicon.groups
        .filter((g) => g.kind === kind && g.terms.some((t) => t.toLowerCase() === term.toLowerCase()))
        .map((g) => canonicalOf(g));
    expect(mapsTo('Dafalgan', 'brand')).toEqual(['paracetamol']);
    expect(mapsTo('Brufen', 'brand')).toEqual(['ibuprofen']);
    expect(mapsTo('Lyrica', 'brand')).toEqual(['pregabaline']);
    expect(mapsTo('sciatica', 'english')).toEqual(['ischias']);
  });

  it('has terms that all survive analysis, and phrases that keep at least two content words', () => {
    for (const g of lexicon.groups) {
      for (const term of membersOf(g)) {
        // A term made only of stopwords ("MS", "pt" are stopwords) would never match anything.
        expect(analyzer.contentTerms(term), `${canonicalOf(g)}: ${term}`).not.toEqual([]);
        // "iets tegen de pijn" would degrade into the bare word "pijn" and fire on every question.
        const words = term.split(/\s+/u);
        if (words.length > 1) {
          const kept = words.filter((w) => analyzer.terms(w).length > 0);
          expect(kept.length, `${canonicalOf(g)}: ${term}`).toBeGreaterThanOrEqual(2);
        }
      }
    }
  });

  it('never maps one term to conflicting groups', () => {
    const entities = new Map<string, Set<string>>();
    const canonicals = new Map<string, Set<string>>();
    for (const g of lexicon.groups) {
      for (const term of g.terms) {
        const key = keyOf(term);
        // Outside `related` (a drug may belong to several classes) and `alternative` (its terms are not the
        // advice it names), a word names one type of thing.
        if (g.kind !== 'related' && g.kind !== 'alternative') entities.set(key, (entities.get(key) ?? new Set()).add(g.entity));
        // A brand names one generic; an English word translates to one Dutch concept.
        if (isDirected(g) && g.kind !== 'related' && g.kind !== 'alternative') {
          canonicals.set(key, (canonicals.get(key) ?? new Set()).add(keyOf(canonicalOf(g))));
        }
      }
      if (g.canonical !== undefined && g.kind !== 'related') {
        const key = keyOf(g.canonical);
        entities.set(key, (entities.get(key) ?? new Set()).add(g.entity));
      }
    }
    const conflicts = [
      ...[...entities].filter(([, s]) => s.size > 1).map(([k, s]) => `${k}: ${[...s].join(' / ')}`),
      ...[...canonicals].filter(([, s]) => s.size > 1).map(([k, s]) => `${k} → ${[...s].join(' / ')}`),
    ];
    expect(conflicts).toEqual([]);
  });
});

describe('bundled clinical lexicon: not keyed to questions', () => {
  it('detects a term copied from a question (the check can fail)', () => {
    const questions = ['Mag ik met lage rugpijn nog gaan fietsen naar het werk?'];
    expect(keyedTerms(['met lage rugpijn nog gaan fietsen', 'fietsen'], questions)).toEqual([
      'met lage rugpijn nog gaan fietsen',
    ]);
  });

  it('has no term containing five consecutive words of any gold or realistic eval question', () => {
    const questions = [...questionsOf('gold.jsonl'), ...questionsOf('realistic.jsonl')];
    expect(questions.length).toBeGreaterThan(0);
    const terms = lexicon.groups.flatMap((g) => membersOf(g));
    expect(keyedTerms(terms, questions)).toEqual([]);
  });
});

describe('parseLexicon', () => {
  const group = { terms: ['RX'], canonical: 'radiografie', kind: 'abbreviation', entity: 'test', why: 'x' };

  it('accepts a minimal lexicon and keeps the canonical', () => {
    expect(parseLexicon({ version: 1, groups: [group] })).toEqual({ version: 1, groups: [group] });
    const plain = { terms: ['rug', 'onderrug'], kind: 'synonym', entity: 'anatomy', why: 'x' };
    expect(parseLexicon({ version: 1, groups: [plain] }).groups[0]).not.toHaveProperty('canonical');
  });

  it.each([
    ['not an object', 42, '(root)'],
    ['no version', { groups: [group] }, 'version'],
    ['no groups', { version: 1, groups: [] }, 'groups'],
    ['one term and no canonical', { version: 1, groups: [{ ...group, canonical: undefined }] }, 'groups.0'],
    [
      'a term repeated as its canonical',
      { version: 1, groups: [{ ...group, terms: ['Radiografie'] }] },
      'groups.0',
    ],
    ['an unknown kind', { version: 1, groups: [{ ...group, kind: 'french' }] }, 'groups.0.kind'],
    ['an unknown entity', { version: 1, groups: [{ ...group, entity: 'food' }] }, 'groups.0.entity'],
    ['an empty why', { version: 1, groups: [{ ...group, why: ' ' }] }, 'groups.0.why'],
    [
      'a brand without its generic',
      {
        version: 1,
        groups: [{ ...group, kind: 'brand', canonical: undefined, terms: ['Dafalgan', 'Panadol'] }],
      },
      'groups.0',
    ],
    ['an unknown field', { version: 1, groups: [{ ...group, fr: ['dos'] }] }, 'groups.0'],
  ])('rejects %s with a config_error naming where', (_label, json, where) => {
    let error: unknown;
    try {
      parseLexicon(json);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'config_error' });
    expect((error as Error).message).toContain(`at ${where}`);
  });
});
