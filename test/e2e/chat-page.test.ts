import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, PROJECT_ROOT } from '../../src/config.js';
import { createEngine } from '../../src/engine.js';
import { startServer, type RunningServer } from '../../src/http/app.js';
import { createLogger } from '../../src/logger.js';

const CHROMIUM = '/usr/bin/chromium';
const QUESTION = 'Helpt oefentherapie bij acute lage rugpijn?';
const ARTIFACTS = path.join(PROJECT_ROOT, 'test/e2e/artifacts');

let tmp: string;
let running: RunningServer;
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
  await running.engine;
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
  await running?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

/** Opens the page and collects console errors and any request leaving the server's origin. */
async function openPage(width: number, height: number): Promise<{ page: Page; problems: string[] }> {
  if (!browser) throw new Error('browser not started');
  const page = await browser.newPage({ viewport: { width, height } });
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('request', (r) => {
    if (!r.url().startsWith(running.url)) problems.push(`external request: ${r.url()}`);
  });
  await page.goto(`${running.url}/`);
  return { page, problems };
}

describe('chat page', () => {
  it('answers with clickable [n] markers that open the source with the quote highlighted', async () => {
    const { page, problems } = await openPage(1280, 900);
    await page.fill('#question', QUESTION);
    await page.press('#question', 'Enter');

    await page.locator('.turn .answer[aria-busy="false"]').first().waitFor({ timeout: 20_000 });
    const answerText = await page.locator('.answer').first().innerText();
    expect(answerText, 'the answer should carry [n] citation markers').toMatch(/\[\d+\]/);
    const marker = page.locator('.answer button.cite').first();
    expect(await page.locator('.answer button.cite').count()).toBeGreaterThan(0);
    // Focus stays in the question field, ready for a follow-up.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('question');

    const n = Number((await marker.innerText()).replace(/\D/g, ''));
    await marker.click();
    const mark = page.locator('#source-text mark');
    await mark.waitFor();
    const quote = await page.locator(`.citations li:nth-child(${n}) .citation-quote`).innerText();
    expect((await mark.innerText()).trim()).toBe(quote.trim());
    expect(await page.locator('#source-title').innerText()).not.toBe('');
    expect(await page.locator('#source-meta').innerText()).toMatch(
      /richtlijn|evidentiesamenvatting|praktijkartikel|nieuwsbericht/,
    );
    // The highlighted quote is scrolled into view inside the source text.
    const visible = await page.evaluate(() => {
      const m = document.querySelector('#source-text mark')?.getBoundingClientRect();
      const box = document.querySelector('#source-text')?.getBoundingClientRect();
      return !!m && !!box && m.bottom > box.top && m.top < box.bottom;
    });
    expect(visible).toBe(true);

    await mkdir(ARTIFACTS, { recursive: true });
    const shot = path.join(ARTIFACTS, 'chat.png');
    await page.screenshot({ path: shot });
    // The README's screenshot is refreshed on request only, so `npm test` leaves the work tree clean.
    if (process.env.RUGWIJS_UPDATE_SCREENSHOT) await copyFile(shot, path.join(PROJECT_ROOT, 'docs/chat-page.png'));

    // Escape closes the source and returns focus to the marker that opened it.
    await page.keyboard.press('Escape');
    expect(await page.locator('#source-panel').isHidden()).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.classList.contains('cite'))).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('sends the conversation as history with a follow-up and works at 375 px', async () => {
    const { page, problems } = await openPage(375, 740);
    await page.locator('button.example').first().click();
    await page.locator('.turn .answer[aria-busy="false"]').first().waitFor({ timeout: 20_000 });

    const request = page.waitForRequest((r) => r.url().endsWith('/api/ask'));
    await page.fill('#question', 'En bij chronische rugpijn?');
    await page.press('#question', 'Enter');
    const body = JSON.parse((await request).postData() ?? '{}') as {
      question: string;
      history?: { question: string }[];
    };
    expect(body.question).toBe('En bij chronische rugpijn?');
    expect(body.history?.map((t) => t.question)).toEqual([QUESTION]);
    await page.locator('.turn .answer[aria-busy="false"]').nth(1).waitFor({ timeout: 20_000 });

    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    const marker = page.locator('.answer button.cite').first();
    if ((await marker.count()) > 0) {
      await marker.click();
      await page.locator('#source-text mark').waitFor();
      await page.screenshot({ path: path.join(ARTIFACTS, 'chat-375.png') });
    }
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows refusals and red-flag notices distinctly', async () => {
    const { page } = await openPage(1000, 800);
    await page.fill('#question', 'Wat is de hoofdstad van Australië?');
    await page.press('#question', 'Enter');
    await page.locator('.turn .answer[aria-busy="false"]').first().waitFor({ timeout: 20_000 });
    expect(await page.locator('.answer.refusal').count()).toBe(1);
    expect(await page.locator('.refusal-label').isVisible()).toBe(true);

    await page.fill(
      '#question',
      'Rugpijn met krachtverlies in mijn been en ik kan mijn plas niet ophouden, wat nu?',
    );
    await page.press('#question', 'Enter');
    await page.locator('.turn .answer[aria-busy="false"]').nth(1).waitFor({ timeout: 20_000 });
    const second = page.locator('.turn .answer').nth(1);
    expect(await second.locator('.red-flag').isVisible()).toBe(true);
    expect(await second.evaluate((el) => el.classList.contains('refusal'))).toBe(false);
    await page.close();
  });
});
