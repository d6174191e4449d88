import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fnv1a32, loadLabelled, loadSplit, splitOf } from '../../src/eval/split.js';
import { ROOT } from './corpus-text.js';

const REALISTIC = path.join(ROOT, 'eval/realistic.jsonl');

describe('splitOf', () => {
  it('implements 32-bit FNV-1a (published test vectors)', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('is pinned: these ids keep their split (a changed seed or hash would move tuned questions into test)', () => {
    const pinned = Object.fromEntries(
      ['r001', 'r002', 'r003', 'r004', 'r005', 'r006'].map((id) => [id, splitOf(id)]),
    );
    expect(pinned).toMatchInlineSnapshot(`
      {
        "r001": "tune",
        "r002": "test",
        "r003": "tune",
        "r004": "tune",
        "r005": "test",
        "r006": "tune",
      }
    `);
  });

  it('sends about 2/3 of ids to tune', () => {
    const ids = Array.from({ length: 3000 }, (_, i) => `r${String(i + 1).padStart(4, '0')}`);
    const tune = ids.filter((id) => splitOf(id) === 'tune').length / ids.length;
    expect(tune).toBeGreaterThan(0.63);
    expect(tune).toBeLessThan(0.7);
  });
});

describe('loadSplit / loadLabelled on realistic.jsonl', () => {
  it('tags every item, about 2/3 tune, and filters by split', async () => {
    const all = await loadSplit(REALISTIC);
    const tune = all.filter((i) => i.split === 'tune');
    expect(tune.length / all.length).toBeGreaterThan(0.58);
    expect(tune.length / all.length).toBeLessThan(0.75);
    for (const i of all) expect(i.split).toBe(splitOf(i.id));
    expect((await loadSplit(REALISTIC, 'test')).map((i) => i.id)).toEqual(
      all.filter((i) => i.split === 'test').map((i) => i.id),
    );
  });

  it('gives a trainer question, history, facts, sources and answerability of one split only', async () => {
    const tune = await loadLabelled(REALISTIC, 'tune');
    expect(tune.length).toBeGreaterThan(0);
    for (const q of tune) {
      expect(q.split).toBe('tune');
      expect(Array.isArray(q.history)).toBe(true);
      if (q.answerable) expect(q.facts.length).toBeGreaterThan(0);
    }
    expect(tune.some((q) => q.history.length > 0)).toBe(true);
    const all = await loadLabelled(REALISTIC, 'all');
    expect(all.length).toBeGreaterThan(tune.length);
  });
});
