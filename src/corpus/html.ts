import { parse, type DefaultTreeAdapterTypes } from 'parse5';
import { TextBuilder, type HeadingSpan } from './text-builder.js';

type Node = DefaultTreeAdapterTypes.ChildNode | DefaultTreeAdapterTypes.Document;
type Element = DefaultTreeAdapterTypes.Element;

/** What {@link extractHtml} returns. */
export interface HtmlExtract {
  text: string;
  headings: HeadingSpan[];
  /** `<title>`, `og:title` or the first `<h1>`, in that order of preference reversed: h1 first. */
  title?: string;
  /** Publisher hints: `og:site_name`, `<meta name="author">`, `<meta name="publisher">`. */
  publisher?: string;
  /** `article:published_time`, `<meta name="date">`, `<time datetime>` (first one found). */
  date?: string;
}

/** Elements whose content is never document text (code, styling, page chrome, forms, embedded media). */
const DROPPED = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'svg',
  'canvas',
  'iframe',
  'object',
  'embed',
  'video',
  'audio',
  'nav',
  'header',
  'footer',
  'aside',
  'form',
  'button',
  'select',
  'input',
  'textarea',
  'dialog',
  'menu',
  'head',
]);
/** ARIA landmark roles of page chrome. */
const DROPPED_ROLES = new Set([
  'navigation',
  'banner',
  'contentinfo',
  'complementary',
  'search',
  'menu',
  'menubar',
  'dialog',
  'alert',
]);
/** class/id words of boilerplate blocks that sites put in plain divs. */
const BOILERPLATE_RE =
  /(?:^|[\s_-])(?:cookie|cookies|consent|breadcrumbs?|skip-?link|share|social|newsletter|menu|navbar|sidebar|site-?header|site-?footer)(?:$|[\s_-])/iu;
/** Block-level elements: each starts a new paragraph. */
const BLOCKS = new Set([
  'p',
  'div',
  'section',
  'article',
  'main',
  'blockquote',
  'pre',
  'figure',
  'figcaption',
  'table',
  'tr',
  'dl',
  'dt',
  'dd',
  'address',
  'details',
  'summary',
  'body',
  'caption',
  'fieldset',
  'center',
]);
const LISTS = new Set(['ul', 'ol']);

/**
 * HTML → text through parse5 (a spec-compliant HTML parser). Only the `<main>` (or, failing that, the
 * single `<article>`) is read when the page has one; script, style, nav, header, footer, aside, forms and
 * landmark/cookie/menu blocks are dropped. `<h1>`–`<h6>` become headings, list items get a bullet line,
 * table cells are separated by " | ", `<br>` keeps a line break.
 */
export function extractHtml(source: string): HtmlExtract {
  const doc = parse(source);
  const html = findFirst(doc, (e) => e.tagName === 'html');
  const head = html && findFirst(html, (e) => e.tagName === 'head');
  const meta = (attr: string, value: string): string | undefined => {
    if (!head) return undefined;
    const el = findFirst(head, (e) => e.tagName === 'meta' && getAttr(e, attr)?.toLowerCase() === value);
    const content = el && getAttr(el, 'content')?.trim();
    return content ? content : undefined;
  };
  const titleEl = head && findFirst(head, (e) => e.tagName === 'title');
  const docTitle = titleEl ? textOf(titleEl).replace(/\s+/gu, ' ').trim() : undefined;

  const body = (html && findFirst(html, (e) => e.tagName === 'body')) ?? doc;
  const mains = findAll(body, (e) => e.tagName === 'main' || getAttr(e, 'role') === 'main');
  const articles = findAll(body, (e) => e.tagName === 'article');
  const root = mains[0] ?? (articles.length === 1 ? articles[0] : undefined) ?? body;

  const out = new TextBuilder();
  const inlineText: string[] = [];
  const flush = () => {
    const joined = inlineText.join('');
    inlineText.length = 0;
    if (joined.includes('\n')) out.paragraph(joined, true);
    else out.paragraph(joined);
  };
  const walk = (node: Node): void => {
    if (node.nodeName === '#text') {
      inlineText.push((node as DefaultTreeAdapterTypes.TextNode).value);
      return;
    }
    if (!('tagName' in node)) {
      if ('childNodes' in node) node.childNodes.forEach(walk);
      return;
    }
    const el = node;
    const tag = el.tagName;
    // Inside <main>/<article> a <header> holds the article's own title and date, not the site's banner.
    const articleHeader = tag === 'header' && root !== body;
    if (isDropped(el) && !articleHeader) return;
    if (tag === 'br') {
      inlineText.push('\n');
      return;
    }
    const level = /^h([1-6])$/u.exec(tag)?.[1];
    if (level) {
      flush();
      out.heading(textOf(el), Number(level));
      return;
    }
    if (tag === 'li') {
      flush();
      inlineText.push('• ');
      el.childNodes.forEach(walk);
      flush();
      return;
    }
    if (tag === 'td' || tag === 'th') {
      if (inlineText.length > 0) inlineText.push(' | ');
      el.childNodes.forEach(walk);
      return;
    }
    const block = BLOCKS.has(tag) || LISTS.has(tag) || articleHeader;
    if (block) flush();
    (tag === 'template' ? [] : el.childNodes).forEach(walk);
    if (block) flush();
  };
  walk(root);
  flush();
  const { text, headings } = out.finish();
  const h1 = headings.find((h) => h.level === 1);
  const title = (h1 ? text.slice(h1.start, h1.end) : undefined) ?? meta('property', 'og:title') ?? docTitle;
  const timeEl = findFirst(root, (e) => e.tagName === 'time' && getAttr(e, 'datetime') !== undefined);
  const date =
    meta('property', 'article:published_time') ??
    meta('name', 'date') ??
    meta('name', 'dcterms.date') ??
    (timeEl ? getAttr(timeEl, 'datetime') : undefined);
  // Sites put their name after the page title ("Rugpijn bij kinderen - UZ Noordkust").
  const siteSuffix =
    docTitle && docTitle !== title ? /\s[-|–—·]\s([^-|–—·]{2,60})$/u.exec(docTitle)?.[1]?.trim() : undefined;
  const publisher =
    meta('property', 'og:site_name') ?? meta('name', 'publisher') ?? meta('name', 'author') ?? siteSuffix;
  return {
    text,
    headings,
    ...(title ? { title } : {}),
    ...(publisher ? { publisher } : {}),
    ...(date ? { date } : {}),
  };
}

function isDropped(el: Element): boolean {
  if (DROPPED.has(el.tagName)) return true;
  if (getAttr(el, 'hidden') !== undefined || getAttr(el, 'aria-hidden') === 'true') return true;
  const role = getAttr(el, 'role');
  if (role && DROPPED_ROLES.has(role)) return true;
  const marks = `${getAttr(el, 'class') ?? ''} ${getAttr(el, 'id') ?? ''}`;
  return BOILERPLATE_RE.test(marks);
}

function getAttr(el: Element, name: string): string | undefined {
  return el.attrs.find((a) => a.name === name)?.value;
}

function childrenOf(node: Node): DefaultTreeAdapterTypes.ChildNode[] {
  if ('tagName' in node && node.tagName === 'template') return [];
  return 'childNodes' in node ? node.childNodes : [];
}

function findFirst(node: Node, pred: (e: Element) => boolean): Element | undefined {
  for (const child of childrenOf(node)) {
    if ('tagName' in child) {
      if (pred(child)) return child;
      const found = findFirst(child, pred);
      if (found) return found;
    }
  }
  return undefined;
}

function findAll(node: Node, pred: (e: Element) => boolean, out: Element[] = []): Element[] {
  for (const child of childrenOf(node)) {
    if ('tagName' in child) {
      if (pred(child)) out.push(child);
      else findAll(child, pred, out);
    }
  }
  return out;
}

/** Visible text of an element (dropped descendants excluded). */
function textOf(node: Node): string {
  if (node.nodeName === '#text') return (node as DefaultTreeAdapterTypes.TextNode).value;
  if ('tagName' in node && isDropped(node)) return '';
  return childrenOf(node).map(textOf).join('');
}
