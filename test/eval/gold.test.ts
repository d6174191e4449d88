import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GOLD_CATEGORIES,
  loadGold,
  loadRecommendations,
  type GoldItem,
  type Recommendation,
} from '../../src/eval/gold.js';
import { normalizeText } from '../../src/eval/metrics.js';
import { factInSources, originals, ROOT } from './corpus-text.js';

const GOLD = path.join(ROOT, 'eval/gold.jsonl');
const RECS = path.join(ROOT, 'eval/recommendations.json');

describe('eval/gold.jsonl', () => {
  let gold: GoldItem[];
  let recs: Recommendation[];
  beforeAll(async () => {
    gold = await loadGold(GOLD);
    recs = await loadRecommendations(RECS);
  });

  it('parses, with unique ids and at least 90 questions', () => {
    expect(gold.length).toBeGreaterThanOrEqual(90);
    expect(new Set(gold.map((g) => g.id)).size).toBe(gold.length);
    for (const g of gold) expect(g.id).toMatch(/^q\d{3}$/);
  });

  it('meets the per-category minimums', () => {
    const count = (pred: (g: GoldItem) => boolean) => gold.filter(pred).length;
    expect(count((g) => g.category === 'english')).toBeGreaterThanOrEqual(8);
    expect(count((g) => g.lang === 'en' && g.category === 'english')).toBe(
      count((g) => g.category === 'english'),
    );
    expect(count((g) => !g.answerable)).toBeGreaterThanOrEqual(14);
    expect(count((g) => g.category === 'injection')).toBeGreaterThanOrEqual(3);
    expect(count((g) => g.category === 'red-flag')).toBeGreaterThanOrEqual(8);
    expect(count((g) => g.category === 'red-flag' && g.lang === 'en')).toBeGreaterThanOrEqual(2);
    for (const cat of ['number', 'efficacy', 'what-to-do', 'lay', 'compound', 'follow-up-free'] as const) {
      expect(
        count((g) => g.category === cat),
        cat,
      ).toBeGreaterThanOrEqual(5);
    }
  });

  it('labels categories consistently with answerability and safety', () => {
    for (const g of gold) {
      expect(GOLD_CATEGORIES as readonly string[], g.id).toContain(g.category);
      const unanswerableCategory = g.category === 'unanswerable' || g.category === 'injection';
      expect(g.answerable, g.id).toBe(!unanswerableCategory);
      expect(g.safety === 'red-flag', g.id).toBe(g.category === 'red-flag');
    }
  });

  it('covers the compound spellings lagerugpijn / lage-rugpijn / lage rugpijn / lage rug pijn', () => {
    const compound = gold.filter((g) => g.category === 'compound').map((g) => g.question.toLowerCase());
    for (const spelling of [/\blagerugpijn\b/, /\blage-rugpijn\b/, /\blage rugpijn\b/, /\blage rug pijn\b/]) {
      expect(
        compound.some((q) => spelling.test(q)),
        String(spelling),
      ).toBe(true);
    }
  });

  it('gives every answerable item a source and a fact group, and names only existing corpus files', () => {
    for (const g of gold) {
      for (const s of g.sources) expect(originals.has(s), `${g.id}: ${s}`).toBe(true);
      if (g.answerable) {
        expect(g.sources.length, g.id).toBeGreaterThan(0);
        expect(g.facts.length, g.id).toBeGreaterThan(0);
      }
    }
  });

  it('has facts that are checkable in the sources the item names', () => {
    const missing: string[] = [];
    for (const g of gold) {
      for (const group of g.facts) {
        if (!factInSources(group, g.sources)) missing.push(`${g.id}: ${JSON.stringify(group)}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('refers only to existing recommendations', () => {
    const ids = new Set(recs.map((r) => r.id));
    for (const g of gold)
      if (g.recommendation !== undefined)
        expect(ids.has(g.recommendation), `${g.id}: ${g.recommendation}`).toBe(true);
  });

  it('does not copy questions from the corpus', () => {
    const corpus = normalizeText([...originals.values()].join('\n'));
    for (const g of gold) expect(corpus.includes(normalizeText(g.question)), g.id).toBe(false);
  });
});

describe('eval/recommendations.json', () => {
  let recs: Recommendation[];
  beforeAll(async () => {
    recs = await loadRecommendations(RECS);
  });

  it('has 25–40 entries with unique kebab-case ids', () => {
    expect(recs.length).toBeGreaterThanOrEqual(25);
    expect(recs.length).toBeLessThanOrEqual(40);
    expect(new Set(recs.map((r) => r.id)).size).toBe(recs.length);
  });

  it('quotes every entry verbatim from its original corpus file', () => {
    for (const r of recs) {
      const original = originals.get(r.source);
      expect(original, r.id).toBeDefined();
      expect(original?.includes(r.quote), r.id).toBe(true);
    }
  });

  it('draws on every corpus document', () => {
    expect(new Set(recs.map((r) => r.source))).toEqual(new Set(originals.keys()));
  });

  it('has opposite phrases that a faithful quote of the corpus never triggers', () => {
    // If the corpus itself contained an opposite phrase, an answer that quotes it faithfully would be
    // scored as contradicting the recommendation.
    const corpus = normalizeText([...originals.values()].join('\n'));
    for (const r of recs) {
      expect(r.oppositePhrases.length, r.id).toBeGreaterThan(0);
      for (const p of r.oppositePhrases)
        expect(corpus.includes(normalizeText(p)), `${r.id}: ${p}`).toBe(false);
    }
  });
});

describe('loadGold / loadRecommendations validation', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'rugwijs-gold-'));
  });
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  const good = {
    id: 'q001',
    question: 'Moet ik in bed blijven met lage rugpijn?',
    answerable: true,
    sources: ['004_beb946dfbc2e71d7.txt'],
    facts: [['in beweging blijven']],
    category: 'lay',
    lang: 'nl',
  };
  const write = async (name: string, lines: string[]) => {
    const file = path.join(dir, name);
    await fs.writeFile(file, lines.join('\n'));
    return file;
  };

  it('reads valid lines and skips blank ones', async () => {
    const file = await write('ok.jsonl', [
      JSON.stringify(good),
      '',
      JSON.stringify({ ...good, id: 'q002' }),
      '',
    ]);
    const items = await loadGold(file);
    expect(items.map((i) => i.id)).toEqual(['q001', 'q002']);
  });

  it('reports invalid JSON with its line number', async () => {
    const file = await write('json.jsonl', [JSON.stringify(good), '{"id": "q002",']);
    await expect(loadGold(file)).rejects.toMatchObject({
      code: 'validation_error',
      message: expect.stringMatching(/^line 2: invalid JSON/),
    });
  });

  it('reports a schema violation with its line number and field', async () => {
    const file = await write('schema.jsonl', [
      '',
      JSON.stringify(good),
      JSON.stringify({ ...good, id: 'q003', answerable: 'yes' }),
    ]);
    await expect(loadGold(file)).rejects.toMatchObject({
      code: 'validation_error',
      message: expect.stringMatching(/^line 3: answerable:/),
    });
  });

  it('loads a foreign file: unknown fields ignored, category and lang optional (lang detected)', async () => {
    const { category: _c, lang: _l, ...bare } = good;
    const file = await write('foreign.jsonl', [
      JSON.stringify({ ...bare, difficulty: 'hard', notes: { by: 'someone' } }),
      JSON.stringify({ ...bare, id: 'x2', question: 'Should I stay in bed with low back pain?' }),
      JSON.stringify({
        ...bare,
        id: 'x3',
        history: [{ question: 'Helpt kine bij lage rugpijn?' }],
        question: 'Waarom?',
      }),
    ]);
    const items = await loadGold(file);
    expect(items.map((i) => [i.category, i.lang])).toEqual([
      ['uncategorized', 'nl'],
      ['uncategorized', 'en'],
      ['uncategorized', 'nl'],
    ]);
    expect(items[0]).not.toHaveProperty('difficulty');
    expect(items[2]?.history).toEqual([{ question: 'Helpt kine bij lage rugpijn?', answer: '' }]);
  });

  it('rejects a missing core field, empty fact groups and sources on unanswerable items', async () => {
    const { sources: _s, ...noSources } = good;
    const typo = await write('typo.jsonl', [JSON.stringify({ ...noSources, sorces: [] })]);
    await expect(loadGold(typo)).rejects.toMatchObject({
      code: 'validation_error',
      message: expect.stringMatching(/^line 1: sources:/),
    });
    const badLang = await write('lang.jsonl', [JSON.stringify({ ...good, lang: 'fr' })]);
    await expect(loadGold(badLang)).rejects.toMatchObject({
      message: expect.stringMatching(/^line 1: lang:/),
    });
    const badHistory = await write('hist.jsonl', [JSON.stringify({ ...good, history: [{ answer: 'x' }] })]);
    await expect(loadGold(badHistory)).rejects.toMatchObject({
      message: expect.stringMatching(/^line 1: history\[0\]\.question:/),
    });
    const emptyGroup = await write('group.jsonl', [JSON.stringify({ ...good, facts: [[]] })]);
    await expect(loadGold(emptyGroup)).rejects.toMatchObject({
      message: expect.stringMatching(/^line 1: facts\[0\]/),
    });
    const unans = await write('unans.jsonl', [JSON.stringify({ ...good, answerable: false, facts: [] })]);
    await expect(loadGold(unans)).rejects.toMatchObject({
      message: expect.stringMatching(/^line 1: sources: an unanswerable item/),
    });
    const pathSource = await write('path.jsonl', [JSON.stringify({ ...good, sources: ['../etc/passwd'] })]);
    await expect(loadGold(pathSource)).rejects.toMatchObject({ code: 'validation_error' });
  });

  it('rejects duplicate ids, naming both lines', async () => {
    const file = await write('dup.jsonl', [JSON.stringify(good), JSON.stringify(good)]);
    await expect(loadGold(file)).rejects.toMatchObject({
      message: 'line 2: duplicate id "q001" (first on line 1)',
    });
  });

  it('rejects an empty file and a missing file', async () => {
    const empty = await write('empty.jsonl', ['', '  ']);
    await expect(loadGold(empty)).rejects.toMatchObject({ code: 'validation_error' });
    await expect(loadGold(path.join(dir, 'nope.jsonl'))).rejects.toMatchObject({ code: 'not_found' });
  });

  it('validates recommendations: kebab-case ids, known stances, unique ids', async () => {
    const rec = {
      id: 'kce-stay-active',
      statement: 'In beweging blijven.',
      stance: 'recommended',
      population: 'all',
      source: '004_beb946dfbc2e71d7.txt',
      quote: 'in beweging',
      oppositePhrases: ['blijf in bed'],
    };
    const ok = await write('recs.json', [JSON.stringify([rec])]);
    await expect(loadRecommendations(ok)).resolves.toHaveLength(1);
    const badId = await write('recs-id.json', [JSON.stringify([{ ...rec, id: 'Stay_Active' }])]);
    await expect(loadRecommendations(badId)).rejects.toMatchObject({
      code: 'validation_error',
      message: expect.stringContaining('[0].id'),
    });
    const badStance = await write('recs-stance.json', [JSON.stringify([{ ...rec, stance: 'maybe' }])]);
    await expect(loadRecommendations(badStance)).rejects.toMatchObject({
      message: expect.stringContaining('[0].stance'),
    });
    const dup = await write('recs-dup.json', [JSON.stringify([rec, rec])]);
    await expect(loadRecommendations(dup)).rejects.toMatchObject({
      message: expect.stringContaining('[1].id: duplicate'),
    });
  });
});
