import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCorpus, loadSources, SourcesFileSchema } from '../../src/corpus/load.js';

const CORPUS = path.resolve(import.meta.dirname, '../../corpus');

const AUTHORITY: Record<string, number> = {
  guideline: 1,
  'evidence-summary': 2,
  'practice-article': 3,
  news: 4,
};

describe('loadCorpus on the real corpus', () => {
  it('loads all five documents sorted by name, byte-for-byte, with their sha256', async () => {
    const { sources, docs } = await loadCorpus(CORPUS);
    expect(docs.map((d) => d.file)).toEqual([
      '000_1d394849f38baac1.txt',
      '001_799c556b91de25d4.txt',
      '002_9df1151d747cbc53.txt',
      '003_dd9bd3c88218a883.txt',
      '004_beb946dfbc2e71d7.txt',
    ]);
    expect(sources.map((s) => s.file)).toEqual(docs.map((d) => d.file));
    for (const doc of docs) {
      const bytes = await fs.readFile(path.join(CORPUS, doc.file));
      expect(doc.original).toBe(bytes.toString('utf8'));
      expect(doc.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
  });

  it('has metadata whose authority follows the kind and whose dates are in the text', async () => {
    const { sources, docs } = await loadCorpus(CORPUS);
    const byFile = new Map(sources.map((s) => [s.file, s]));
    for (const s of sources) expect(s.authority).toBe(AUTHORITY[s.kind]);
    expect(byFile.get('000_1d394849f38baac1.txt')).toMatchObject({
      kind: 'evidence-summary',
      label: 'Minerva-duiding',
    });
    expect(byFile.get('001_799c556b91de25d4.txt')).toMatchObject({
      kind: 'evidence-summary',
      date: '2025-06-20',
    });
    expect(byFile.get('002_9df1151d747cbc53.txt')).toMatchObject({
      kind: 'practice-article',
      label: 'praktijkartikel',
    });
    expect(byFile.get('003_dd9bd3c88218a883.txt')).toMatchObject({ kind: 'news', date: '2025-03-25' });
    expect(byFile.get('004_beb946dfbc2e71d7.txt')).toMatchObject({
      kind: 'guideline',
      label: 'KCE-richtlijn',
    });
    const text = (file: string): string => docs.find((d) => d.file === file)?.original ?? '';
    expect(text('001_799c556b91de25d4.txt')).toContain('20 06 2025');
    expect(text('003_dd9bd3c88218a883.txt')).toContain('25 Maart 2025');
    // Titles are taken from the documents themselves.
    for (const s of sources) expect(text(s.file).replace(/\s+/g, ' ')).toContain(s.title.replace(/\.$/, ''));
  });
});

describe('SourcesFileSchema', () => {
  const entry = {
    file: 'a.txt',
    title: 'Lage rugpijn',
    kind: 'guideline',
    publisher: 'KCE',
    date: '2017-02',
    authority: 1,
    label: 'KCE-richtlijn',
  };

  it('accepts year, year-month and full dates and no date', () => {
    for (const date of ['2017', '2017-02', '2024-02-29', undefined]) {
      expect(SourcesFileSchema.safeParse([{ ...entry, date }]).success).toBe(true);
    }
  });

  it('rejects unknown kinds, impossible dates, extra keys, bad authority and duplicates', () => {
    expect(SourcesFileSchema.safeParse([{ ...entry, kind: 'blog' }]).success).toBe(false);
    expect(SourcesFileSchema.safeParse([{ ...entry, date: '2025-13-01' }]).success).toBe(false);
    expect(SourcesFileSchema.safeParse([{ ...entry, date: '2023-02-29' }]).success).toBe(false);
    expect(SourcesFileSchema.safeParse([{ ...entry, date: '20-06-2025' }]).success).toBe(false);
    expect(SourcesFileSchema.safeParse([{ ...entry, extra: 1 }]).success).toBe(false);
    expect(SourcesFileSchema.safeParse([{ ...entry, authority: 5 }]).success).toBe(false);
    expect(SourcesFileSchema.safeParse([{ ...entry, file: '../a.txt' }]).success).toBe(false);
    expect(SourcesFileSchema.safeParse([entry, entry]).success).toBe(false);
  });
});

describe('loadCorpus / loadSources errors', () => {
  let dir: string;
  const meta = (file: string) => ({
    file,
    title: 'Titel',
    kind: 'news',
    publisher: 'Krant',
    authority: 4,
    label: 'nieuwsbericht',
  });

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'rugwijs-load-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('fails with config_error when the folder does not exist', async () => {
    await expect(loadCorpus(path.join(dir, 'nope'))).rejects.toMatchObject({ code: 'config_error' });
  });

  it('fails with config_error when there is no readable document', async () => {
    await fs.writeFile(path.join(dir, 'sources.json'), '[]');
    await expect(loadCorpus(dir)).rejects.toMatchObject({ code: 'config_error', message: /no readable documents/ });
    await fs.writeFile(path.join(dir, 'scan.docx'), 'PK');
    await expect(loadCorpus(dir)).rejects.toMatchObject({ code: 'config_error', message: /scan\.docx: unsupported format/ });
  });

  it('needs no sources.json, but refuses one that is not JSON or invalid, naming the allowed kinds', async () => {
    await fs.writeFile(path.join(dir, 'a.txt'), 'Rugpijn gaat meestal vanzelf over.');
    expect(await loadSources(dir)).toEqual([]);
    const { sources } = await loadCorpus(dir);
    expect(sources[0]).toMatchObject({ file: 'a.txt', title: 'Rugpijn gaat meestal vanzelf over.', kind: 'unknown', authority: 3 });
    expect(sources[0]?.derived).toEqual(expect.arrayContaining(['title', 'kind', 'publisher', 'authority', 'label']));
    await fs.writeFile(path.join(dir, 'sources.json'), '[{');
    await expect(loadCorpus(dir)).rejects.toMatchObject({ code: 'config_error', message: /not valid JSON/ });
    await fs.writeFile(path.join(dir, 'sources.json'), JSON.stringify([{ ...meta('a.txt'), kind: 'blog' }]));
    await expect(loadCorpus(dir)).rejects.toMatchObject({ code: 'config_error', message: /0\.kind.*Kinds: guideline, evidence-summary, practice-article, news, unknown/ });
  });

  it('lets a partial entry override only its fields, and reports entries without a file', async () => {
    await fs.writeFile(path.join(dir, 'a.txt'), 'Blijf bewegen\n\nBewegen helpt bij rugpijn.');
    await fs.writeFile(path.join(dir, 'b.txt'), 'Rust helpt niet.');
    await fs.writeFile(path.join(dir, 'sources.json'), JSON.stringify([{ file: 'a.txt', kind: 'guideline' }, { file: 'c.txt', title: 'Weg' }]));
    const { sources, orphanEntries } = await loadCorpus(dir);
    expect(sources[0]).toMatchObject({ file: 'a.txt', kind: 'guideline', authority: 1, title: 'Blijf bewegen' });
    expect(sources[0]?.derived).not.toContain('kind');
    expect(sources[1]).toMatchObject({ file: 'b.txt', kind: 'unknown' });
    expect(orphanEntries).toEqual(['c.txt']);
  });

  it('rejects invalid UTF-8 and keeps a BOM so offsets stay exact', async () => {
    await fs.writeFile(path.join(dir, 'sources.json'), JSON.stringify([meta('a.txt')]));
    await fs.writeFile(path.join(dir, 'a.txt'), Buffer.from([0xef, 0xbb, 0xbf, 0x52, 0x75, 0x67]));
    const { docs } = await loadCorpus(dir);
    expect(docs[0]?.original).toBe('\ufeffRug');
    await fs.writeFile(path.join(dir, 'a.txt'), Buffer.from([0x52, 0xff, 0x67]));
    await expect(loadCorpus(dir)).rejects.toMatchObject({ code: 'config_error', message: /a\.txt: not valid UTF-8/ });
  });

  it('reads every supported format recursively, lists the rest as skipped, and sorts by path', async () => {
    await fs.mkdir(path.join(dir, 'map met spatie'));
    await fs.writeFile(path.join(dir, 'b.txt'), 'Tweede.');
    await fs.writeFile(path.join(dir, 'a.txt'), 'Eerste.');
    await fs.writeFile(path.join(dir, 'a.md'), '# Kop\n\nTekst over **rugpijn**.');
    await fs.writeFile(path.join(dir, 'map met spatie', 'c.html'), '<h1>Titel</h1><nav>menu</nav><p>Tekst.</p>');
    await fs.writeFile(path.join(dir, 'notes.docx'), 'PK');
    await fs.writeFile(path.join(dir, '.hidden.txt'), 'verborgen');
    await fs.writeFile(path.join(dir, 'sources.json'), JSON.stringify([meta('b.txt'), meta('a.txt')]));
    const { sources, docs, skipped } = await loadCorpus(dir);
    expect(docs.map((d) => [d.path, d.file, d.format])).toEqual([
      ['a.md', 'a.md', 'markdown'],
      ['a.txt', 'a-txt.txt', 'text'],
      ['b.txt', 'b.txt', 'text'],
      ['map met spatie/c.html', 'map_met_spatie__c.html', 'html'],
    ]);
    expect(sources.map((s) => s.file)).toEqual(docs.map((d) => d.file));
    expect(sources[1]).toMatchObject({ title: 'Titel' });
    expect(sources[3]).toMatchObject({ title: 'Titel', kind: 'unknown' });
    expect(docs[3]?.original).toBe('Titel\n\nTekst.');
    expect(skipped).toEqual([expect.objectContaining({ path: 'notes.docx', reason: expect.stringMatching(/^unsupported format/) })]);
  });
});
