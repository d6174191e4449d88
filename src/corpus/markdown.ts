import { TextBuilder, type HeadingSpan } from './text-builder.js';

/** What {@link extractMarkdown} returns. */
export interface MarkdownExtract {
  text: string;
  headings: HeadingSpan[];
  /** Front-matter fields (`title`, `date`, `kind`, `publisher`) when the file starts with a `---` block. */
  frontMatter: Record<string, string>;
}

const ATX_HEADING = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/u;
const SETEXT_UNDERLINE = /^ {0,3}(=+|-+)\s*$/u;
const FENCE = /^ {0,3}(```|~~~)/u;

/**
 * Markdown → plain text with headings as sections. ATX (`## Kop`) and setext headings become headings;
 * emphasis, inline code, link and image syntax are removed (link text kept, images dropped), HTML
 * comments dropped, list items keep a bullet so the chunker sees list lines. Paragraph lines are joined.
 * A YAML-style front matter block (`key: value` lines between `---`) is read into `frontMatter`.
 */
export function extractMarkdown(source: string): MarkdownExtract {
  let body = source.replace(/^\ufeff/u, '').replace(/\r\n?/gu, '\n');
  const frontMatter: Record<string, string> = {};
  const fm = /^---\n([\s\S]*?)\n---\n/u.exec(body);
  if (fm) {
    for (const line of (fm[1] ?? '').split('\n')) {
      const kv = /^([A-Za-z_]+)\s*:\s*(.*)$/u.exec(line);
      if (kv) frontMatter[(kv[1] ?? '').toLowerCase()] = (kv[2] ?? '').replace(/^["']|["']$/gu, '').trim();
    }
    body = body.slice(fm[0].length);
  }
  body = body.replace(/<!--[\s\S]*?-->/gu, '');
  const out = new TextBuilder();
  const lines = body.split('\n');
  let para: string[] = [];
  let list: string[] = [];
  let fence: string[] | undefined;
  const flush = () => {
    if (para.length > 0) out.paragraph(inline(para.join(' ')));
    if (list.length > 0) out.paragraph(list.map((l) => `• ${inline(l)}`).join('\n'), true);
    para = [];
    list = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (fence) {
      if (FENCE.test(line)) {
        out.paragraph(fence.join('\n'), true);
        fence = undefined;
      } else fence.push(line);
      continue;
    }
    if (FENCE.test(line)) {
      flush();
      fence = [];
      continue;
    }
    const atx = ATX_HEADING.exec(line);
    if (atx) {
      flush();
      out.heading(inline(atx[2] ?? ''), (atx[1] ?? '#').length);
      continue;
    }
    const next = lines[i + 1] ?? '';
    if (
      line.trim() !== '' &&
      para.length === 0 &&
      list.length === 0 &&
      SETEXT_UNDERLINE.exec(next) &&
      !/^\s*[-*+]\s/u.test(line)
    ) {
      out.heading(inline(line), next.trim().startsWith('=') ? 1 : 2);
      i++;
      continue;
    }
    if (line.trim() === '') {
      flush();
      continue;
    }
    const item = /^\s*(?:[-*+]|\d{1,3}[.)])\s+(.*)$/u.exec(line);
    if (item) {
      if (para.length > 0) flush();
      list.push(item[1] ?? '');
      continue;
    }
    if (/^ {0,3}([-*_])(\s*\1){2,}\s*$/u.test(line)) {
      flush(); // thematic break
      continue;
    }
    if (list.length > 0 && /^\s+\S/u.test(line)) {
      list[list.length - 1] += ` ${line.trim()}`; // continuation of a list item
      continue;
    }
    para.push(line.replace(/^\s*>\s?/u, ''));
  }
  if (fence) out.paragraph(fence.join('\n'), true);
  flush();
  return { ...out.finish(), frontMatter };
}

/** Inline Markdown → text: images dropped, links keep their text, emphasis and code markers removed. */
function inline(s: string): string {
  return s
    .replace(/!\[[^\]]*\]\([^)]*\)/gu, '')
    .replace(/\[([^\]]+)\]\([^)]*\)/gu, '$1')
    .replace(/\[([^\]]+)\]\[[^\]]*\]/gu, '$1')
    .replace(/<(https?:[^>]+)>/gu, '$1')
    .replace(/(\*\*|__)(?=\S)([\s\S]*?\S)\1/gu, '$2')
    .replace(/(^|[^\p{L}\p{N}*_])([*_])(?=\S)([^*_]*?\S)\2(?![\p{L}\p{N}])/gu, '$1$3')
    .replace(/`([^`]+)`/gu, '$1')
    .replace(/\\([\\`*_{}[\]()#+\-.!])/gu, '$1')
    .trim();
}
