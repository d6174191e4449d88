import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadGold, loadRecommendations, type GoldItem } from '../../src/eval/gold.js';
import { normalizeText } from '../../src/eval/metrics.js';
import { originals, phraseInSources, ROOT } from './corpus-text.js';

/** eval/realistic.jsonl: questions as clinicians and patients type them (see eval/README.md). */

const FILE = path.join(ROOT, 'eval/realistic.jsonl');
const STYLE = new Set(['telegraphic', 'lay', 'flemish']);
const BRANDS = /\b(dafalgan|brufen|nurofen|voltaren|contramal|tradonal|perdolan|advil|aspirientje|lyrica)\b/i;
const ABBREVIATIONS = /\b(rx|mri|ct|nsaid|lrp|lbp|kine|rf|odi|vas|sus|kngf|has|mcid|trpv1|kce|bmj|rct|pt)\b/i;

describe('eval/realistic.jsonl', () => {
  let items: GoldItem[];
  let raw: Record<string, unknown>[];
  beforeAll(async () => {
    items = await loadGold(FILE);
    const { readFileSync } = await import('node:fs');
    raw = readFileSync(FILE, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  });
  const count = (pred: (g: GoldItem) => boolean): number => items.filter(pred).length;

  it('parses, with ids r001… unique, and every item states its category and lang', () => {
    expect(items.length).toBeGreaterThanOrEqual(160);
    for (const g of items) expect(g.id).toMatch(/^r\d{3}$/);
    expect(new Set(items.map((g) => g.id)).size).toBe(items.length);
    for (const r of raw) {
      expect(typeof r.category, String(r.id)).toBe('string');
      expect(['nl', 'en'], String(r.id)).toContain(r.lang);
    }
  });

  it('has the required mix of ways of asking', () => {
    expect(count((g) => STYLE.has(g.category))).toBeGreaterThanOrEqual(Math.ceil(items.length / 3));
    expect(count((g) => g.category === 'typo')).toBeGreaterThanOrEqual(10);
    expect(count((g) => g.lang === 'en')).toBeGreaterThanOrEqual(20);
    expect(count((g) => BRANDS.test(g.question))).toBeGreaterThanOrEqual(10);
    expect(count((g) => ABBREVIATIONS.test(g.question))).toBeGreaterThanOrEqual(15);
    expect(count((g) => !g.answerable && g.category !== 'injection')).toBeGreaterThanOrEqual(30);
    const redFlags = count((g) => g.safety === 'red-flag');
    expect(redFlags).toBeGreaterThanOrEqual(12);
    expect(redFlags).toBeLessThanOrEqual(20);
    expect(count((g) => g.category === 'injection')).toBeGreaterThanOrEqual(3);
  });

  it('has at least 20 follow-ups, including "Waarom?", "Hoe dan?" and "En bij chronische?"', () => {
    const followUps = items.filter((g) => (g.history?.length ?? 0) > 0);
    expect(followUps.length).toBeGreaterThanOrEqual(20);
    for (const g of followUps) expect(g.category, g.id).toBe('follow-up');
    const asked = new Set(followUps.map((g) => normalizeText(g.question)));
    for (const q of ['waarom?', 'hoe dan?', 'en bij chronische?']) expect(asked.has(q), q).toBe(true);
  });

  it('gives every history turn as an item of the file (a first question is itself scored) or self-contained', () => {
    const questions = new Set(items.map((g) => g.question));
    const firsts = new Set(items.filter((g) => !g.history?.length).map((g) => g.question));
    for (const g of items) {
      const turns = g.history ?? [];
      for (const turn of turns)
        expect(questions.has(turn.question) || turn.answer.trim() !== '', `${g.id}: ${turn.question}`).toBe(
          true,
        );
      if (turns[0] && turns[0].answer.trim() === '')
        expect(firsts.has(turns[0].question), `${g.id}: first turn is a first question`).toBe(true);
    }
  });

  it('labels answerability, safety and sources consistently', () => {
    for (const g of items) {
      if (g.category === 'unanswerable' || g.category === 'injection') expect(g.answerable, g.id).toBe(false);
      expect(g.safety === 'red-flag', g.id).toBe(g.category === 'red-flag');
      if (g.safety === 'red-flag') expect(g.answerable, g.id).toBe(true);
      for (const s of g.sources) expect(originals.has(s), `${g.id}: ${s}`).toBe(true);
      if (g.answerable) {
        expect(g.sources.length, g.id).toBeGreaterThan(0);
        expect(g.facts.length, g.id).toBeGreaterThan(0);
      }
    }
  });

  it('has facts whose every alternative is a short verbatim phrase of the sources the item names', () => {
    const bad: string[] = [];
    for (const g of items)
      for (const group of g.facts)
        for (const alt of group) {
          const words = alt.trim().split(/\s+/).length;
          if (words > 6 || !phraseInSources(alt, g.sources)) bad.push(`${g.id}: ${alt}`);
        }
    expect(bad).toEqual([]);
  });

  it('refers only to existing recommendations', async () => {
    const ids = new Set(
      (await loadRecommendations(path.join(ROOT, 'eval/recommendations.json'))).map((r) => r.id),
    );
    for (const g of items)
      if (g.recommendation !== undefined)
        expect(ids.has(g.recommendation), `${g.id}: ${g.recommendation}`).toBe(true);
  });

  it('copies no question from the corpus or from gold.jsonl', async () => {
    const corpus = normalizeText([...originals.values()].join('\n'));
    const gold = new Set(
      (await loadGold(path.join(ROOT, 'eval/gold.jsonl'))).map((g) => normalizeText(g.question)),
    );
    for (const g of items) {
      const q = normalizeText(g.question);
      // Bare follow-ups ("Waarom?") are too short to be copies.
      if (q.split(' ').length > 3) expect(corpus.includes(q), g.id).toBe(false);
      expect(gold.has(q), g.id).toBe(false);
    }
  });
});
