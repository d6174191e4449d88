import type { Analyzer } from '../text/analyze.js';

/** One content word of the question, with the index terms that count as the same word and its weight. */
export interface QuestionTerm {
  term: string;
  /** The term, its synonyms and translations (index terms). */
  equivalents: string[];
  /** Highest idf among the equivalents that occur in the corpus; the maximum idf when none does. */
  weight: number;
  /** Whether any equivalent occurs in the corpus. */
  known: boolean;
}

/** What weighing needs from the lexical index. */
export interface TermStats {
  df(term: string): number;
  idf(term: string): number;
}

/**
 * Weighs the question's own content words (not the expansions): coverage is then "how many of the asked
 * words does this text speak about", comparable across question lengths and independent of how many
 * synonyms the table happens to list for a word.
 */
export function weighQuestion(analyzer: Analyzer, stats: TermStats, text: string): QuestionTerm[] {
  // A term that occurs nowhere gets the idf of an unseen word: unknown words are the most specific ones.
  const unseenIdf = stats.idf('\u0000unseen');
  return analyzer.contentTerms(text).map((term) => {
    const equivalents = analyzer.equivalents(term);
    const inCorpus = equivalents.filter((t) => stats.df(t) > 0);
    return {
      term,
      equivalents,
      known: inCorpus.length > 0,
      weight: inCorpus.length > 0 ? Math.max(...inCorpus.map((t) => stats.idf(t))) : unseenIdf,
    };
  });
}

/** idf-weighted share (0–1) of the known question terms that the term set contains (or an equivalent of). */
export function coverageOf(question: QuestionTerm[], present: ReadonlySet<string>): number {
  let total = 0;
  let hit = 0;
  for (const q of question) {
    if (!q.known) continue;
    total += q.weight;
    if (q.equivalents.some((t) => present.has(t))) hit += q.weight;
  }
  return total > 0 ? hit / total : 0;
}
