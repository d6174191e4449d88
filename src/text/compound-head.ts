/** Shortest head worth matching (letters); the modifier before it must keep at least 3 letters. */
const MIN_HEAD = 4;
const MIN_MODIFIER = 3;

/**
 * The longest suffix of a term that the index knows ("lendenkorset" → "korset", "corticoidinjectie" →
 * "injectie"). Dutch compounds carry their meaning in the head, so for a compound the splitter did not know
 * the head stands in for the word. Undefined when no suffix is known.
 * @param known whether an index term occurs in the corpus (e.g. `t => bm25.df(t) > 0`).
 */
export function compoundHead(term: string, known: (t: string) => boolean): string | undefined {
  for (let i = MIN_MODIFIER; i <= term.length - MIN_HEAD; i++) {
    const suffix = term.slice(i);
    if (known(suffix)) return suffix;
  }
  return undefined;
}
