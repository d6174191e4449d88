import { createRequire } from 'node:module';
import { z } from 'zod';
import { AppError } from '../errors.js';

/**
 * One normalisation step before every check (red flags, injection, answerability, intent, retrieval), so
 * they all see the same text and a character trick defeats none of them:
 *
 * 1. Unicode NFKC (full-width letters, ligatures and compatibility forms become plain letters);
 * 2. invisible characters removed (zero-width spaces/joiners, soft hyphens, bidi controls, BOM);
 * 3. Latin look-alikes from other scripts folded (`confusables.json`: Cyrillic "о", Greek "ο" → "o");
 * 4. separators collapsed: `negeer_alle_instructies`, `negeer.alle.instructies` → words with spaces,
 *    letter chains `i.g.n.o.r.e`, `i-g-n-o-r-e`, `i g n o r e` → `ignore`;
 * 5. (`plain` only) quotes, brackets and markup around words stripped: `"cannabis"`, `(cannabis)`,
 *    `«cannabis»`, `<b>cannabis</b>`, `*cannabis*` all read `cannabis`;
 * 6. (`plain` only) Flemish tussentaal and chat spellings of function words read as the standard words
 *    (`colloquial.json`: "ne foto" → "een foto", "da" → "dat", "nie" → "niet", "kheb" → "ik heb").
 */

const ConfusablesSchema = z.strictObject({
  version: z.number().int().positive(),
  why: z.string().min(1),
  map: z.record(z.string().length(1), z.string().min(1).max(2)),
});

/** A look-alike table: one source character → its Latin reading. */
export type Confusables = ReadonlyMap<string, string>;

/**
 * Validates a confusables table (parsed JSON).
 * @throws AppError('config_error') naming the first problem.
 */
export function parseConfusables(json: unknown): Confusables {
  return parseWordTable(ConfusablesSchema, json, 'confusables');
}

/** Validates a `{version, why, map}` table and returns its map; the error names the table and the problem. */
function parseWordTable(
  schema: z.ZodType<{ map: Record<string, string> }>,
  json: unknown,
  name: string,
): ReadonlyMap<string, string> {
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError(
      'config_error',
      `Invalid ${name} table at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'bad shape'}`,
    );
  }
  return new Map(Object.entries(parsed.data.map));
}

/** Loads the bundled table (src/understand/confusables.json). */
export function loadConfusables(): Confusables {
  const require = createRequire(import.meta.url);
  return parseConfusables(require('./confusables.json'));
}

// Immutable after load: the table is data shipped with the code, read once.
const DEFAULT_CONFUSABLES = loadConfusables();

const ColloquialSchema = z.strictObject({
  version: z.number().int().positive(),
  why: z.string().min(1),
  // Keys are single lowercase words (an apostrophe allowed: "m'n"); values the standard words.
  map: z.record(z.string().regex(/^[\p{Ll}']+$/u, 'a key is one lowercase word'), z.string().min(1)),
});

/** Colloquial spelling → standard words (one lowercase word → one or more words). */
export type Colloquial = ReadonlyMap<string, string>;

/**
 * Validates a colloquial-spelling table (parsed JSON).
 * @throws AppError('config_error') naming the first problem.
 */
export function parseColloquial(json: unknown): Colloquial {
  return parseWordTable(ColloquialSchema, json, 'colloquial');
}

/** Loads the bundled table (src/understand/colloquial.json). */
export function loadColloquial(): Colloquial {
  const require = createRequire(import.meta.url);
  return parseColloquial(require('./colloquial.json'));
}

// Immutable after load, like the confusables.
const DEFAULT_COLLOQUIAL = loadColloquial();

/**
 * Replaces colloquial spellings of whole words by their standard form ("ne foto, heeft da zin?" → "een foto,
 * heeft dat zin?"). A word in capitals ("DA", "NIE") is left alone: it is more likely an abbreviation.
 * A capitalised word keeps its capital ("Kheb" → "Ik heb").
 */
export function standardWords(plain: string, colloquial: Colloquial = DEFAULT_COLLOQUIAL): string {
  if (colloquial.size === 0) return plain;
  return plain.replace(/(?<![\p{L}\p{N}'])[\p{L}']+(?![\p{L}\p{N}])/gu, (word) => {
    if (word.length > 1 && word === word.toUpperCase()) return word;
    const standard = colloquial.get(word.toLowerCase());
    if (standard === undefined) return word;
    return word[0] === word[0]?.toUpperCase() && word[0] !== word[0]?.toLowerCase()
      ? standard[0]?.toUpperCase() + standard.slice(1)
      : standard;
  });
}

/** A lowercase, diacritic-folded word of the plain text and the clause (sentence part) it stands in. */
export interface Token {
  text: string;
  /** Index of the clause: sentence punctuation (. ! ? ; :) and line breaks separate clauses; commas and dashes do not. */
  clause: number;
}

/** The same input at the levels the checks need. */
export interface Normalized {
  /** The input as received. */
  raw: string;
  /** NFKC, invisibles removed, look-alikes folded, separators collapsed; markup kept (role markers are evidence). */
  clean: string;
  /** `clean` with quotes, brackets and markup around words stripped: what matching, intent and retrieval see. */
  plain: string;
  /** Lowercase, diacritic-folded tokens of `plain` (`can't` → `can not`, decimals such as `38,5` kept whole). */
  tokens: Token[];
}

// Zero-width space/non-joiner/joiner, LRM/RLM, word joiner, invisible operators, soft hyphen, Mongolian vowel
// separator, combining grapheme joiner, bidi embeddings/isolates, BOM, Hangul fillers, variation selectors.
const INVISIBLE = new RegExp(
  // eslint-disable-next-line no-misleading-character-class -- the class lists invisible marks on purpose, to remove them
  '[\\u00AD\\u034F\\u061C\\u115F\\u1160\\u17B4\\u17B5\\u180B-\\u180E\\u200B-\\u200F\\u202A-\\u202E\\u2060-\\u2064\\u2066-\\u206F\\u3164\\uFE00-\\uFE0F\\uFEFF\\uFFA0]',
  'gu',
);

/** Removes invisibles, applies NFKC and folds look-alikes; nothing else. */
export function cleanText(text: string, confusables: Confusables = DEFAULT_CONFUSABLES): string {
  let out = text.normalize('NFKC').replace(INVISIBLE, '');
  let folded = '';
  for (const ch of out) folded += confusables.get(ch) ?? ch;
  out = folded.replace(/[’‘`´′]/g, "'").replace(/[‐‑‒–—―]/g, (d) => (d === '‐' || d === '‑' ? '-' : ' — '));
  return collapseSeparators(out);
}

/** `a_b` → `a b`; `woord.woord` → `woord woord`; letter chains `i.g.n.o.r.e` / `i-g-n-o-r-e` / `i g n o r e` → `ignore`. */
function collapseSeparators(text: string): string {
  let out = text.replace(/(?<=[\p{L}\p{N}])_+(?=[\p{L}\p{N}])/gu, ' ').replace(/_{2,}/g, ' ');
  // Single letters joined by one repeated separator (at least four letters, so "a. b." lists stay).
  out = out.replace(/(?<![\p{L}\p{N}])\p{L}(?:([.\-_ ])\p{L}){3,}(?![\p{L}\p{N}])/gu, (m) =>
    m.replace(/[.\-_ ]/g, ''),
  );
  // A dot glued between two words ("negeer.alle") separates them; abbreviations like "o.a." have single letters.
  out = out.replace(/(?<=\p{L}{2})\.(?=\p{L}{2})/gu, ' ');
  return out.replace(/[ \t\u00A0]+/g, ' ');
}

/** Strips quotes, brackets and markup around words: what is left is the words themselves. */
export function plainText(clean: string): string {
  return (
    clean
      .replace(/<\/?[a-z][^<>]{0,60}>/gi, ' ')
      .replace(/[“”„‟"«»‹›‚]/g, ' ')
      // An apostrophe stays inside a word ("can't", "baby's") and as Dutch "'s"/"'t" ("'s nachts").
      .replace(/'/g, (_m, at: number, s: string) => (keepApostrophe(s, at) ? "'" : ' '))
      .replace(/[()[\]{}<>*~|^=\\]+/g, ' ')
      .replace(/(?<![\p{L}\p{N}])#+|#+(?![\p{L}\p{N}])/gu, ' ')
      .replace(/(?<![\p{L}\p{N}])_+|_+(?![\p{L}\p{N}])/gu, ' ')
      .replace(/[ \t\u00A0]+/g, ' ')
      .replace(/ ([?!.,;:])/g, '$1')
      .trim()
  );
}

function keepApostrophe(s: string, at: number): boolean {
  const before = s[at - 1] ?? ' ';
  const after = s[at + 1] ?? ' ';
  const letter = (c: string): boolean => /[\p{L}\p{N}]/u.test(c);
  if (letter(before) && letter(after)) return true;
  return !letter(before) && /^[st](?![\p{L}\p{N}])/iu.test(s.slice(at + 1)) && (s[at + 2] ?? ' ') === ' ';
}

/** Lowercase, diacritics removed (ë → e), "can't" → "can not". */
export function foldForMatch(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/\bcan't\b/g, 'can not')
    .replace(/\bcannot\b/g, 'can not')
    .replace(/\bwon't\b/g, 'will not')
    .replace(/n't\b/g, ' not');
}

/** Tokens of a plain text with their clause index; decimals ("38,5", "2.5") stay one token. */
export function tokenize(plain: string): Token[] {
  const folded = foldForMatch(plain);
  const tokens: Token[] = [];
  let clause = 0;
  // A full stop ends a clause only after a word and before a space ("o.a." and "2.5" do not).
  const re = /\d+(?:[.,]\d+)+|[\p{L}\p{N}]+|(?<=(?:[\p{L}\p{N}]{2}|\d))\.(?=\s|$)|[!?;:\n]/gu;
  for (const m of folded.matchAll(re)) {
    if (!/[\p{L}\p{N}]/u.test(m[0])) {
      clause++;
      continue;
    }
    tokens.push({ text: m[0], clause });
  }
  return tokens;
}

/** Normalises a text once for every later check. */
export function normalize(
  text: string,
  confusables: Confusables = DEFAULT_CONFUSABLES,
  colloquial: Colloquial = DEFAULT_COLLOQUIAL,
): Normalized {
  const clean = cleanText(text, confusables);
  const plain = standardWords(plainText(clean), colloquial);
  return { raw: text, clean, plain, tokens: tokenize(plain) };
}
