import { METRIC_LABELS, type MetricMeans, type PerQuestionRow, type Report } from './metrics.js';

/**
 * Renders an evaluation report as one self-contained HTML page: inline CSS, inline SVG bar charts, no
 * scripts and no external resources (a CSP meta tag forbids loading any). Layout: a summary first, then
 * the failing questions collapsed (<details>) and filterable by category/split with CSS-only radio
 * filters, then the charts and tables; readable at 375 px. Every piece of report text is
 * HTML-escaped, because questions, answers and quotes are untrusted input.
 */

const COLOR_OURS = '#2563eb';
const COLOR_BASE = '#9ca3af';

/** Escapes text for HTML element content and double- or single-quoted attribute values (also valid XML). */
export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

/** A metric value for display: two decimals, "–" when missing or not finite. */
function fmt(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(2);
}

function label(metric: string): string {
  return METRIC_LABELS[metric] ?? metric;
}

/** Known metrics in their canonical order first, then any others alphabetically. */
function metricOrder(...records: MetricMeans[]): string[] {
  const names = new Set(records.flatMap((r) => Object.keys(r)));
  const known = Object.keys(METRIC_LABELS).filter((m) => names.has(m));
  const rest = [...names].filter((m) => !(m in METRIC_LABELS)).sort();
  return [...known, ...rest];
}

/**
 * Horizontal grouped bar chart (ours vs baseline) for metric values in [0, 1]; values are clamped for
 * drawing but printed as they are.
 */
function barChart(
  title: string,
  metrics: string[],
  ours: MetricMeans,
  base: MetricMeans,
  names: { ours: string; base: string },
): string {
  const labelW = 150;
  const plotW = 300;
  const valueW = 44;
  const barH = 11;
  const rowH = barH * 2 + 10;
  const top = 22;
  const height = top + metrics.length * rowH + 6;
  const width = labelW + plotW + valueW;
  const bar = (value: number | undefined, y: number, color: string, who: string, metric: string): string => {
    if (value === undefined || !Number.isFinite(value)) {
      return `<text x="${labelW + 4}" y="${y + barH - 2}" class="na">${escapeHtml(who)}: n/a</text>`;
    }
    const w = Math.max(0, Math.min(1, value)) * plotW;
    return (
      `<rect x="${labelW}" y="${y}" width="${w.toFixed(1)}" height="${barH}" fill="${color}">` +
      `<title>${escapeHtml(`${who} — ${label(metric)}: ${fmt(value)}`)}</title></rect>` +
      `<text x="${(labelW + w + 4).toFixed(1)}" y="${y + barH - 2}" class="val">${fmt(value)}</text>`
    );
  };
  const rows = metrics
    .map((m, i) => {
      const y = top + i * rowH;
      return (
        `<text x="${labelW - 6}" y="${y + barH + 4}" text-anchor="end" class="lbl">${escapeHtml(label(m))}</text>` +
        bar(ours[m], y, COLOR_OURS, names.ours, m) +
        bar(base[m], y + barH + 1, COLOR_BASE, names.base, m)
      );
    })
    .join('');
  return (
    `<svg class="chart" role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">` +
    `<text x="0" y="14" class="ttl">${escapeHtml(title)}</text>` +
    `<line x1="${labelW}" y1="${top - 4}" x2="${labelW}" y2="${height - 4}" stroke="#d1d5db"/>` +
    `<line x1="${labelW + plotW}" y1="${top - 4}" x2="${labelW + plotW}" y2="${height - 4}" stroke="#e5e7eb" stroke-dasharray="3 3"/>` +
    rows +
    `</svg>`
  );
}

function metricsTable(report: Report, metrics: string[], counts: Map<string, number>): string {
  const head = metrics.map((m) => `<th>${escapeHtml(label(m))}</th>`).join('');
  const line = (name: string, n: number, ours: MetricMeans, base: MetricMeans): string => {
    const cells = metrics
      .map((m) => {
        const a = ours[m];
        const b = base[m];
        const delta =
          a !== undefined && b !== undefined && Number.isFinite(a) && Number.isFinite(b) ? a - b : undefined;
        const cls =
          delta === undefined || Math.abs(delta) < 0.005 ? '' : delta > 0 ? ' class="up"' : ' class="down"';
        return `<td${cls}>${fmt(a)} <span class="base">/ ${fmt(b)}</span></td>`;
      })
      .join('');
    return `<tr><th scope="row">${escapeHtml(name)}</th><td>${n}</td>${cells}</tr>`;
  };
  const categories = Object.keys(report.byCategory).sort();
  const body = [
    line('overall', report.rows.length, report.overall, report.baseline.overall),
    ...categories.map((c) =>
      line(c, counts.get(c) ?? 0, report.byCategory[c] ?? {}, report.baseline.byCategory[c] ?? {}),
    ),
  ].join('');
  return `<table class="metrics"><thead><tr><th>category</th><th>n</th>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

/** Retrieval-only comparison of the rankers on the same questions (absent in older reports). */
function retrieversTable(report: Report): string {
  const systems = Object.entries(report.retrievers ?? {});
  if (systems.length === 0) return '';
  const metrics = ['hit@1', 'hit@5', 'mrr', 'ndcg@10'];
  const head = metrics.map((m) => `<th>${escapeHtml(label(m))}</th>`).join('');
  const body = systems
    .map(([name, means]) => `<tr><th scope="row">${escapeHtml(name)}</th>${metrics.map((m) => `<td>${fmt(means[m])}</td>`).join('')}</tr>`)
    .join('');
  return `<h2>Retrieval by ranker</h2>
<p class="muted">Expected source among the retrieved passages, answerable questions only.</p>
<div class="scroll"><table class="metrics"><thead><tr><th>ranker</th>${head}</tr></thead><tbody>${body}</tbody></table></div>`;
}

/** A row's split ("dev", "test", …) when the report carries one (older reports have none). */
function splitOf(row: PerQuestionRow): string | undefined {
  const split = (row as PerQuestionRow & { split?: unknown }).split;
  return typeof split === 'string' && split.trim() ? split : undefined;
}

/** One failing question, collapsed: the summary line says what failed, the body shows answer and quotes. */
function failingQuestion(row: PerQuestionRow, classes: string): string {
  const reasons = row.failed.map((r) => `<li>${escapeHtml(r)}</li>`).join('');
  const citations =
    row.citations.length === 0
      ? '<p class="muted">No citations.</p>'
      : `<ol class="cites">${row.citations
          .map(
            (c) =>
              `<li><div class="src">[${c.n}] ${escapeHtml(c.file)}</div><blockquote>${escapeHtml(c.quote)}</blockquote></li>`,
          )
          .join('')}</ol>`;
  const values = Object.entries(row.metrics)
    .map(([m, v]) => `${escapeHtml(label(m))} ${fmt(v)}`)
    .join(' · ');
  const split = splitOf(row);
  return (
    `<details class="fail ${classes}" id="${escapeHtml(row.id)}">` +
    `<summary><span class="qid">${escapeHtml(row.id)}</span> <span class="cat">${escapeHtml(row.category)}</span>` +
    (split ? ` <span class="split">${escapeHtml(split)}</span>` : '') +
    ` <span class="q">${escapeHtml(row.question)}</span>` +
    `<span class="why">${escapeHtml(row.failed[0] ?? '')}${row.failed.length > 1 ? ` (+${row.failed.length - 1})` : ''}</span></summary>` +
    `<p class="muted">${values}${row.refused ? ' · <strong>refused</strong>' : ''}${row.answerable ? '' : ' · unanswerable'}</p>` +
    `<ul class="reasons">${reasons}</ul>` +
    `<div class="side"><div><h4>Answer</h4><div class="answer">${escapeHtml(row.answer)}</div></div>` +
    `<div><h4>Cited quotes</h4>${citations}</div></div>` +
    `</details>`
  );
}

/**
 * The failing questions with filters by category and (when rows carry one) split. The page allows no
 * scripts (its CSP is `default-src 'none'`), so filtering is pure HTML/CSS: one radio group per filter,
 * placed before the list, and a generated rule per value hides the rows of other values. Values become
 * numbered class names (f-cat-0 …), never raw text in a selector.
 */
function failingSection(failing: PerQuestionRow[]): { html: string; css: string } {
  if (failing.length === 0) return { html: '<p class="muted">None.</p>', css: '' };
  const groups: { key: 'cat' | 'split'; title: string; values: string[]; of: (r: PerQuestionRow) => string | undefined }[] = [
    { key: 'cat', title: 'Category', values: [...new Set(failing.map((r) => r.category))].sort(), of: (r) => r.category },
  ];
  const splits = [...new Set(failing.map(splitOf).filter((s): s is string => s !== undefined))].sort();
  if (splits.length > 0) groups.push({ key: 'split', title: 'Split', values: splits, of: splitOf });
  const cls = (key: string, i: number | 'all'): string => `f-${key}-${i}`;

  const inputs: string[] = [];
  const labels: string[] = [];
  const rules: string[] = [];
  for (const g of groups) {
    inputs.push(`<input type="radio" class="filter" name="f-${g.key}" id="${cls(g.key, 'all')}" checked>`);
    const opts = [`<label for="${cls(g.key, 'all')}">all (${failing.length})</label>`];
    g.values.forEach((v, i) => {
      const n = failing.filter((r) => g.of(r) === v).length;
      inputs.push(`<input type="radio" class="filter" name="f-${g.key}" id="${cls(g.key, i)}">`);
      opts.push(`<label for="${cls(g.key, i)}">${escapeHtml(v)} (${n})</label>`);
      rules.push(`#${cls(g.key, i)}:checked~.failing>.fail:not(.${cls(g.key, i)}){display:none}`);
      rules.push(`#${cls(g.key, i)}:checked~.filters label[for=${cls(g.key, i)}]{background:#1d4ed8;color:#fff;border-color:#1d4ed8}`);
    });
    rules.push(`#${cls(g.key, 'all')}:checked~.filters label[for=${cls(g.key, 'all')}]{background:#1d4ed8;color:#fff;border-color:#1d4ed8}`);
    labels.push(`<div class="filter-group" role="group" aria-label="${g.title}"><span class="filter-title">${g.title}:</span> ${opts.join(' ')}</div>`);
  }
  const rows = failing
    .map((r) =>
      failingQuestion(
        r,
        groups
          .map((g) => {
            const v = g.of(r);
            const i = v === undefined ? -1 : g.values.indexOf(v);
            return i >= 0 ? cls(g.key, i) : '';
          })
          .filter(Boolean)
          .join(' '),
      ),
    )
    .join('\n');
  return {
    html: `${inputs.join('')}<div class="filters">${labels.join('')}</div>\n<div class="failing">\n${rows}\n</div>`,
    css: rules.join('\n'),
  };
}

/** The figures a reader wants first: how many pass, and the headline metrics against the baseline. */
function summary(report: Report, failing: number): string {
  const total = report.rows.length;
  const passed = total - failing;
  const pct = (v: number | undefined): string => (v === undefined || !Number.isFinite(v) ? '–' : `${Math.round(v * 100)}%`);
  const headline = ['fullyCorrect', 'factRecall', 'hit@5', 'sourceCited', 'refusalCorrect', 'redFlagHandled', 'citationsVerbatim'].filter(
    (m) => report.overall[m] !== undefined,
  );
  const cards = headline
    .map((m) => {
      const ours = report.overall[m];
      const base = report.baseline.overall[m];
      return `<div class="card"><div class="k">${escapeHtml(label(m))}</div><div class="v">${pct(ours)}</div><div class="b">baseline ${pct(base)}</div></div>`;
    })
    .join('');
  return (
    `<section class="summary" aria-label="Summary">` +
    `<div class="card big"><div class="k">Questions passing</div><div class="v">${passed}/${total}</div><div class="b">${failing} failing</div></div>` +
    `<div class="card"><div class="k">Latency p50 / p95</div><div class="v">${fmtMs(report.latency.p50)}</div><div class="b">p95 ${fmtMs(report.latency.p95)}</div></div>` +
    cards +
    `</section>`
  );
}

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#111827;margin:0;padding:24px;max-width:1200px;overflow-wrap:anywhere}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #e5e7eb;padding-bottom:4px}
h3{font-size:15px;margin:0 0 4px}h4{font-size:13px;margin:0 0 4px;color:#374151}
.muted{color:#6b7280;margin:2px 0}.legend span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px;vertical-align:middle}
.chart{max-width:100%;height:auto}.chart text{font:11px system-ui,sans-serif;fill:#111827}.chart .ttl{font-weight:600;font-size:12px}
.chart .val{fill:#374151}.chart .na{fill:#9ca3af;font-style:italic}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,500px),1fr));gap:12px}
.scroll{overflow-x:auto;max-width:100%}
.summary{display:grid;grid-template-columns:repeat(auto-fill,minmax(140px,1fr));gap:8px;margin:12px 0}
.card{border:1px solid #e5e7eb;border-radius:6px;padding:8px 10px;background:#f9fafb}.card .k{font-size:12px;color:#4b5563}
.card .v{font-size:22px;font-weight:700}.card .b{font-size:12px;color:#6b7280}.card.big{background:#eff6ff;border-color:#bfdbfe}
input.filter{position:absolute;opacity:0;pointer-events:none}
.filters{margin:8px 0}.filter-group{margin:4px 0;display:flex;flex-wrap:wrap;gap:6px;align-items:center}.filter-title{font-weight:600;font-size:12px}
.filters label{border:1px solid #d1d5db;border-radius:999px;padding:3px 10px;font-size:12px;cursor:pointer;background:#fff}
input.filter:focus-visible~.filters label{outline:none}
details.fail>summary{cursor:pointer;list-style-position:outside;margin-left:14px}
details.fail>summary .q{font-weight:600}details.fail>summary .why{display:block;color:#b91c1c;font-size:12px}
.split{font-size:11px;background:#f0fdf4;color:#166534;border-radius:4px;padding:1px 6px}
table.metrics{border-collapse:collapse;font-size:12px;width:100%}
.metrics th,.metrics td{border:1px solid #e5e7eb;padding:4px 6px;text-align:right;white-space:nowrap}
.metrics th[scope=row],.metrics thead th:first-child{text-align:left}.metrics thead th{background:#f9fafb}
.metrics .base{color:#9ca3af}.metrics td.up{background:#ecfdf5}.metrics td.down{background:#fef2f2}
.fail{border:1px solid #fecaca;border-radius:6px;padding:8px 12px;margin:8px 0;background:#fffbfb}
.qid{font-family:ui-monospace,monospace;color:#6b7280}.cat{font-size:11px;background:#eef2ff;color:#3730a3;border-radius:4px;padding:1px 6px}
.reasons{margin:4px 0 8px;color:#b91c1c}.side{display:grid;grid-template-columns:1fr 1fr;gap:12px}
.answer{white-space:pre-wrap;background:#fff;border:1px solid #e5e7eb;border-radius:4px;padding:8px}
.cites{margin:0;padding-left:0;list-style:none}.cites li{margin-bottom:6px}.src{font-family:ui-monospace,monospace;font-size:11px;color:#6b7280}
blockquote{white-space:pre-wrap;margin:2px 0;padding:6px 8px;border-left:3px solid #93c5fd;background:#f8fafc}
@media (max-width:800px){.side{grid-template-columns:1fr}}
@media (max-width:600px){body{padding:12px}h2{font-size:16px}}
`;

/**
 * Renders the report page.
 * @param report a complete report (see `Report`); metric values are expected in [0, 1].
 * @returns a UTF-8 HTML document as a string (write it to eval/report.html).
 */
export function renderReportHtml(report: Report): string {
  const names = { ours: report.system ?? 'rugwijs', base: report.baseline.label ?? 'baseline' };
  const metrics = metricOrder(report.overall, report.baseline.overall);
  const counts = new Map<string, number>();
  for (const row of report.rows) counts.set(row.category, (counts.get(row.category) ?? 0) + 1);
  const failing = report.rows.filter((r) => r.failed.length > 0);
  const failingBlock = failingSection(failing);
  const categories = Object.keys(report.byCategory).sort();
  const categoryCharts = categories
    .map((c) => {
      const ours = report.byCategory[c] ?? {};
      const base = report.baseline.byCategory[c] ?? {};
      return barChart(`${c} (n=${counts.get(c) ?? 0})`, metricOrder(ours, base), ours, base, names);
    })
    .join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>rugwijs evaluation — ${escapeHtml(report.generatedAt)}</title>
<style>${CSS}${failingBlock.css}</style>
</head>
<body>
<h1>rugwijs evaluation</h1>
<p class="muted">Generated ${escapeHtml(report.generatedAt)} · gold <code>${escapeHtml(report.gold)}</code> · ${report.rows.length} questions · ${failing.length} failing · latency p50 ${fmtMs(report.latency.p50)} · p95 ${fmtMs(report.latency.p95)}</p>
${summary(report, failing.length)}
<h2>Failing questions (${failing.length})</h2>
${failingBlock.html}
<h2>Overall</h2>
<p class="legend"><span style="background:${COLOR_OURS}"></span>${escapeHtml(names.ours)}<span style="background:${COLOR_BASE}"></span>${escapeHtml(names.base)}</p>
${barChart('Overall', metrics, report.overall, report.baseline.overall, names)}
<h2>Metrics by category</h2>
<p class="muted">Each cell: ${escapeHtml(names.ours)} / ${escapeHtml(names.base)}; green = better than the baseline, red = worse.</p>
<div class="scroll">${metricsTable(report, metrics, counts)}</div>
${retrieversTable(report)}
<h2>By category</h2>
<div class="grid">${categoryCharts}</div>
</body>
</html>
`;
}

function fmtMs(ms: number): string {
  return Number.isFinite(ms) ? `${Math.round(ms)} ms` : '–';
}
