import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import { renderReportHtml } from '../../src/eval/report-html.js';
import type { PerQuestionRow, Report } from '../../src/eval/metrics.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.join(PROJECT_ROOT, 'test/e2e/artifacts');
let browser: Browser | undefined;

/** A report shaped like a real run: many failing questions with long answers, two categories, two splits. */
function report(): Report {
  const categories = ['efficacy', 'lay', 'red-flag'] as const;
  const rows: PerQuestionRow[] = Array.from(
    { length: 30 },
    (_, i) =>
      ({
        id: `q${String(i).padStart(3, '0')}`,
        question: `Helpt oefentherapie bij acute lage rugpijn, vraag ${i}?`,
        category: categories[i % 3] ?? 'lay',
        lang: 'nl',
        answerable: true,
        answer:
          'Een Minerva-duiding stelt: deze systematische review toont geen klinisch voordeel. [1] '.repeat(6),
        refused: false,
        citations: [
          {
            n: 1,
            file: '001_799c556b91de25d4.txt',
            quote:
              'Deze systematische review van gerandomiseerde gecontroleerde studies toont geen klinisch voordeel aan.',
          },
        ],
        metrics: { factRecall: i % 4 === 0 ? 1 : 0, 'hit@5': 1 },
        failed: i % 4 === 0 ? [] : ['fact recall 0/2 < 1: "geen klinisch voordeel"'],
        split: i % 2 === 0 ? 'dev' : 'test',
      }) as PerQuestionRow,
  );
  return {
    generatedAt: '2026-12-02T10:00:00.000Z',
    gold: 'eval/gold.jsonl',
    overall: {
      'hit@5': 0.9,
      factRecall: 0.25,
      fullyCorrect: 0.2,
      refusalCorrect: 1,
      redFlagHandled: 1,
      citationsVerbatim: 1,
    },
    byCategory: {
      efficacy: { factRecall: 0.3, 'hit@5': 1 },
      lay: { factRecall: 0.2, 'hit@5': 0.8 },
      'red-flag': { factRecall: 0.2 },
    },
    baseline: { overall: { 'hit@5': 0.7, factRecall: 0.2 }, byCategory: {} },
    latency: { p50: 12, p95: 40 },
    retrievers: { hybrid: { 'hit@1': 0.7, 'hit@5': 0.9, mrr: 0.8, 'ndcg@10': 0.8 } },
    rows,
  };
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium not found at ${CHROMIUM}; install it with "apt-get install -y chromium".`);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
});

afterAll(async () => {
  await browser?.close();
});

describe('eval/report.html in Chromium', () => {
  it.each([375, 1280])(
    'at %i px: summary first, failing questions collapsed, CSS-only filters work, nothing wider than the screen',
    async (width) => {
      if (!browser) throw new Error('browser not started');
      const page = await browser.newPage({ viewport: { width, height: 800 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      await page.setContent(renderReportHtml(report()));
      // The summary is the first thing on screen.
      expect(await page.locator('.summary').isVisible()).toBe(true);
      const summaryBox = await page.locator('.summary').boundingBox();
      expect(summaryBox?.y ?? 9999).toBeLessThan(800);
      // Collapsed: the page is short, although 22 questions fail with long answers.
      const visible = () => page.locator('details.fail:visible').count();
      expect(await visible()).toBe(22);
      expect(await page.locator('details.fail .answer').first().isVisible()).toBe(false);
      expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeLessThan(
        width === 375 ? 9000 : 5000,
      );
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      // Filter by category, then also by split; "all" restores.
      await page.locator('label[for="f-cat-0"]').click(); // efficacy
      const efficacy = await page
        .locator('details.fail:visible')
        .evaluateAll((els) => els.map((e) => e.querySelector('.cat')?.textContent));
      expect(efficacy.length).toBeGreaterThan(0);
      expect(new Set(efficacy)).toEqual(new Set(['efficacy']));
      await page.locator('label[for="f-split-0"]').click(); // dev
      const both = await page
        .locator('details.fail:visible')
        .evaluateAll((els) =>
          els.map((e) => `${e.querySelector('.cat')?.textContent}/${e.querySelector('.split')?.textContent}`),
        );
      expect(both.length).toBeGreaterThan(0);
      expect(both.length).toBeLessThan(efficacy.length);
      expect(new Set(both)).toEqual(new Set(['efficacy/dev']));
      await page.locator('label[for="f-cat-all"]').click();
      await page.locator('label[for="f-split-all"]').click();
      expect(await visible()).toBe(22);
      // Opening one shows its answer and quotes.
      await page.locator('details.fail summary').first().click();
      expect(await page.locator('details.fail .answer').first().isVisible()).toBe(true);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      await mkdir(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: path.join(ARTIFACTS, `report-${width}.png`), fullPage: false });
      expect(errors).toEqual([]);
      await page.close();
    },
  );
});
