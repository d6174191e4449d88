import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { factRecall } from '../../src/eval/metrics.js';

/** Shared by the eval-set tests: the corpus texts and the rule under which a fact counts as verbatim. */

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CORPUS = path.join(ROOT, 'corpus');

/** Original corpus texts by file name (read once; the corpus is tiny). */
export const originals = new Map(
  readdirSync(CORPUS)
    .filter((f) => f.endsWith('.txt'))
    .map((f) => [f, readFileSync(path.join(CORPUS, f), 'utf8')] as const),
);

/**
 * Light normalizations of a source text under which a fact must be findable: line breaks collapsed,
 * and line-break hyphenation either removed ("bio-psycho-\nsociale" → "biopsychosociale") or kept
 * ("KCE-\nrichtlijn" → "KCE-richtlijn"), since the cleaner may do either. Diacritic/OCR folding
 * (é vs ë) and case are handled by factRecall's own normalization.
 */
export function variants(text: string): string[] {
  return [text, text.replace(/-[ \t]*\n\s*/g, ''), text.replace(/-[ \t]*\n\s*/g, '-')];
}

/** Whether a fact group has an alternative that occurs in one of the named source files. */
export function factInSources(group: readonly string[], sources: readonly string[]): boolean {
  const texts = sources.flatMap((s) => variants(originals.get(s) ?? ''));
  return texts.some((t) => factRecall(t, [group]).recalled === 1);
}

/** Whether one alternative, on its own, occurs in one of the named source files. */
export function phraseInSources(phrase: string, sources: readonly string[]): boolean {
  return factInSources([phrase], sources);
}
