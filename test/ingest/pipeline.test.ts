import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { ask, createEngine, getSource, listSources, type Engine } from '../../src/engine.js';
import { buildIndex, type BuildReport } from '../../src/ingest/build.js';
import { PDF_SPEC_DIR, writeFixtureLibrary } from '../helpers/fixture-corpus.js';

/**
 * The whole pipeline on a corpus nobody wrote metadata for: Dutch fixture documents in four formats (two
 * PDFs and two HTML pages generated/copied by the test), a scanned PDF and a .docx that cannot be read,
 * and no sources.json. Ingest → derived metadata → ask → verbatim citations (with page for PDFs) → refuse.
 */
let root: string;
let corpusDir: string;
let report: BuildReport;
let engine: Engine;

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'rugwijs-pipeline-'));
  corpusDir = path.join(root, 'corpus');
  await writeFixtureLibrary(corpusDir, { unreadable: true });
  const indexDir = path.join(root, 'index');
  report = await buildIndex({ corpusDir, indexDir });
  engine = await createEngine(loadConfig({}, { corpusDir, indexDir }));
}, 120_000);

afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

/** Every citation quotes the stored text at its offsets — the text /api/sources/:file and MCP resources serve. */
function expectVerbatim(citations: { file: string; quote: string; start: number; end: number }[]): void {
  for (const c of citations) expect(getSource(engine, c.file).text.slice(c.start, c.end)).toBe(c.quote);
}

describe('ingest without sources.json', () => {
  it('indexes every readable document and lists the unreadable ones with a reason', () => {
    expect(report.status).toBe('built');
    expect(report.documents).toBe(10);
    expect(report.skipped.map((s) => [s.path, s.reason])).toEqual([
      ['notities.docx', expect.stringMatching(/^unsupported format/)],
      ['scans/verwijsbrief-scan.pdf', expect.stringMatching(/no text layer/)],
    ]);
    expect(engine.index.manifest.skipped).toHaveLength(2);
  });

  it('derives title, kind, publisher, date and authority from the documents', () => {
    const byFile = new Map(listSources(engine).map((s) => [s.file, s]));
    expect(byFile.get('richtlijn-chronische-rugpijn.md')).toMatchObject({
      title: 'Richtlijn chronische lage rugpijn in de eerste lijn',
      kind: 'guideline',
      date: '2023-02-03',
      authority: 1,
    });
    expect(byFile.get('duiding-yoga.md')).toMatchObject({ kind: 'evidence-summary', authority: 2 });
    expect(byFile.get('werkhervatting-rugklachten.txt')).toMatchObject({
      kind: 'news',
      date: '2024-03-12',
      authority: 4,
    });
    expect(byFile.get('oefeningen-onderrug.html')).toMatchObject({
      title: 'Oefeningen voor een sterke onderrug',
      kind: 'practice-article',
      publisher: 'Fysiotherapie De Beweegkamer',
      date: '2024-09-05',
    });
    expect(byFile.get('rugpijn-kinderen.html')).toMatchObject({
      publisher: 'UZ Noordkust',
      kind: 'unknown',
      authority: 3,
    });
    expect(byFile.get('hernia-onderrug.md')).toMatchObject({ publisher: 'AZ Zuiderlicht', kind: 'unknown' });
    expect(byFile.get('thuiswerken-zonder-rugklachten.pdf')).toMatchObject({
      title: 'Thuiswerken zonder rugklachten',
      publisher: 'Preventiedienst Werkwel',
      date: '2025-01-14',
    });
    expect(byFile.get('slapen-en-rugpijn.txt')).toMatchObject({
      title: 'Slapen met rugpijn',
      kind: 'unknown',
      publisher: 'onbekend',
    });
    expect(engine.index.sources.get('slapen-en-rugpijn.txt')?.derived).toContain('kind');
  });

  it('keeps page chrome out of HTML text and makes headings into sections', () => {
    const text = getSource(engine, 'oefeningen-onderrug.html').text;
    for (const chrome of ['Tarieven', 'gtag', 'cookies', 'Privacyverklaring', 'Nieuwsbrief', 'Bel ons'])
      expect(text).not.toContain(chrome);
    expect(text.startsWith('Oefeningen voor een sterke onderrug\n\n')).toBe(true);
    const sections = engine.index.chunks
      .filter((c) => c.file === 'rugpijn-kinderen.html')
      .map((c) => c.section.join(' > '));
    expect(sections).toContain('Sporten met rugpijn');
    expect(getSource(engine, 'rugpijn-kinderen.html').text).not.toMatch(
      /Jobs|analytics|JavaScript|Ga naar de inhoud/,
    );
  });

  it('stores PDF page starts that match the pages of the PDF', async () => {
    const doc = engine.index.docs.get('zwangerschap-rug-bekkenpijn.pdf');
    expect(doc?.pages).toHaveLength(2);
    const spec = JSON.parse(
      await fs.readFile(path.join(PDF_SPEC_DIR, 'zwangerschap-rug-bekkenpijn.json'), 'utf8'),
    ) as {
      pages: ({ heading: string } | { text: string })[][];
    };
    const page2 = doc?.original.slice(doc.pages?.[1]) ?? '';
    const firstOfPage2 = spec.pages[1]?.[0];
    expect(firstOfPage2 && 'heading' in firstOfPage2 && page2.startsWith(firstOfPage2.heading)).toBe(true);
  });
});

describe('asking the fixture corpus', () => {
  it('answers from an evidence summary in Markdown with verbatim quotes', async () => {
    const a = await ask(engine, { question: 'Helpt yoga bij chronische lage rugpijn?' });
    expect(a.refused).toBe(false);
    expect(a.citations.map((c) => c.file)).toContain('duiding-yoga.md');
    expectVerbatim(a.citations);
  });

  it('cites a PDF with the page its quote is on', async () => {
    const a = await ask(engine, { question: 'Verdwijnt rugpijn en bekkenpijn na de bevalling?' });
    const pdf = a.citations.filter((c) => c.file === 'zwangerschap-rug-bekkenpijn.pdf');
    expect(pdf.length).toBeGreaterThan(0);
    expectVerbatim(a.citations);
    const pages = engine.index.docs.get('zwangerschap-rug-bekkenpijn.pdf')?.pages ?? [];
    for (const c of pdf) {
      expect(c.page).toBeDefined();
      const page = c.page as number;
      expect(c.start).toBeGreaterThanOrEqual(pages[page - 1] as number);
      if (page < pages.length) expect(c.start).toBeLessThan(pages[page] as number);
    }
    expect(pdf.some((c) => c.page === 2 && c.quote.includes('drie maanden na de bevalling'))).toBe(true);
    // Citations of other formats carry no page.
    for (const c of a.citations.filter((x) => !x.file.endsWith('.pdf'))) expect(c.page).toBeUndefined();
  });

  it('answers from an HTML page, relevance first: the home-exercise page before the guideline', async () => {
    const a = await ask(engine, { question: 'Welke oefeningen kan ik thuis doen voor mijn onderrug?' });
    const files = a.citations.map((c) => c.file);
    expectVerbatim(a.citations);
    // The guideline speaks of supervised exercise therapy, the page of exercises to do at home: authority
    // only breaks near-ties, so the page opens the answer.
    expect(files[0]).toBe('oefeningen-onderrug.html');
  });

  it('refuses a question outside the corpus, with a refusal that names no document or count', async () => {
    const a = await ask(engine, { question: 'Helpt een knieprothese bij artrose van de knie?' });
    expect(a.refused).toBe(true);
    expect(a.citations.filter((c) => !c.nearest)).toEqual([]);
    expect(a.answer).not.toMatch(/KCE|vier andere|vijf/);
  });
});
