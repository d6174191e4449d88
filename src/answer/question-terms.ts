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

/**
 * Words that ask for an answer rather than name its topic ("Vertel wat de bronnen zeggen over …", "Geef een
 * overzicht van …"): they are not evidence for or against the corpus answering.
 */
const REQUEST_WORDS =
  'vertel vertellen geef overzicht bron bronnen zeggen zegt zeg uitleggen leg samenvatten vat beschrijf noem ' +
  'explain tell summarize summarise give overview sources source say says describe';

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
  const frame = new Set(analyzer.contentTerms(REQUEST_WORDS));
  return analyzer.contentTerms(text).filter((term) => !frame.has(term)).map((term) => {
    let equivalents = analyzer.equivalents(term);
    if (!equivalents.some((t) => stats.df(t) > 0)) {
      // A compound the splitter did not know ("lendenkorset", "loopschema"): Dutch compounds carry their
      // meaning in the head, so the longest known suffix stands in for the word.
      const head = compoundHead(term, stats);
      if (head) equivalents = [term, ...analyzer.equivalents(head)];
    }
    const inCorpus = equivalents.filter((t) => stats.df(t) > 0);
    return {
      term,
      equivalents,
      known: inCorpus.length > 0,
      weight: inCorpus.length > 0 ? Math.max(...inCorpus.map((t) => stats.idf(t))) : unseenIdf,
    };
  });
}

/** Shortest head: 4 letters; the modifier before it must keep at least 3 letters. */
const MIN_HEAD = 4;
const MIN_MODIFIER = 3;

/** The longest suffix of an unknown term that is an index term, if any ("lendenkorset" → "korset"). */
function compoundHead(term: string, stats: TermStats): string | undefined {
  for (let i = MIN_MODIFIER; i <= term.length - MIN_HEAD; i++) {
    const suffix = term.slice(i);
    if (stats.df(suffix) > 0) return suffix;
  }
  return undefined;
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
