import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, PROJECT_ROOT } from '../../src/config.js';
import { ask, createEngine, listSources, type Engine } from '../../src/engine.js';
import { startServer, type RunningServer } from '../../src/http/app.js';
import { createLogger } from '../../src/logger.js';
import type { Answer } from '../../src/schemas.js';

const CHROMIUM = '/usr/bin/chromium';
const QUESTION = 'Helpt oefentherapie bij acute lage rugpijn?';
const ARTIFACTS = path.join(PROJECT_ROOT, 'test/e2e/artifacts');
/** Screenshots the README and the issue refer to; refreshed only with RUGWIJS_UPDATE_SCREENSHOT=1. */
const DOCS_SHOTS = path.join(PROJECT_ROOT, 'docs/screenshots');
const TOKEN = 'geheim-e2e-token';
const PHONE = { width: 375, height: 740 } as const;
const DESKTOP = { width: 1280, height: 900 } as const;
const WIDTHS = [
  ['375 px', PHONE],
  ['1280 px', DESKTOP],
] as const;

let tmp: string;
let running: RunningServer;
/** The same index behind a bearer token, for the token prompt. */
let guarded: RunningServer;
let engine: Engine;
let browser: Browser | undefined;

beforeAll(async () => {
  // Fail (never skip) without a browser: CI installs it, a developer gets a clear instruction.
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}; install it with "apt-get update && apt-get install -y chromium".`,
    );
  }
  tmp = await mkdtemp(path.join(os.tmpdir(), 'rugwijs-e2e-'));
  const config = loadConfig({}, { indexDir: tmp, host: '127.0.0.1', port: 0, logLevel: 'silent' });
  running = await startServer(config, { logger: createLogger('silent'), engine: createEngine(config) });
  engine = await running.engine;
  guarded = await startServer(
    { ...config, apiToken: TOKEN },
    { logger: createLogger('silent'), engine: Promise.resolve(engine) },
  );
  await guarded.engine;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  await guarded?.close();
  await running?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

/** Opens the page and collects console errors and any request leaving the server's origin. */
async function openPage(
  size: { width: number; height: number },
  server: RunningServer = running,
): Promise<{ page: Page; problems: string[] }> {
  if (!browser) throw new Error('browser not started');
  // Reduced motion: the page then scrolls instantly, so positions can be read right after an answer.
  const page = await browser.newPage({ viewport: size, reducedMotion: 'reduce' });
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // A 401 is the expected first reply of the token server; Chromium logs every failed fetch.
    if (m.type() === 'error' && !m.text().includes('401')) problems.push(`console: ${m.text()}`);
  });
  page.on('request', (r) => {
    if (!r.url().startsWith(server.url)) problems.push(`external request: ${r.url()}`);
  });
  await page.goto(`${server.url}/`);
  return { page, problems };
}

/** Asks `question` and waits for the n-th (0-based) answer to be complete. */
async function askAndWait(page: Page, question: string, n: number): Promise<void> {
  await page.fill('#question', question);
  await page.press('#question', 'Enter');
  await page.locator('.turn .answer[aria-busy="false"]').nth(n).waitFor({ timeout: 30_000 });
}

/** Serves `answer` as the JSON reply of the next /api/ask requests (fields the live corpus may not produce yet). */
async function fakeAnswer(page: Page, answer: Answer): Promise<void> {
  await page.route('**/api/ask', (route) =>
    route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(answer) }),
  );
}

/** A real citation of the live index, so the source panel can open it. */
function realCitation(
  file: string,
  extra: Partial<Answer['citations'][number]> = {},
): Answer['citations'][number] {
  const doc = engine.index.docs.get(file);
  const chunk = [...engine.index.chunkById.values()].filter((c) => c.file === file).at(-1);
  if (!doc || !chunk) throw new Error(`no chunk for ${file}`);
  const start = chunk.start;
  const end = Math.min(chunk.end, start + 80);
  return {
    n: 1,
    chunkId: chunk.id,
    file,
    title: engine.index.sources.get(file)?.title ?? file,
    kind: engine.index.sources.get(file)?.kind ?? 'guideline',
    section: chunk.section.join(' > '),
    quote: doc.original.slice(start, end),
    start,
    end,
    ...extra,
  };
}

/** Whether `inner` lies (at least partly) within the visible box of `outer` (CSS selectors). */
async function visibleWithin(page: Page, inner: string, outer: string): Promise<boolean> {
  return page.evaluate(
    ([i, o]) => {
      const m = document.querySelector(i)?.getBoundingClientRect();
      const box =
        o === 'viewport'
          ? new DOMRect(0, 0, innerWidth, innerHeight)
          : document.querySelector(o)?.getBoundingClientRect();
      return !!m && !!box && m.height > 0 && m.bottom > box.top && m.top < box.bottom;
    },
    [inner, outer] as const,
  );
}

async function shoot(page: Page, name: string): Promise<void> {
  await mkdir(ARTIFACTS, { recursive: true });
  const shot = path.join(ARTIFACTS, name);
  await page.screenshot({ path: shot });
  // Committed screenshots are refreshed on request only, so `npm test` leaves the work tree clean.
  if (process.env.RUGWIJS_UPDATE_SCREENSHOT) {
    await mkdir(DOCS_SHOTS, { recursive: true });
    await copyFile(shot, path.join(DOCS_SHOTS, name));
    if (name === 'source-1280.png') await copyFile(shot, path.join(PROJECT_ROOT, 'docs/chat-page.png'));
  }
}

describe('chat page — the answer', () => {
  it.each(WIDTHS)(
    'at %s the bottom line stands out with its source; the rest is collapsed',
    async (label, size) => {
      const { page, problems } = await openPage(size);
      await askAndWait(page, QUESTION, 0);
      if (label === '375 px') await shoot(page, 'answer-375.png');
      const answer = await ask(engine, { question: QUESTION });
      const bottom = page.locator('.answer .bottom-line');
      expect(await bottom.isVisible()).toBe(true);
      // The first cited sentence, word for word, with its marker(s).
      const firstCut = answer.answer.search(/\[\d+\]/);
      const expected = answer.answer.slice(0, answer.answer.indexOf(']', firstCut) + 1).trim();
      expect((await page.locator('.bottom-line-text').innerText()).replace(/\s+/g, ' ')).toBe(
        expected.replace(/\s+/g, ' '),
      );
      // Its source label comes from GET /api/sources.
      const first = answer.citations[0];
      const sourceLabel = listSources(engine).find((s) => s.file === first?.file)?.label ?? '?';
      expect(await page.locator('.bottom-line-source').innerText()).toContain(sourceLabel);
      // The other sentences and the citation list sit in a closed "Meer uit de bronnen".
      const more = page.locator('.answer details.more');
      expect(await more.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
      expect(await more.locator('summary').innerText()).toBe('Meer uit de bronnen');
      expect(await more.locator('.citations').isVisible()).toBe(false);
      await more.locator('summary').click();
      expect(await more.locator('.citations').isVisible()).toBe(true);
      expect(await more.locator('.citations li').count()).toBe(answer.citations.length);
      await more.locator('summary').click();
      // Nothing wider than the screen.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(size.width);
      if (label === '375 px') {
        await more.locator('summary').click();
        await more.scrollIntoViewIfNeeded();
        await shoot(page, 'answer-375-more.png');
      }
      expect(problems).toEqual([]);
      await page.close();
    },
  );

  it.each(WIDTHS)(
    'at %s a stated strength is a badge; moreEvidence is listed under "Meer uit de bronnen"',
    async (_label, size) => {
      const { page, problems } = await openPage(size);
      const [a, b] = listSources(engine);
      if (!a || !b) throw new Error('need two sources');
      const lead = realCitation(a.file, { strength: 'sterke aanbeveling' });
      const extra = { ...realCitation(b.file, { strength: 'zeer onzeker bewijs' }) } as Partial<
        Answer['citations'][number]
      >;
      delete extra.n;
      await fakeAnswer(page, {
        answer: `Eerste zin met de kern. [1] Een tweede zin. [1]`,
        refused: false,
        redFlags: [],
        citations: [lead],
        moreEvidence: [extra as Answer['moreEvidence'][number]],
        composer: 'extractive',
        language: 'nl',
        timings: { retrieveMs: 1, composeMs: 1 },
      });
      await askAndWait(page, 'Een vraag', 0);
      expect(await page.locator('.bottom-line .strength').innerText()).toBe('sterke aanbeveling');
      expect(await page.locator('.bottom-line-text').innerText()).toBe('Eerste zin met de kern. [1]');
      expect(await page.locator('.bottom-line-source').innerText()).toContain(a.label);
      const more = page.locator('details.more');
      expect(await more.getByText('Een tweede zin.').isVisible()).toBe(false);
      expect(await more.locator('.more-evidence').isVisible()).toBe(false);
      await more.locator('summary').click();
      expect(await more.getByText('Een tweede zin.').isVisible()).toBe(true);
      const item = more.locator('.more-evidence li');
      expect(await item.count()).toBe(1);
      const squash = (t: string | undefined): string => (t ?? '').replace(/\s+/g, ' ').trim();
      expect(squash(await item.locator('.citation-quote').innerText())).toBe(squash(extra.quote));
      expect(await item.locator('.strength').innerText()).toBe('zeer onzeker bewijs');
      expect(await item.locator('.source-label').innerText()).toBe(b.label);
      // A moreEvidence entry opens its source too, quote highlighted.
      await item.locator('.source-label').click();
      await page.locator('#source-text mark').waitFor();
      expect(squash(await page.locator('#source-text mark').innerText())).toBe(squash(extra.quote));
      expect(problems).toEqual([]);
      await page.close();
    },
  );

  it.each(WIDTHS)(
    'at %s a refusal shows its nearest sections as pointers, not as claims',
    async (_label, size) => {
      const { page, problems } = await openPage(size);
      const [a] = listSources(engine);
      if (!a) throw new Error('no source');
      const pointer = realCitation(a.file, { nearest: true });
      await fakeAnswer(page, {
        answer: 'Deze vraag kan ik niet beantwoorden uit de bronnen.',
        refused: true,
        refusalReason: 'not-in-corpus',
        redFlags: [],
        citations: [pointer],
        moreEvidence: [],
        composer: 'extractive',
        language: 'nl',
        timings: { retrieveMs: 1, composeMs: 1 },
      });
      await askAndWait(page, 'Een vraag buiten de bronnen', 0);
      const box = page.locator('.answer.refusal');
      expect(await box.locator('.refusal-label').isVisible()).toBe(true);
      expect(await box.locator('.pointers-title').innerText()).toMatch(/dichtst bij .*geen antwoord/);
      expect(await box.locator('.pointer-list li').count()).toBe(1);
      expect(await box.locator('.pointer-list li').innerText()).toContain(pointer.title);
      // No bottom line, no quote presented as support.
      expect(await box.locator('.bottom-line, .citation-quote, .citations').count()).toBe(0);
      await box.locator('.pointer-list button').click();
      await page.locator('#source-text mark').waitFor();
      expect(problems).toEqual([]);
      await page.close();
    },
  );

  it.each(WIDTHS)('at %s each new answer scrolls into view', async (_label, size) => {
    const { page, problems } = await openPage(size);
    const questions = [
      QUESTION,
      'Heeft een MRI meerwaarde bij gewone lage rugpijn?',
      'Werkt hardlopen tegen chronische lagerugpijn?',
    ];
    for (const [i, q] of questions.entries()) {
      await askAndWait(page, q, i);
      const turn = `.turn:nth-child(${i + 1})`;
      expect(await visibleWithin(page, `${turn} .question`, 'viewport'), `question ${i + 1} in view`).toBe(
        true,
      );
      expect(await visibleWithin(page, `${turn} .bottom-line`, 'viewport'), `answer ${i + 1} in view`).toBe(
        true,
      );
    }
    // The page really had to scroll for the third answer.
    expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe('chat page — the source panel', () => {
  it.each(WIDTHS)(
    'at %s opens scrolled to the highlighted quote, in its own scroll container',
    async (label, size) => {
      const { page, problems } = await openPage(size);
      await askAndWait(page, QUESTION, 0);
      // Use the marker whose quote lies deepest in its document: the case where it used to be unreachable.
      const answer = await ask(engine, { question: QUESTION });
      const deepest = [...answer.citations].sort((x, y) => y.start - x.start)[0];
      if (!deepest) throw new Error('no citation');
      const marker = page.locator(`.answer button.cite`, { hasText: `[${deepest.n}]` }).first();
      if ((await marker.count()) === 0 || !(await marker.isVisible()))
        await page.locator('details.more summary').click();
      // Playwright scrolls a target into view before clicking (further when a sticky bar covers it): let a
      // trial click do that first, then note where the page is.
      await marker.scrollIntoViewIfNeeded();
      await marker.click({ trial: true });
      const scrollBefore = await page.evaluate(() => window.scrollY);
      await marker.click();
      const mark = page.locator('#source-text mark');
      await mark.waitFor();
      // The panel scrolls to the quote on the next frame.
      await page.waitForTimeout(100);
      expect((await mark.innerText()).trim()).toBe(deepest.quote.trim());
      // The source text is the scroll container and is scrolled to the quote.
      const box = await page.evaluate(() => {
        const t = document.querySelector('#source-text') as HTMLElement;
        return {
          overflowY: getComputedStyle(t).overflowY,
          scrollTop: t.scrollTop,
          scrollHeight: t.scrollHeight,
          clientHeight: t.clientHeight,
        };
      });
      expect(box.overflowY).toBe('auto');
      expect(box.scrollHeight).toBeGreaterThan(box.clientHeight);
      expect(await visibleWithin(page, '#source-text mark', '#source-text')).toBe(true);
      expect(await visibleWithin(page, '#source-text mark', 'viewport')).toBe(true);
      if (size === PHONE) {
        // A full-screen sheet; the page behind it did not move and cannot scroll.
        const panel = await page.locator('#source-panel').boundingBox();
        expect(panel).toMatchObject({ x: 0, y: 0, width: size.width });
        expect(await page.evaluate(() => window.scrollY)).toBe(scrollBefore);
        expect(await page.evaluate(() => getComputedStyle(document.body).overflow)).toBe('hidden');
        // Scrolling over the text scrolls the text, not the page.
        const before = box.scrollTop;
        await page.mouse.move(size.width / 2, size.height * 0.7);
        await page.mouse.wheel(0, -400);
        await page.waitForFunction(
          (b) => (document.querySelector('#source-text') as HTMLElement).scrollTop !== b,
          before,
        );
        expect(await page.evaluate(() => window.scrollY)).toBe(scrollBefore);
        await page.mouse.wheel(0, 400);
        await page.waitForTimeout(100);
      }
      await shoot(page, `source-${label.replace(' px', '')}.png`);
      // Escape closes the source and returns focus to the marker that opened it.
      await page.keyboard.press('Escape');
      expect(await page.locator('#source-panel').isHidden()).toBe(true);
      expect(await page.evaluate(() => document.activeElement?.classList.contains('cite'))).toBe(true);
      expect(problems).toEqual([]);
      await page.close();
    },
  );
});

describe('chat page — token, corpus text, follow-ups', () => {
  it.each(WIDTHS)(
    'at %s asks for the token in Dutch and resends the pending question',
    async (_label, size) => {
      const { page, problems } = await openPage(size, guarded);
      const asked: string[] = [];
      page.on('request', (r) => {
        if (r.url().endsWith('/api/ask'))
          asked.push((JSON.parse(r.postData() ?? '{}') as { question: string }).question);
      });
      await page.fill('#question', QUESTION);
      await page.press('#question', 'Enter');
      await page.locator('#token-row').waitFor({ state: 'visible' });
      expect(await page.locator('#token-help').innerText()).toMatch(/toegangscode/);
      expect(await page.locator('#token-help').innerText()).toMatch(/opnieuw verstuurd/);
      // No English server message anywhere on the page, and no half-answer left behind.
      const text = await page.locator('body').innerText();
      expect(text).not.toMatch(/bearer|unauthori[sz]ed|missing|invalid/i);
      expect(await page.locator('.turn').count()).toBe(0);
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('token');

      await page.fill('#token', TOKEN);
      await page.press('#token', 'Enter');
      await page.locator('.turn .answer[aria-busy="false"]').first().waitFor({ timeout: 30_000 });
      expect(asked).toEqual([QUESTION, QUESTION]);
      expect(await page.locator('.turn .question').innerText()).toBe(QUESTION);
      expect(await page.locator('.bottom-line').isVisible()).toBe(true);
      expect(await page.locator('#token-row').isHidden()).toBe(true);
      // With the token the corpus summary loads too.
      await page.waitForFunction(() =>
        /\d+ Nederlandstalige bron/.test(document.querySelector('#corpus-summary')?.textContent ?? ''),
      );
      expect(problems).toEqual([]);
      await page.close();
    },
  );

  it('names no corpus count or document in the page itself; the summary comes from GET /api/sources', async () => {
    const html = (await readFile(path.join(PROJECT_ROOT, 'src/http/page/index.html'), 'utf8')).toLowerCase();
    for (const word of ['vijf', 'vier', 'drie', 'twee', ' 5 ', 'kce', 'minerva', 'cochrane'])
      expect(html).not.toContain(word);
    for (const s of listSources(engine)) expect(html).not.toContain(s.file.toLowerCase());

    const live = await openPage(PHONE);
    await live.page.waitForFunction(() =>
      /Nederlandstalige bronnen \(/.test(document.querySelector('#corpus-summary')?.textContent ?? ''),
    );
    expect(await live.page.locator('#corpus-summary').innerText()).toContain(
      `${listSources(engine).length} Nederlandstalige bronnen`,
    );
    await live.page.close();

    // Another corpus, another text.
    if (!browser) throw new Error('browser not started');
    const page = await browser.newPage({ viewport: DESKTOP });
    await page.route('**/api/sources', (route) =>
      route.fulfill({
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify({
          sources: [
            {
              file: 'b.txt',
              title: 'B',
              kind: 'news',
              publisher: 'Q',
              authority: 4,
              label: 'nieuwsbericht',
              chars: 1,
            },
            {
              file: 'a.txt',
              title: 'A',
              kind: 'guideline',
              publisher: 'P',
              authority: 1,
              label: 'NHG-standaard',
              chars: 1,
            },
          ],
        }),
      }),
    );
    await page.goto(`${running.url}/`);
    await page.waitForFunction(() =>
      /^2 Nederlandstalige bronnen/.test(document.querySelector('#corpus-summary')?.textContent ?? ''),
    );
    // Labels in order of authority, whatever the order the server lists them in.
    expect(await page.locator('#corpus-summary').innerText()).toBe(
      '2 Nederlandstalige bronnen (NHG-standaard, nieuwsbericht)',
    );
    await page.close();
  });

  it('sends the conversation as history with a follow-up at 375 px', async () => {
    const { page, problems } = await openPage(PHONE);
    await page.locator('button.example').first().click();
    await page.locator('.turn .answer[aria-busy="false"]').first().waitFor({ timeout: 30_000 });
    const request = page.waitForRequest((r) => r.url().endsWith('/api/ask'));
    await page.fill('#question', 'En bij chronische rugpijn?');
    await page.press('#question', 'Enter');
    const body = JSON.parse((await request).postData() ?? '{}') as {
      question: string;
      history?: { question: string }[];
    };
    expect(body.question).toBe('En bij chronische rugpijn?');
    expect(body.history?.map((t) => t.question)).toEqual([QUESTION]);
    await page.locator('.turn .answer[aria-busy="false"]').nth(1).waitFor({ timeout: 30_000 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows refusals and red-flag notices distinctly', async () => {
    const { page } = await openPage({ width: 1000, height: 800 });
    await askAndWait(page, 'Wat is de hoofdstad van Australië?', 0);
    expect(await page.locator('.answer.refusal').count()).toBe(1);
    expect(await page.locator('.refusal-label').isVisible()).toBe(true);
    await askAndWait(
      page,
      'Rugpijn met krachtverlies in mijn been en ik kan mijn plas niet ophouden, wat nu?',
      1,
    );
    const second = page.locator('.turn .answer').nth(1);
    expect(await second.locator('.red-flag').isVisible()).toBe(true);
    expect(await second.evaluate((el) => el.classList.contains('refusal'))).toBe(false);
    await page.close();
  });
});
