import { describe, expect, it } from 'vitest';
import { extractDocument, UnreadableError } from '../../src/corpus/extract.js';
import { extractHtml } from '../../src/corpus/html.js';
import { extractMarkdown } from '../../src/corpus/markdown.js';
import { cleanRaw } from '../../src/ingest/build.js';
import { chunkDocument } from '../../src/ingest/chunk.js';
import type { RawDoc } from '../../src/corpus/load.js';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { renderPdf, renderScannedPdf } from '../helpers/fixture-corpus.js';

const headingTexts = (x: { text: string; headings: { start: number; end: number }[] }) =>
  x.headings.map((h) => x.text.slice(h.start, h.end));

describe('extractMarkdown', () => {
  it('turns ATX and setext headings into headings and strips inline syntax', () => {
    const md = extractMarkdown(
      '---\ntitle: "Rugpijn thuis"\ndate: 2024-05-01\n---\n# Titel\n\nTekst met **vet**, _schuin_, `code` en een [link](https://x.be).\n\nKop twee\n--------\n\n- eerste punt\n- tweede punt\n  loopt door\n\n![foto](a.png)\n<!-- verborgen -->',
    );
    expect(md.frontMatter).toEqual({ title: 'Rugpijn thuis', date: '2024-05-01' });
    expect(headingTexts(md)).toEqual(['Titel', 'Kop twee']);
    expect(md.headings.map((h) => h.level)).toEqual([1, 2]);
    expect(md.text).toBe(
      'Titel\n\nTekst met vet, schuin, code en een link.\n\nKop twee\n\n• eerste punt\n• tweede punt loopt door',
    );
  });
});

describe('extractHtml', () => {
  it('reads only <main> and drops scripts, styles, navigation, header, footer and cookie banners', () => {
    const html =
      extractHtml(`<!doctype html><html><head><title>Rugpijn | Ziekenhuis Oost</title><style>p{}</style>
      <script>var x = 'geheim';</script></head><body><header>Logo Menu</header><nav><a>Home</a></nav>
      <div class="cookie-banner">Cookies?</div><main><h1>Rugpijn</h1><p>Blijf <b>bewegen</b>.<br>Ook bij pijn.</p>
      <h2>Oefeningen</h2><ul><li>Wandelen</li><li>Zwemmen</li></ul><script>track()</script></main>
      <footer>© Ziekenhuis Oost</footer></body></html>`);
    expect(html.text).toBe(
      'Rugpijn\n\nBlijf bewegen.\nOok bij pijn.\n\nOefeningen\n\n• Wandelen\n\n• Zwemmen',
    );
    expect(headingTexts(html)).toEqual(['Rugpijn', 'Oefeningen']);
    expect(html.title).toBe('Rugpijn');
    expect(html.publisher).toBe('Ziekenhuis Oost');
  });

  it('keeps an article header (title, date) inside <main> but drops the site header', () => {
    const html = extractHtml(
      '<header>Site</header><main><header><h1>Kop</h1><time datetime="2023-04-05">5 april</time></header><p>Tekst.</p></main>',
    );
    expect(html.text).toBe('Kop\n\n5 april\n\nTekst.');
    expect(html.date).toBe('2023-04-05');
  });
});

describe('extractDocument', () => {
  it('extracts a PDF with page starts, font-size headings and the Info title', async () => {
    const bytes = await renderPdf({
      title: 'Rug en werk',
      pages: [
        [{ heading: 'Inleiding' }, { text: 'Rugpijn op het werk komt vaak voor.' }],
        [{ heading: 'Advies' }, { text: 'Blijf zo veel mogelijk bewegen.' }],
      ],
    });
    const ex = await extractDocument('a.pdf', bytes);
    expect(ex.format).toBe('pdf');
    expect(ex.text).toBe(
      'Inleiding\n\nRugpijn op het werk komt vaak voor.\n\nAdvies\n\nBlijf zo veel mogelijk bewegen.',
    );
    expect(ex.pages).toEqual([0, ex.text.indexOf('Advies')]);
    expect(ex.headings?.map((h) => ex.text.slice(h.start, h.end))).toEqual(['Inleiding', 'Advies']);
    expect(ex.hints.title).toBe('Rug en werk');
  });

  it('refuses scanned or broken PDFs, unknown extensions, invalid UTF-8 and empty documents with a reason', async () => {
    await expect(extractDocument('scan.pdf', await renderScannedPdf())).rejects.toThrow(/no text layer/);
    await expect(
      extractDocument('kapot.pdf', new TextEncoder().encode('%PDF-1.7 rommel')),
    ).rejects.toBeInstanceOf(UnreadableError);
    await expect(extractDocument('a.docx', new Uint8Array([1]))).rejects.toThrow(/unsupported format/);
    await expect(extractDocument('a.txt', new Uint8Array([0x52, 0xff]))).rejects.toThrow(/UTF-8/);
    await expect(
      extractDocument('a.html', new TextEncoder().encode('<script>x()</script><nav>Menu</nav>')),
    ).rejects.toThrow(/no text/);
  });

  it('drops running headers and page numbers, and keeps two columns apart', async () => {
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    const topics = ['', 'bewegen', 'wandelen', 'zwemmen'];
    for (let p = 1; p <= 3; p++) {
      const page = doc.addPage([595, 842]);
      page.drawText('Richtlijn rugpijn - versie 2024', { x: 60, y: 810, size: 9, font });
      page.drawText(`Linkerkolom over ${topics[p]}.`, { x: 60, y: 700, size: 11, font });
      page.drawText(`Rechts: ${topics[p]} en fietsen.`, { x: 330, y: 700, size: 11, font });
      page.drawText(`Pagina ${p} van 3`, { x: 270, y: 30, size: 9, font });
    }
    const ex = await extractDocument('k.pdf', await doc.save());
    expect(ex.text).not.toMatch(/versie 2024|Pagina \d van 3/);
    expect(ex.text).toContain('Linkerkolom over wandelen.\nRechts: wandelen en fietsen.');
    expect(ex.pages).toHaveLength(3);
  });

  it('decodes an HTML page in the charset it declares', async () => {
    const bytes = Uint8Array.from([
      ...new TextEncoder().encode('<meta charset="windows-1252"><p>Pati'),
      0xeb,
      ...new TextEncoder().encode('nten</p>'),
    ]);
    expect((await extractDocument('a.html', bytes)).text).toBe('Patiënten');
  });

  it('keeps a text file byte for byte', async () => {
    const ex = await extractDocument('a.txt', new TextEncoder().encode('\ufeffTitel\r\n\r\nTekst.'));
    expect(ex.text).toBe('\ufeffTitel\r\n\r\nTekst.');
    expect(ex.headings).toBeUndefined();
  });
});

describe('chunking parsed headings', () => {
  it('nests sections by heading level and keeps the title in the preamble', () => {
    const md = extractMarkdown(
      '# Richtlijn\n\nInleiding over rugpijn.\n\n## Aanbevelingen\n\n### Oefenen\n\nOefen elke dag.\n\n### Beeldvorming\n\nGeen MRI.\n\n## Slot\n\nEinde.',
    );
    const raw: RawDoc = {
      file: 'r.md',
      path: 'r.md',
      format: 'markdown',
      original: md.text,
      sha256: '',
      headings: md.headings,
    };
    const chunks = chunkDocument(cleanRaw(raw), { minWords: 1, maxWords: 180, overlapSentences: 0 });
    expect(chunks.map((c) => c.section.join(' > '))).toEqual([
      '',
      'Aanbevelingen > Oefenen',
      'Aanbevelingen > Beeldvorming',
      'Slot',
    ]);
    for (const c of chunks) expect(md.text.slice(c.start, c.end)).toContain(c.text.split('\n').at(-1));
  });
});
