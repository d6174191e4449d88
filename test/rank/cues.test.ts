import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CUE_KINDS, findStrength, loadCues } from '../../src/rank/cues.js';

describe('cue and strength data', () => {
  const cues = loadCues();

  it('has every cue kind with folded words', () => {
    for (const kind of CUE_KINDS) {
      expect(cues.words[kind].size, kind).toBeGreaterThanOrEqual(3);
      for (const w of cues.words[kind]) expect(w).toBe(w.toLowerCase().normalize('NFKD').replace(/\p{M}+/gu, ''));
    }
  });

  it('copies a stated strength verbatim, as written', () => {
    expect(findStrength(cues, 'Oefentherapie wordt Matig aanbevolen bij chronische pijn.')).toBe('Matig aanbevolen');
    expect(findStrength(cues, 'Dit berust op zeer onzeker bewijs uit twee studies.')).toBe('zeer onzeker bewijs');
    expect(findStrength(cues, 'Een zwakke aanbeveling tegen paracetamol.')).toBe('zwakke aanbeveling tegen');
    expect(findStrength(cues, 'Lage kwaliteit van bewijs')).toBe('Lage kwaliteit van bewijs');
  });

  it('finds no strength where the text states none (never inferred)', () => {
    expect(findStrength(cues, 'Oefentherapie helpt bij chronische lage rugpijn.')).toBeUndefined();
    expect(findStrength(cues, 'De patiënt kreeg een zware rugzak.')).toBeUndefined();
  });

  it('refuses a malformed cue file with a config error naming it', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'rugwijs-cues-'));
    const bad = path.join(dir, 'cues.json');
    await writeFile(bad, JSON.stringify({ version: 1, why: 'a reason long enough', cues: { causal: { why: 'x', words: [] } } }));
    expect(() => loadCues(pathToFileURL(bad))).toThrow(/cues\.json/);
    await writeFile(bad, '{ not json');
    expect(() => loadCues(pathToFileURL(bad))).toThrow(/cues\.json/);
  });

  it('refuses a discourse or question pattern that is not a valid regular expression', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'rugwijs-cues-'));
    const good = JSON.parse(await readFile(new URL('../../src/rank/cues.json', import.meta.url), 'utf8'));
    const bad = path.join(dir, 'cues.json');
    await writeFile(bad, JSON.stringify({ ...good, discourse: { ...good.discourse, patterns: ['(unclosed'] } }));
    expect(() => loadCues(pathToFileURL(bad))).toThrow(/cues\.json/);
  });

  it('refuses a strength pattern that is not a valid regular expression', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'rugwijs-strength-'));
    const bad = path.join(dir, 'strength-patterns.json');
    await writeFile(bad, JSON.stringify({ version: 1, why: 'a reason long enough', patterns: [{ pattern: '(unclosed', why: 'broken on purpose' }] }));
    expect(() => loadCues(undefined, pathToFileURL(bad))).toThrow(/strength-patterns\.json/);
  });
});
