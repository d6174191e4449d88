import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { addCommand, sourcesCommand } from '../../src/cli/sources.js';
import { loadConfig, type Config } from '../../src/config.js';
import { renderPdf } from '../helpers/fixture-corpus.js';

let root: string;
let config: Config;
let out: string[];

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'rugwijs-cli-sources-'));
  config = loadConfig({}, { corpusDir: path.join(root, 'corpus'), indexDir: path.join(root, 'index') });
  await fs.mkdir(config.corpusDir);
  await fs.writeFile(path.join(config.corpusDir, 'a.txt'), 'Richtlijn lage rugpijn\n\nBlijf bewegen.');
  out = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
});

afterEach(async () => {
  vi.restoreAllMocks();
  await fs.rm(root, { recursive: true, force: true });
});

describe('rugwijs add / sources', () => {
  it('copies a PDF in, writes only the given fields, and lists derived values with *', async () => {
    const pdf = path.join(root, 'Folder rug.pdf');
    await fs.writeFile(
      pdf,
      await renderPdf({
        title: 'Rugschool',
        pages: [
          [{ heading: 'Rugschool' }, { text: 'In de rugschool leert u bewegen.' }],
          [{ text: 'Tweede pagina.' }],
        ],
      }),
    );
    await addCommand([pdf, '--kind', 'practice-article', '--publisher', 'AZ Test'], config);
    expect(await fs.readFile(path.join(config.corpusDir, 'Folder rug.pdf'))).toEqual(await fs.readFile(pdf));
    expect(JSON.parse(await fs.readFile(path.join(config.corpusDir, 'sources.json'), 'utf8'))).toEqual([
      { file: 'Folder rug.pdf', kind: 'practice-article', publisher: 'AZ Test' },
    ]);
    expect(out.join('\n')).toMatch(/2 pages/);

    out = [];
    await sourcesCommand([], config);
    const table = out.join('\n');
    expect(table).toMatch(/Folder_rug\.pdf\s+practice-article\s+3\*\s+—\s+AZ Test\s+Rugschool\*/);
    expect(table).toMatch(/a\.txt\s+guideline\*\s+1\*/);
  });

  it('refuses unreadable files, bad kinds and overwriting, changing nothing', async () => {
    const doc = path.join(root, 'a.txt');
    await fs.writeFile(doc, 'Nieuwe tekst.');
    await expect(addCommand([doc], config)).rejects.toMatchObject({
      code: 'bad_request',
      message: /already exists/,
    });
    await expect(addCommand([doc, '--kind', 'blog', '--force'], config)).rejects.toMatchObject({
      code: 'validation_error',
      message: /--kind/,
    });
    const scan = path.join(root, 'scan.docx');
    await fs.writeFile(scan, 'PK');
    await expect(addCommand([scan], config)).rejects.toMatchObject({ message: /unsupported format/ });
    expect(await fs.readdir(config.corpusDir)).toEqual(['a.txt']);
    await addCommand([doc, '--force'], config);
    expect(await fs.readFile(path.join(config.corpusDir, 'a.txt'), 'utf8')).toBe('Nieuwe tekst.');
    expect(await fs.readdir(config.corpusDir)).toEqual(['a.txt']); // no sources.json: nothing was given
  });
});
