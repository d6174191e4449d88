/**
 * Dutch sentence splitting over cleaned text (see corpus/clean.ts): hard-wrapped lines are already joined
 * there, so every remaining line break is structural and ends a sentence — headings, bullet items and
 * reference lines are sentences of their own.
 */

/** A span [start, end) into the text that was split. */
export interface SentenceSpan {
  start: number;
  end: number;
}

/**
 * Abbreviations (lower case, with their final period) after which a period does not end the sentence.
 * Multi-letter dotted forms like "o.a.", "d.w.z." and "i.f.v." are recognized by shape as well.
 */
const ABBREVIATIONS: ReadonlySet<string> = new Set([
  'bv.',
  'bijv.',
  'vb.',
  'o.a.',
  'e.d.',
  'enz.',
  'etc.',
  'e.a.',
  'dr.',
  'drs.',
  'prof.',
  'mr.',
  'mevr.',
  'dhr.',
  'i.e.',
  'e.g.',
  'vs.',
  'fig.',
  'tab.',
  'nr.',
  'nrs.',
  'cf.',
  'ca.',
  'p.',
  'pp.',
  'vol.',
  'jr.',
  'resp.',
  'incl.',
  'excl.',
  'max.',
  'min.',
  'ong.',
  'zgn.',
  'zg.',
  'm.a.w.',
  'd.w.z.',
  't.o.v.',
  'i.p.v.',
  'i.f.v.',
  'a.d.h.v.',
  'n.a.v.',
  'm.b.t.',
  'm.n.',
  'o.b.v.',
  'al.',
]);

/** Abbreviations that often close a list at the end of a sentence: split after them when a capital follows. */
const SENTENCE_FINAL_ABBREVIATIONS: ReadonlySet<string> = new Set(['enz.', 'etc.', 'e.d.', 'e.a.']);

/** Sentence-final punctuation followed by any closing brackets/quotes and further final punctuation. */
const TERMINATOR_RE = /[.!?…][.!?…"'”’»)\]]*/gu;

/**
 * Splits `text` into sentences. Returns spans in order, non-overlapping and trimmed of whitespace; every
 * non-whitespace character lies in exactly one span.
 *
 * A sentence ends at a line break, or at . ! ? … (plus closing quotes/brackets) followed by whitespace and
 * a character that is not a lower-case letter — except after an abbreviation (bv., o.a., et al., dr., …), an
 * initial ("David D. Clarke") or a list number at the start of a line ("1. Hartvigsen …"). Decimals (2,5 /
 * 0.3), "n=40", "p<0,05" and citations "(1,2)." need no special case: they contain no period followed by
 * whitespace, or end the sentence where they should.
 */
export function splitSentences(text: string): SentenceSpan[] {
  const spans: SentenceSpan[] = [];
  const push = (a: number, b: number): void => {
    while (a < b && /\s/u.test(text[a] as string)) a++;
    while (b > a && /\s/u.test(text[b - 1] as string)) b--;
    if (b > a) spans.push({ start: a, end: b });
  };
  const lineBreak = /[\n\r\u2028\u2029]/gu;
  let lineStart = 0;
  for (;;) {
    const m = lineBreak.exec(text);
    const lineEnd = m ? m.index : text.length;
    let start = lineStart;
    for (const cut of boundariesInLine(text.slice(lineStart, lineEnd))) {
      push(start, lineStart + cut);
      start = lineStart + cut;
    }
    push(start, lineEnd);
    if (!m) break;
    lineStart = lineEnd + 1;
  }
  return spans;
}

/** Offsets (relative to `line`) just after each sentence terminator that ends a sentence. */
function boundariesInLine(line: string): number[] {
  const cuts: number[] = [];
  for (const m of line.matchAll(TERMINATOR_RE)) {
    const end = m.index + m[0].length;
    const rest = line.slice(end);
    const next = /^\s+(\S)/u.exec(rest);
    // Only a terminator followed by whitespace and more text can end a sentence mid-line.
    if (!next) continue;
    const nextChar = next[1] as string;
    if (/\p{Ll}/u.test(nextChar)) continue;
    if (m[0] === '.' && !periodEndsSentence(line, m.index, nextChar)) continue;
    cuts.push(end);
  }
  return cuts;
}

/** Decides for a lone period at `dot` whether it ends the sentence (abbreviations, initials, list numbers). */
function periodEndsSentence(line: string, dot: number, nextChar: string): boolean {
  const before = line.slice(0, dot + 1);
  const raw = (/\S+$/u.exec(before)?.[0] ?? '').replace(/^[("'“‘[]+/u, '');
  const token = raw.toLowerCase();
  if (ABBREVIATIONS.has(token) || /^(?:\p{L}\.){2,}$/u.test(token)) {
    if (token === 'al.' && !/\bet\s+al\.$/iu.test(before)) return true;
    return SENTENCE_FINAL_ABBREVIATIONS.has(token) && /\p{Lu}/u.test(nextChar);
  }
  // An initial: a single capital letter ("David D. Clarke", "Grosdent S.").
  if (/^\p{Lu}\.$/u.test(raw)) return false;
  // A list number at the start of the line ("1. Hartvigsen J, …").
  if (/^\d{1,3}\.$/u.test(token) && before.trimStart().length === token.length) return false;
  return true;
}
