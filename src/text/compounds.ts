/**
 * Dutch compound splitting driven by a small lexicon of domain morphemes.
 *
 * Dutch writes compounds as one word ("lagerugpijn", "oefentherapie", "wervelkolom"), so a query for
 * "rugpijn" would never meet a passage about "lagerugpijn" on whole words alone. The splitter finds the
 * segmentation of a word into known morphemes (optionally joined by a linking morpheme "s", "e" or "en")
 * with the fewest parts. It is generic: there is no list of whole words to split, only parts; a word is
 * split only when EVERY part is a known morpheme, which keeps false splits ("patienten", "behandeling")
 * out without a stop list.
 */

/** One morpheme of the lexicon: its surface form inside compounds and a full word that represents it. */
export interface Morpheme {
  /** Surface form as it occurs inside a compound, folded lowercase (e.g. "oefen"). */
  form: string;
  /**
   * A whole word whose stem is the index term for this part (e.g. "oefening" → stem "oefen"), so that the
   * part of "oefentherapie" and the free word "oefeningen" produce the same term. Defaults to `form`.
   */
  word?: string;
}

/**
 * Curated domain morphemes (folded lowercase, ≥ 3 letters). Heads may also appear inflected at the end of
 * a compound ("rugklachten" → rug + klachten): the last part matches when its stem equals a morpheme's stem.
 * Entries are parts, never whole compounds.
 */
export const DOMAIN_MORPHEMES: readonly Morpheme[] = [
  // Parts whose own stem is the right index term, grouped by topic.
  ...forms(
    'rug nek schouder been bil buik heup knie bekken spier gewricht wervel kolom zenuw wortel tak discus',
  ),
  ...forms('lichaam onder hernia lage'),
  ...forms(
    'pijn klacht kramp kracht verlies spanning letsel blessure ziekte stijfheid intensiteit vermindering',
  ),
  ...forms(
    'verlichting score schaal regio stadium ervaring vrij bereik beperking ontsteking episode probleem',
  ),
  ...forms(
    'oefening beweging loop training programma sport activiteit snelheid belasting therapie therapeut',
  ),
  ...forms('fysio yoga pilates stretching houding thuis'),
  ...forms('behandeling zorg zelf werk hervatting plan optie pad strategie advies remmer remmend stiller'),
  ...forms('stillend middel medicatie beeld vorming operatie chirurg chirurgie neuro ingreep injectie'),
  ...forms('infiltratie kunde huis specialist management beheersing richtlijn praktijk rust bed korset'),
  ...forms('groep controle interventie studie protocol kwaliteit leven gezondheid kennis fase dag verzuim'),
  ...forms('preventie revalidatie verlener foto scan schijn placebo basis specifiek mogelijkheid educatie'),
  ...forms('voorlichting school standaard conservatief'),
  // Bound forms (verb stems, prefixes) represented by a full word, so the part meets the free word.
  { form: 'oefen', word: 'oefening' },
  { form: 'beweeg', word: 'bewegen' },
  { form: 'hardloop', word: 'hardlopen' },
  { form: 'wandel', word: 'wandelen' },
  { form: 'behandel', word: 'behandeling' },
  { form: 'genees', word: 'geneesmiddel' },
  { form: 'kinesi', word: 'kinesist' },
  // "arts" stems to "art" but its plural to "arts"; the plural keeps huisarts/huisartsen together.
  { form: 'arts', word: 'artsen' },
];

/** Space-separated forms → morphemes that represent themselves. */
function forms(list: string): Morpheme[] {
  return list.split(' ').map((form) => ({ form }));
}

/** Linking morphemes that may join two parts ("lichaam-s-beweging", "klacht-en-..."), longest first. */
const LINKERS = ['en', 's', 'e', ''] as const;

/** Minimum length of a part in letters: shorter strings match by accident too often. */
const MIN_PART = 3;

/** Words longer than this are not split (URLs, DOIs, OCR run-ons); keeps the DP O(n²) small. */
const MAX_WORD = 48;

/** One part of a split compound. */
export interface CompoundPart {
  /** The part as written in the word, without its linking morpheme (e.g. "lichaam", "klachten"). */
  surface: string;
  /** Linking morpheme written after this part ("s", "e", "en" or ""); always "" for the last part. */
  linker: string;
  /** Index term for this part: the stem of the morpheme's representative word, or the stem of the head. */
  term: string;
}

export interface CompoundSplitter {
  /**
   * Splits a folded lowercase word into ≥ 2 known parts, or returns undefined when it is not a compound
   * of known morphemes (or is itself a single known morpheme, possibly inflected).
   */
  split(word: string): CompoundPart[] | undefined;
}

/**
 * Creates a splitter over a morpheme lexicon.
 * @param stem Stemmer used for index terms and to recognise inflected heads; should be memoized by the
 *   caller because it is called for every suffix of a candidate word.
 * @param morphemes Lexicon (default {@link DOMAIN_MORPHEMES}).
 */
export function createCompoundSplitter(
  stem: (word: string) => string,
  morphemes: readonly Morpheme[] = DOMAIN_MORPHEMES,
): CompoundSplitter {
  // form → index term. Built once per splitter; read-only afterwards.
  const formTerm = new Map<string, string>();
  // stem → index term, to recognise inflected heads ("klachten" → "klacht").
  const stemTerm = new Map<string, string>();
  for (const m of morphemes) {
    if (m.form.length < MIN_PART) continue;
    const term = stem(m.word ?? m.form);
    formTerm.set(m.form, term);
    stemTerm.set(stem(m.form), term);
    stemTerm.set(term, term);
  }

  /** Index term for `s` as the head (last part) of a compound, or undefined when it is not a known head. */
  const headTerm = (s: string): string | undefined => {
    if (s.length < MIN_PART) return undefined;
    const exact = formTerm.get(s);
    if (exact !== undefined) return exact;
    const st = stem(s);
    return stemTerm.has(st) ? st : undefined;
  };

  return {
    split(word: string): CompoundPart[] | undefined {
      const n = word.length;
      if (n < 2 * MIN_PART || n > MAX_WORD) return undefined;
      // A known simple word (possibly inflected) is not a compound, even if it happens to contain morphemes.
      if (headTerm(word) !== undefined) return undefined;
      // best[i] = fewest-part segmentation of word.slice(i) whose last part is a head; filled right to left.
      const best: (CompoundPart[] | undefined)[] = new Array<CompoundPart[] | undefined>(n + 1).fill(
        undefined,
      );
      for (let i = n - MIN_PART; i >= 0; i--) {
        let choice: CompoundPart[] | undefined;
        const tail = word.slice(i);
        const head = i > 0 ? headTerm(tail) : undefined;
        if (head !== undefined) choice = [{ surface: tail, linker: '', term: head }];
        // A non-final part: an exact morpheme followed by a linker, then a segmentation of the rest.
        for (let j = n - MIN_PART; j >= i + MIN_PART; j--) {
          const term = formTerm.get(word.slice(i, j));
          if (term === undefined) continue;
          for (const linker of LINKERS) {
            if (linker !== '' && !word.startsWith(linker, j)) continue;
            const rest = best[j + linker.length];
            if (rest === undefined) continue;
            // Fewest parts wins; on a tie the earlier (longer-first-part, longer-linker) candidate stays.
            if (choice === undefined || rest.length + 1 < choice.length) {
              choice = [{ surface: word.slice(i, j), linker, term }, ...rest];
            }
          }
        }
        best[i] = choice;
      }
      const result = best[0];
      return result !== undefined && result.length >= 2 ? result : undefined;
    },
  };
}
