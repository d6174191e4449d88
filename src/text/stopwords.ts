import { createRequire } from 'node:module';
import { z } from 'zod';

/**
 * Stopwords for a Dutch corpus queried in Dutch or English.
 *
 * Base lists come from stopwords-iso (`nl`, `en`). The English list is very broad (it contains "back",
 * "low", "effect", "help", "work", and Dutch content words such as "been" (leg), "kind" (child), "begin",
 * "index", "test"), so words that matter for back-pain questions or that are Dutch content words are kept.
 *
 * Negation ("niet", "geen") stays a stopword: it occurs in almost every passage (no BM25 signal), and
 * counting it as a content word would make "is dat niet zo?" look like an answerable question. Stance and
 * negation are judged on the raw sentence text by the answer stage, not on index terms.
 */

const require = createRequire(import.meta.url);
const IsoSchema = z.object({ nl: z.array(z.string()), en: z.array(z.string()) });

/** Dutch stopwords that carry clinical meaning (certainty of evidence, timing). */
const KEEP_NL = ['onzeker', 'vroeg'];

/** English stopwords that are back-pain vocabulary or Dutch content words; never dropped. */
const KEEP_EN = [
  // clinical / question vocabulary
  ...words('back backs low lower high higher effect help helps work works working worked significant'),
  ...words('significantly research results resulted problem problems test early long longer old older young'),
  ...words('younger year years serious seriously side sides run ran move stop useful best better home group'),
  ...words('groups first free cause causes affected important information immediately course necessary'),
  ...words('weight bottom right left sit walk rest'),
  // Dutch content words that happen to be English function words
  ...words('been kind begin gave index last arm bi hand room ring world'),
];

/** Question fillers that are not in the base lists but never carry the topic of a question. */
const EXTRA = [
  // Dutch
  ...words('zit ga gaat gaan ging kom komt weet weten denk denkt zeg zegt graag bedankt dank hallo'),
  ...words('hoi hey oke ok vraag vragen hoeveel hoelang hoevaak hoezo soms nou echt krijg krijgt ding dingen iets'),
  ...words('zin eens'),
  // English
  ...words('hi thank thanks please'),
];

/** Space-separated words → array (keeps the tables compact and readable). */
function words(list: string): string[] {
  return list.split(' ');
}

const iso = IsoSchema.parse(require('stopwords-iso'));

/**
 * Folded lowercase stopwords (Dutch + English minus the keep lists, plus question fillers).
 * Entries with digits are excluded so numbers such as "10" stay searchable.
 */
export const STOPWORDS: ReadonlySet<string> = new Set(
  [...iso.nl.filter((w) => !KEEP_NL.includes(w)), ...iso.en.filter((w) => !KEEP_EN.includes(w)), ...EXTRA]
    .map((w) =>
      w
        .normalize('NFKD')
        .replace(/\p{M}+/gu, '')
        .toLowerCase(),
    )
    .filter((w) => /^\p{L}+$/u.test(w)),
);
