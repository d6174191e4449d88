import { describe, expect, it } from 'vitest';
import { escapeHtml, renderReportHtml } from '../../src/eval/report-html.js';
import type { PerQuestionRow, Report } from '../../src/eval/metrics.js';

const evil = '<script>alert("x")</script> Helpt oefentherapie?';

function row(over: Partial<PerQuestionRow>): PerQuestionRow {
  return {
    id: 'q001',
    question: 'Moet ik in bed blijven?',
    category: 'lay',
    lang: 'nl',
    answerable: true,
    answer: 'Blijf in beweging [1].',
    refused: false,
    citations: [
      { n: 1, file: '004_beb946dfbc2e71d7.txt', quote: 'mensen met rugpijn moeten in beweging\nblijven.' },
    ],
    metrics: { 'hit@k': 1, factRecall: 1 },
    failed: [],
    latencyMs: 120,
    ...over,
  };
}

function report(): Report {
  return {
    generatedAt: '2025-06-20T10:00:00.000Z',
    gold: 'eval/gold.jsonl',
    overall: { 'hit@k': 0.9, factRecall: 0.5, customMetric: 0.25 },
    byCategory: { lay: { 'hit@k': 1, factRecall: 1 }, efficacy: { 'hit@k': 0.8, factRecall: 0 } },
    baseline: {
      label: 'BM25 & co',
      overall: { 'hit@k': 0.7, factRecall: 0.6 },
      byCategory: { lay: { 'hit@k': 0.5 } },
    },
    latency: { p50: 101.4, p95: 250.6 },
    rows: [
      row({}),
      row({
        id: 'q002',
        question: evil,
        category: 'efficacy',
        answer: 'Antwoord met <img src=x onerror=alert(1)> & meer',
        citations: [
          { n: 1, file: '001_799c556b91de25d4.txt', quote: 'geen klinisch voordeel <b>aan</b> & "zo"' },
        ],
        metrics: { 'hit@k': 0.8, factRecall: 0 },
        failed: ['fact recall 0/2 < 1: "geen klinisch voordeel" <missing>'],
      }),
    ],
  };
}

describe('escapeHtml', () => {
  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});

describe('renderReportHtml', () => {
  const html = renderReportHtml(report());

  it('escapes questions, answers, quotes and reasons', () => {
    expect(html).not.toContain('<script');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Helpt oefentherapie?');
    expect(html).not.toContain('<img');
    expect(html).toContain('Antwoord met &lt;img src=x onerror=alert(1)&gt; &amp; meer');
    expect(html).toContain('geen klinisch voordeel &lt;b&gt;aan&lt;/b&gt; &amp; &quot;zo&quot;');
    expect(html).toContain('&lt;missing&gt;');
    expect(html).toContain('BM25 &amp; co');
  });

  it('is self-contained: no scripts, links, external URLs or resource attributes', () => {
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('Content-Security-Policy" content="default-src \'none\'');
    for (const banned of [
      '<script',
      '<link',
      '<iframe',
      '<img',
      ' src=',
      ' href=',
      'url(',
      'http://',
      'https://',
      '@import',
    ]) {
      // Escaped user text may contain "src=" as text; only real markup matters, so strip escaped text first.
      expect(html.replace(/&lt;[^&]*&gt;/g, ''), banned).not.toContain(banned);
    }
  });

  it('draws bars for ours and the baseline, overall and per category', () => {
    expect(html).toContain('<title>rugwijs — Hit@k: 0.90</title>');
    expect(html).toContain('<title>BM25 &amp; co — Hit@k: 0.70</title>');
    expect(html).toContain('<title>rugwijs — customMetric: 0.25</title>');
    // customMetric has no baseline value: shown as n/a rather than a zero-length bar.
    expect(html).toContain('BM25 &amp; co: n/a');
    expect(html).toContain('aria-label="efficacy (n=1)"');
    expect(html).toContain('aria-label="lay (n=1)"');
    expect((html.match(/<svg /g) ?? []).length).toBe(3);
    // Bar widths scale with the value (300 px plot).
    expect(html).toContain('width="270.0"');
  });

  it('has a metrics table and lists only the failing questions, answer beside the cited quotes', () => {
    expect(html).toContain('<table class="metrics">');
    expect(html).toMatch(
      /<th scope="row">overall<\/th><td>2<\/td><td class="up">0\.90 <span class="base">\/ 0\.70<\/span><\/td>/,
    );
    expect(html).toContain('Failing questions (1)');
    expect(html).toContain('id="q002"');
    expect(html).not.toContain('id="q001"');
    expect(html).not.toContain('Moet ik in bed blijven?');
    expect(html).toContain('[1] 001_799c556b91de25d4.txt');
    expect(html).toContain('latency p50 101 ms · p95 251 ms');
  });

  it('renders an empty run without failing', () => {
    const empty: Report = {
      ...report(),
      overall: {},
      byCategory: {},
      baseline: { overall: {}, byCategory: {} },
      latency: { p50: Number.NaN, p95: Number.NaN },
      rows: [],
    };
    const out = renderReportHtml(empty);
    expect(out).toContain('Failing questions (0)');
    expect(out).toContain('latency p50 – · p95 –');
  });
});
