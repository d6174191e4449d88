import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadGold } from '../../src/eval/gold.js';
import { normalizeText } from '../../src/eval/metrics.js';
import { phraseInSources, ROOT } from './corpus-text.js';

/**
 * eval/train-extra.jsonl: training-only questions for `npm run train` (never scored or reported). They must
 * be real labels — verbatim facts of the named source — and may not copy a measured question.
 */
const FILE = path.join(ROOT, 'eval/train-extra.jsonl');

interface Asked {
  question: string;
  history?: { question: string }[];
}
/** A question with the turns before it: "En bij chronische?" after another question is another question. */
const key = (a: Asked): string => normalizeText([...(a.history ?? []).map((t) => t.question), a.question].join(' | '));

describe('eval/train-extra.jsonl', () => {
  it('parses with unique ids, and every fact is a verbatim 2–6-word phrase of a named source', async () => {
    const items = await loadGold(FILE);
    expect(items.length).toBeGreaterThanOrEqual(100);
    expect(new Set(items.map((g) => g.id)).size).toBe(items.length);
    const bad: string[] = [];
    for (const g of items) {
      if (!g.answerable) {
        if (g.facts.length > 0 || g.sources.length > 0) bad.push(`${g.id}: unanswerable with facts or sources`);
        continue;
      }
      if (g.facts.length === 0 || g.sources.length === 0) bad.push(`${g.id}: answerable without facts or sources`);
      for (const group of g.facts)
        for (const alt of group) {
          const words = alt.trim().split(/\s+/).length;
          if (words < 2 || words > 6 || !phraseInSources(alt, g.sources)) bad.push(`${g.id}: ${alt}`);
        }
    }
    expect(bad).toEqual([]);
  });

  it('shares no question with the measured sets (gold, realistic)', () => {
    const measured = new Set(
      ['eval/gold.jsonl', 'eval/realistic.jsonl'].flatMap((f) =>
        readFileSync(path.join(ROOT, f), 'utf8')
          .split('\n')
          .filter((l) => l.trim() !== '')
          .map((l) => key(JSON.parse(l) as Asked)),
      ),
    );
    const extra = readFileSync(FILE, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as Asked & { id: string });
    const copied = extra.filter((e) => measured.has(key(e)));
    expect(copied.map((e) => e.id)).toEqual([]);
  });
});
