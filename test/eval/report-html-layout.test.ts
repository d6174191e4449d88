import { describe, expect, it } from 'vitest';
import { renderReportHtml } from '../../src/eval/report-html.js';
import type { PerQuestionRow, Report } from '../../src/eval/metrics.js';

/** Layout of eval/report.html: summary first, failing questions collapsed and filterable without scripts. */
function row(
  id: string,
  category: PerQuestionRow['category'],
  failed: string[],
  split?: string,
): PerQuestionRow {
  return {
    id,
    question: `Vraag ${id}?`,
    category,
    lang: 'nl',
    answerable: true,
    answer: 'Antwoord. [1]',
    refused: false,
    citations: [],
    metrics: { factRecall: failed.length ? 0 : 1 },
    failed,
    ...(split ? { split } : {}),
  } as PerQuestionRow;
}

function report(rows: PerQuestionRow[]): Report {
  return {
    generatedAt: '2026-12-02T10:00:00.000Z',
    gold: 'eval/gold.jsonl',
    overall: { fullyCorrect: 0.5, factRecall: 0.6 },
    byCategory: { lay: { factRecall: 1 }, efficacy: { factRecall: 0 } },
    baseline: { overall: { fullyCorrect: 0.25, factRecall: 0.4 }, byCategory: {} },
    latency: { p50: 10, p95: 20 },
    rows,
  };
}

const rows = [
  row('q1', 'lay', []),
  row('q2', 'efficacy', ['fact recall 0/2'], 'dev'),
  row('q3', 'efficacy', ['stance', 'numbers'], 'test'),
  row('q4', 'lay', ['refusal'], 'test'),
];

describe('renderReportHtml — layout', () => {
  const html = renderReportHtml(report(rows));

  it('puts the summary (passing count, headline metrics vs baseline) before the failing questions and charts', () => {
    const summaryAt = html.indexOf('class="summary"');
    expect(summaryAt).toBeGreaterThan(0);
    expect(summaryAt).toBeLessThan(html.indexOf('Failing questions'));
    expect(html.indexOf('Failing questions')).toBeLessThan(html.indexOf('<svg '));
    expect(html).toContain('<div class="v">1/4</div><div class="b">3 failing</div>');
    expect(html).toMatch(/Fully correct<\/div><div class="v">50%<\/div><div class="b">baseline 25%/);
  });

  it('collapses every failing question in a closed <details> whose summary names what failed', () => {
    const details = html.match(/<details class="fail[^"]*" id="[^"]+">/g) ?? [];
    expect(details).toHaveLength(3);
    expect(html).not.toMatch(/<details[^>]* open/);
    expect(html).toMatch(/<summary>.*Vraag q3\?.*<span class="why">stance \(\+1\)<\/span><\/summary>/);
  });

  it('filters by category and split with radio inputs and generated CSS rules, no script', () => {
    expect(html).not.toContain('<script');
    expect(html).toContain("default-src 'none'");
    // One "all" + one radio per value, in two groups; "all" checked.
    expect(html.match(/name="f-cat"/g)).toHaveLength(3);
    expect(html.match(/name="f-split"/g)).toHaveLength(3);
    expect(html).toContain('<input type="radio" class="filter" name="f-cat" id="f-cat-all" checked>');
    expect(html).toContain('<label for="f-cat-0">efficacy (2)</label>');
    expect(html).toContain('<label for="f-split-1">test (2)</label>');
    // q3 is efficacy (f-cat-0) and test (f-split-1); choosing a category hides the others' rows.
    expect(html).toMatch(/<details class="fail f-cat-0 f-split-1" id="q3">/);
    expect(html).toContain('#f-cat-0:checked~.failing>.fail:not(.f-cat-0){display:none}');
    expect(html).toContain('#f-split-1:checked~.failing>.fail:not(.f-split-1){display:none}');
  });

  it('offers no split filter when no row has a split (older report.json)', () => {
    const plain = renderReportHtml(
      report(rows.map(({ ...r }) => ({ ...r, split: undefined }) as PerQuestionRow)),
    );
    expect(plain).not.toContain('name="f-split"');
    expect(plain).toContain('name="f-cat"');
  });

  it('escapes category and split text and never puts it in a CSS selector', () => {
    const evil = renderReportHtml(report([row('q9', 'lay', ['x'], '</style><b>x</b>')]));
    expect(evil).not.toContain('</style><b>');
    expect(evil).toContain('&lt;/style&gt;&lt;b&gt;x&lt;/b&gt; (1)');
    expect(evil.match(/<\/style>/g)).toHaveLength(1);
  });
});
