import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { detectRedFlags, parseRedFlagTable, redFlagReferralQuery } from '../../src/understand/red-flags.js';

const fixture = (name: string): { q: string; flag?: string }[] =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { q: string; flag?: string });

const positives = fixture('red-flags.positive.jsonl');
const nearMisses = fixture('red-flags.near-miss.jsonl');
const table = createRequire(import.meta.url)('../../src/understand/red-flags.json') as unknown;

describe('red-flag phrasing suite (patient voice, GP shorthand, English, typos, character tricks)', () => {
  it('has at least 150 red-flag phrasings and 100 near-misses', () => {
    expect(positives.length).toBeGreaterThanOrEqual(150);
    expect(nearMisses.length).toBeGreaterThanOrEqual(100);
  });

  it('recall is 1.00: every phrasing raises its flag', () => {
    const missed = positives.filter((p) => !detectRedFlags(p.q).some((f) => f.id === p.flag));
    expect(missed.map((p) => `${p.flag}: ${p.q}`)).toEqual([]);
  });

  it('reports the false-alarm rate on near-misses (bound: 5%)', () => {
    const alarms = nearMisses.filter((n) => detectRedFlags(n.q).length > 0);
    const rate = alarms.length / nearMisses.length;
    console.info(
      `red-flag false alarms: ${alarms.length}/${nearMisses.length} (${(rate * 100).toFixed(1)}%)`,
    );
    expect(rate).toBeLessThanOrEqual(0.05);
  });
});

describe('red-flag families', () => {
  it.each([
    ['Ik kan mijn voet niet goed meer optillen en sleep ermee, met rugpijn', 'progressive-weakness'],
    ["Ik word 's nachts wakker van de pijn in mijn rug", 'night-pain'],
    ['ik val af', 'weight-loss'],
    ['Ik heb geen controle meer over mijn blaas', 'cauda-equina'],
  ])('%s → %s', (q, id) => {
    expect(detectRedFlags(q).map((f) => f.id)).toContain(id);
  });

  it('a past fall that has healed is not a flag, a past cancer still is', () => {
    expect(detectRedFlags('Vroeger gevallen, nu genezen.')).toEqual([]);
    expect(detectRedFlags('Vroeger borstkanker gehad, nu genezen.').map((f) => f.id)).toEqual([
      'cancer-history',
    ]);
  });

  it('fillers between the words of a sign do not hide it (property)', () => {
    const fillers = ['goed', 'echt', 'meer', 'gewoon', 'zo', 'helemaal'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...fillers), { maxLength: 3 }), (extra) => {
        const q = `Ik kan mijn voet niet ${extra.join(' ')} optillen`;
        expect(detectRedFlags(q).map((f) => f.id)).toContain('progressive-weakness');
      }),
    );
  });

  it('the referral query uses general domain vocabulary plus the words of each flag', () => {
    const flags = detectRedFlags('Ik heb koorts');
    const query = redFlagReferralQuery(flags);
    expect(query).toMatch(/rode vlaggen/);
    expect(query).toMatch(/infectie/);
  });
});

describe('red-flags.json shape', () => {
  it('the bundled table validates and every family and pattern says why', () => {
    const d = parseRedFlagTable(table);
    expect(d.families.length).toBeGreaterThanOrEqual(7);
    for (const f of d.table.families) {
      expect(f.why.length).toBeGreaterThan(10);
      for (const p of f.patterns) expect(p.why.length).toBeGreaterThan(5);
    }
  });

  it('rejects a table with a duplicate family, a missing label or a bad regular expression', () => {
    const t = structuredClone(table) as { families: Record<string, unknown>[] };
    expect(() => parseRedFlagTable({ ...t, families: [...t.families, t.families[0]] })).toThrow(/duplicate/);
    expect(() => parseRedFlagTable({ ...t, families: [{ ...t.families[0], label: undefined }] })).toThrow(
      /config_error|Invalid/,
    );
    const bad = { ...t.families[0], patterns: [{ why: 'x', all: [['/(/']] }] };
    expect(() => parseRedFlagTable({ ...t, families: [bad] })).toThrow(/regular expression/);
  });
});
