import { METRIC_LABELS, type MetricMeans, type PerQuestionRow, type Report } from './metrics.js';

/**
 * Renders an evaluation report as one self-contained HTML page: inline CSS, inline SVG bar charts, no
 * scripts and no external resources (a CSP meta tag forbids loading any). Every piece of report text is
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
<table class="metrics"><thead><tr><th>ranker</th>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

function failingQuestion(row: PerQuestionRow): string {
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
  return (
    `<section class="fail" id="${escapeHtml(row.id)}">` +
    `<h3><span class="qid">${escapeHtml(row.id)}</span> <span class="cat">${escapeHtml(row.category)}</span> ${escapeHtml(row.question)}</h3>` +
    `<p class="muted">${values}${row.refused ? ' · <strong>refused</strong>' : ''}${row.answerable ? '' : ' · unanswerable'}</p>` +
    `<ul class="reasons">${reasons}</ul>` +
    `<div class="side"><div><h4>Answer</h4><div class="answer">${escapeHtml(row.answer)}</div></div>` +
    `<div><h4>Cited quotes</h4>${citations}</div></div>` +
    `</section>`
  );
}

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#111827;margin:0;padding:24px;max-width:1200px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #e5e7eb;padding-bottom:4px}
h3{font-size:15px;margin:0 0 4px}h4{font-size:13px;margin:0 0 4px;color:#374151}
.muted{color:#6b7280;margin:2px 0}.legend span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px;vertical-align:middle}
.chart{max-width:100%;height:auto}.chart text{font:11px system-ui,sans-serif;fill:#111827}.chart .ttl{font-weight:600;font-size:12px}
.chart .val{fill:#374151}.chart .na{fill:#9ca3af;font-style:italic}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(500px,1fr));gap:12px}
table.metrics{border-collapse:collapse;font-size:12px;width:100%}
.metrics th,.metrics td{border:1px solid #e5e7eb;padding:4px 6px;text-align:right;white-space:nowrap}
.metrics th[scope=row],.metrics thead th:first-child{text-align:left}.metrics thead th{background:#f9fafb}
.metrics .base{color:#9ca3af}.metrics td.up{background:#ecfdf5}.metrics td.down{background:#fef2f2}
.fail{border:1px solid #fecaca;border-radius:6px;padding:10px 12px;margin:12px 0;background:#fffbfb}
.qid{font-family:ui-monospace,monospace;color:#6b7280}.cat{font-size:11px;background:#eef2ff;color:#3730a3;border-radius:4px;padding:1px 6px}
.reasons{margin:4px 0 8px;color:#b91c1c}.side{display:grid;grid-template-columns:1fr 1fr;gap:12px}
.answer{white-space:pre-wrap;background:#fff;border:1px solid #e5e7eb;border-radius:4px;padding:8px}
.cites{margin:0;padding-left:0;list-style:none}.cites li{margin-bottom:6px}.src{font-family:ui-monospace,monospace;font-size:11px;color:#6b7280}
blockquote{white-space:pre-wrap;margin:2px 0;padding:6px 8px;border-left:3px solid #93c5fd;background:#f8fafc}
@media (max-width:800px){.side{grid-template-columns:1fr}}
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
<style>${CSS}</style>
</head>
<body>
<h1>rugwijs evaluation</h1>
<p class="muted">Generated ${escapeHtml(report.generatedAt)} · gold <code>${escapeHtml(report.gold)}</code> · ${report.rows.length} questions · ${failing.length} failing · latency p50 ${fmtMs(report.latency.p50)} · p95 ${fmtMs(report.latency.p95)}</p>
<p class="legend"><span style="background:${COLOR_OURS}"></span>${escapeHtml(names.ours)}<span style="background:${COLOR_BASE}"></span>${escapeHtml(names.base)}</p>
<h2>Overall</h2>
${barChart('Overall', metrics, report.overall, report.baseline.overall, names)}
<h2>Metrics by category</h2>
<p class="muted">Each cell: ${escapeHtml(names.ours)} / ${escapeHtml(names.base)}; green = better than the baseline, red = worse.</p>
${metricsTable(report, metrics, counts)}
${retrieversTable(report)}
<h2>By category</h2>
<div class="grid">${categoryCharts}</div>
<h2>Failing questions (${failing.length})</h2>
${failing.length === 0 ? '<p class="muted">None.</p>' : failing.map(failingQuestion).join('\n')}
</body>
</html>
`;
}

function fmtMs(ms: number): string {
  return Number.isFinite(ms) ? `${Math.round(ms)} ms` : '–';
}
