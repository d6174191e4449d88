import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  followUpNote,
  framePhrases,
  joinList,
  loadPrompts,
  placeholders,
  redFlagNotice,
  refusalText,
  renderTemplate,
  type Prompts,
} from '../../src/answer/prompts.js';
import { detectRedFlags } from '../../src/answer/red-flags.js';
import type { SourceMeta } from '../../src/types.js';

const PROMPTS_DIR = path.resolve(import.meta.dirname, '../../prompts');

const guideline: SourceMeta = {
  file: '004_beb946dfbc2e71d7.txt',
  title: 'Lage rugpijn: niet ongerust zijn en blijven bewegen!',
  kind: 'guideline',
  publisher: 'KCE',
  date: '2017-03-14',
  authority: 1,
  label: 'KCE-richtlijn',
};
const news: SourceMeta = {
  file: '003.txt',
  title: 'Rugpijn',
  kind: 'news',
  publisher: 'Health',
  authority: 4,
  label: 'nieuwsbericht',
};

let prompts: Prompts;
beforeAll(async () => {
  prompts = await loadPrompts(PROMPTS_DIR);
});

describe('loadPrompts — the shipped templates', () => {
  it('loads every template in both languages', () => {
    for (const lang of ['nl', 'en'] as const) {
      expect(prompts.system[lang]).toContain('{{noAnswer}}');
      expect(prompts.user[lang]).toContain('{{passages}}');
      expect(prompts.refusal[lang]).toContain('{{reason}}');
      expect(prompts.redFlag[lang]).toContain('{{flags}}');
      expect(Object.keys(prompts.refusalReasons[lang]).sort()).toEqual([
        'dose-or-cost',
        'injection',
        'no-content',
        'not-in-corpus',
        'out-of-domain',
        'unknown-subject',
      ]);
    }
  });

  it('every file in prompts/ is a known template with both languages', async () => {
    const files = (await readdir(PROMPTS_DIR)).sort();
    const stems = new Set(files.map((f) => f.replace(/\.(nl|en)\.(md|json)$/, '')));
    expect([...stems].sort()).toEqual([
      'attribution',
      'caveat',
      'nearest',
      'red-flag',
      'refusal',
      'refusal-reasons',
      'system',
      'user',
    ]);
    for (const stem of stems) {
      const pair = files.filter((f) => f.startsWith(`${stem}.`));
      expect(pair.map((f) => f.split('.')[1]).sort()).toEqual(['en', 'nl']);
    }
  });

  it('JSON templates have the same keys in both languages', async () => {
    for (const stem of ['attribution', 'refusal-reasons']) {
      const [nl, en] = await Promise.all(
        ['nl', 'en'].map(
          async (l) =>
            JSON.parse(await readFile(path.join(PROMPTS_DIR, `${stem}.${l}.json`), 'utf8')) as unknown,
        ),
      );
      expect(keyPaths(en)).toEqual(keyPaths(nl));
    }
  });

  it('every placeholder in the shipped templates is one its caller fills', async () => {
    const known = new Set([
      'noAnswer',
      'history',
      'passages',
      'question',
      'reason',
      'subject',
      'flags',
      'label',
      'year',
      'publisher',
      'title',
      'attribution',
      'topic',
      'sections',
    ]);
    for (const file of await readdir(PROMPTS_DIR)) {
      const used = placeholders(await readFile(path.join(PROMPTS_DIR, file), 'utf8'));
      for (const p of used) expect(known, `${file}: {{${p}}}`).toContain(p);
      // Both languages of a template use the same placeholders.
      const other = file.includes('.nl.') ? file.replace('.nl.', '.en.') : file.replace('.en.', '.nl.');
      expect(placeholders(await readFile(path.join(PROMPTS_DIR, other), 'utf8')).sort()).toEqual(
        [...used].sort(),
      );
    }
  });

  it('the system prompts demand citations, grounding and the no-answer token', () => {
    expect(prompts.system.nl).toMatch(/\[1\]/);
    expect(prompts.system.nl).toMatch(/Nederlands/);
    expect(prompts.system.nl).toMatch(/[Vv]erzin nooit/);
    expect(prompts.system.en).toMatch(/\[1\]/);
    expect(prompts.system.en).toMatch(/[Nn]ever invent/);
  });
});

describe('loadPrompts — broken folders fail with config_error', () => {
  let dir: string;
  const copy = async (): Promise<string> => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'rugwijs-prompts-'));
    await cp(PROMPTS_DIR, dir, { recursive: true });
    return dir;
  };
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('missing folder', async () => {
    await expect(loadPrompts(path.join(os.tmpdir(), 'no-such-rugwijs-prompts'))).rejects.toMatchObject({
      code: 'config_error',
    });
  });

  it('missing file', async () => {
    const d = await copy();
    await rm(path.join(d, 'red-flag.en.md'));
    await expect(loadPrompts(d)).rejects.toMatchObject({
      code: 'config_error',
      message: expect.stringContaining('red-flag.en.md'),
    });
  });

  it('invalid JSON', async () => {
    const d = await copy();
    await writeFile(path.join(d, 'attribution.nl.json'), '{ "kinds": ');
    await expect(loadPrompts(d)).rejects.toMatchObject({
      code: 'config_error',
      message: expect.stringContaining('attribution.nl.json'),
    });
  });

  it('missing key in one language', async () => {
    const d = await copy();
    const file = path.join(d, 'refusal-reasons.en.json');
    const json = JSON.parse(await readFile(file, 'utf8')) as Record<string, string>;
    delete json['dose-or-cost'];
    await writeFile(file, JSON.stringify(json));
    await expect(loadPrompts(d)).rejects.toMatchObject({ code: 'config_error' });
  });

  it('unknown placeholder (a typo)', async () => {
    const d = await copy();
    const file = path.join(d, 'attribution.nl.json');
    await writeFile(
      file,
      (await readFile(file, 'utf8')).replace('{{label}} ({{year}})', '{{lable}} ({{year}})'),
    );
    await expect(loadPrompts(d)).rejects.toMatchObject({
      code: 'config_error',
      message: expect.stringContaining('lable'),
    });
  });

  it('malformed placeholder', async () => {
    const d = await copy();
    await writeFile(path.join(d, 'red-flag.nl.md'), 'Rode vlag: {{flags}. Verwijs door.');
    await expect(loadPrompts(d)).rejects.toMatchObject({ code: 'config_error' });
  });

  it('required placeholder missing', async () => {
    const d = await copy();
    await writeFile(path.join(d, 'user.en.md'), 'Question: {{question}}');
    await expect(loadPrompts(d)).rejects.toMatchObject({
      code: 'config_error',
      message: expect.stringContaining('passages'),
    });
  });
});

describe('renderTemplate', () => {
  it('fills placeholders, with or without inner spaces, and ignores extra values', () => {
    expect(
      renderTemplate('Volgens de {{label}} ({{ year }})', {
        label: 'KCE-richtlijn',
        year: 2017,
        unused: 'x',
      }),
    ).toBe('Volgens de KCE-richtlijn (2017)');
  });

  it('throws config_error on a placeholder without value and on stray braces', () => {
    expect(() => renderTemplate('Hallo {{naam}}', {})).toThrow(
      expect.objectContaining({ code: 'config_error' }),
    );
    expect(() => renderTemplate('Hallo {{naam}', { naam: 'x' })).toThrow(
      expect.objectContaining({ code: 'config_error' }),
    );
  });

  it('never leaves a placeholder in the output when all values are given (property)', () => {
    const name = fc.constantFrom('a', 'label', 'year', 'flags');
    const piece = fc.oneof(
      fc.string({ maxLength: 8 }).filter((s) => !s.includes('{') && !s.includes('}')),
      name.map((n) => `{{${n}}}`),
    );
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 8 }),
        fc.string({ maxLength: 6 }).filter((s) => !s.includes('{') && !s.includes('}')),
        (pieces, value) => {
          const out = renderTemplate(pieces.join(''), { a: value, label: value, year: value, flags: value });
          expect(out).not.toMatch(/\{\{|\}\}/);
        },
      ),
    );
  });
});

describe('phrases built from the templates', () => {
  it('attributes by source kind, with the year when the source has a date', () => {
    const nl = framePhrases(prompts, 'nl');
    expect(nl.attribution(guideline)).toBe('Volgens de KCE-richtlijn (2017)');
    expect(nl.attribution(news)).toBe('Een nieuwsbericht meldt');
    expect(nl.contrast(guideline)).toBe('De bronnen verschillen hier. Volgens de KCE-richtlijn (2017)');
    expect(framePhrases(prompts, 'en').attribution(guideline)).toBe('According to the KCE-richtlijn (2017)');
  });

  it('the red-flag notice lists the labels in the answer language', () => {
    const flags = detectRedFlags('Koorts en zadelanesthesie sinds gisteren.');
    const nl = redFlagNotice(prompts, 'nl', flags);
    expect(nl).toMatch(/^Rode vlag: mogelijk cauda-equinasyndroom .* en koorts/);
    expect(nl).toMatch(/dringend/);
    expect(redFlagNotice(prompts, 'en', flags)).toMatch(
      /^Red flag: possible cauda equina syndrome .* and fever/,
    );
  });

  it('the refusal explains the reason and what the corpus covers', () => {
    const nl = refusalText(prompts, 'nl', 'dose-or-cost');
    expect(nl).toContain('dosis');
    expect(nl).toContain('lage rugpijn');
    expect(refusalText(prompts, 'en', 'injection')).toContain('instructions');
  });

  it('the follow-up note names the carried words', () => {
    expect(followUpNote(prompts, 'nl', ['oefentherapie', 'lagerugpijn'])).toContain(
      'oefentherapie lagerugpijn',
    );
  });

  it('joinList', () => {
    expect(joinList([], 'en')).toBe('');
    expect(joinList(['a'], 'en')).toBe('a');
    expect(joinList(['a', 'b'], 'en')).toBe('a en b');
    expect(joinList(['a', 'b', 'c'], 'and')).toBe('a, b and c');
  });
});

function keyPaths(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value)
    .flatMap(([k, v]) => keyPaths(v, prefix ? `${prefix}.${k}` : k))
    .sort();
}
