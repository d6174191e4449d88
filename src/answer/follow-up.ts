/**
 * Follow-up resolution: an elliptical question in a conversation ("En bij chronische pijn?", "Hoeveel
 * deelnemers waren er?", "Is dat ook zo bij ouderen?") is completed with the topic words of the previous
 * questions so retrieval knows what it is about. Only previous *questions* are used, never answers: answers
 * hold quotes whose words would drag retrieval towards whatever was quoted last.
 */

/** One previous exchange of a conversation. */
export interface Turn {
  question: string;
  answer: string;
}

/** Result of {@link resolveFollowUp}. */
export interface FollowUpResolution {
  /** Text to retrieve with: the question, plus the carried topic words when it is a follow-up. */
  query: string;
  /** True when the question was completed from the history (`carried` is non-empty). */
  isFollowUp: boolean;
  /** Words carried over from previous questions, in their surface form (readable), oldest first. */
  carried: string[];
}

/** Openers of an elliptical follow-up ("En bij …?", "What about …?", "Ook bij …?"). */
const OPENER =
  /^\s*(?:en|and|ook|also|maar|but|of|or|dus|so|what about|how about|wat (?:dan )?met|hoe zit (?:het|dat) (?:dan )?met|geldt dat|idem)(?![\p{L}\p{N}])/iu;
/** Pronouns and demonstratives that point back to the previous topic. */
// prettier-ignore
const ANAPHORS = new Set([
  'dat', 'die', 'dit', 'deze', 'het', 'daar', 'daarvan', 'daarbij', 'daarmee', 'daarvoor', 'daartegen', 'daarover',
  'hiervan', 'hierbij', 'hiermee', 'hierover', 'hetzelfde', 'ervan', 'erbij', 'ermee', 'ze', 'zij', 'hij',
  'it', 'that', 'this', 'these', 'those', 'they', 'them', 'there', 'same',
]);
/** A question with an opener but more than this many content words stands on its own. */
const MAX_WORDS_WITH_OPENER = 3;
/** A question with an anaphor but more than this many content words stands on its own. */
const MAX_WORDS_WITH_ANAPHOR = 3;
/** Any question with at most this many content words leans on the conversation. */
const MAX_WORDS_BARE = 2;
/** Topic words kept from the conversation (the most recent ones). */
const MAX_TOPIC_WORDS = 10;

/**
 * Slots a follow-up may fill with a new value: "En bij chronische pijn?" after a question about acute pain
 * replaces "acute", it does not add to it. A carried word is dropped when the new question names another
 * word of its slot.
 */
// prettier-ignore
const SLOTS: readonly (readonly string[])[] = [
  ['acuut', 'acute', 'subacuut', 'subacute', 'chronisch', 'chronische', 'chronic', 'langdurig', 'langdurige', 'kortdurend', 'kortdurende', 'persistent', 'persisterende'],
  ['ouderen', 'oudere', 'bejaarden', 'kinderen', 'kind', 'jongeren', 'adolescenten', 'volwassenen', 'volwassene', 'zwangeren', 'zwangere', 'sporters', 'werknemers', 'elderly', 'older', 'children', 'adolescents', 'adults', 'pregnant', 'athletes', 'workers'],
];
/** Question-frame verbs that say how the previous question asked, not what it was about. */
const FRAME_WORDS = new Set([
  'helpt',
  'helpen',
  'help',
  'helps',
  'werkt',
  'werken',
  'work',
  'works',
  'zinvol',
  'nuttig',
  'useful',
  // "Is X nodig?", "Is X aangewezen?": how the question asked, not what about (else "Waarom niet?" after
  // "rx nodig bij lumbago?" finds sentences about what is "nodig").
  'nodig',
  'noodzakelijk',
  'aangewezen',
  'verstandig',
  'needed',
  'necessary',
  'advisable',
  // "… resultaat?" then "Hoe zag dat programma eruit?": the result was what the first question asked for.
  'resultaat',
  'resultaten',
  'result',
  'results',
  'uitkomst',
  'uitkomsten',
  'outcome',
  'outcomes',
]);

/**
 * Resolves an elliptical follow-up against the conversation.
 *
 * A question is a follow-up when the history is non-empty and it (a) opens with "en/and/ook/what about…"
 * and has at most 3 content words, (b) contains an anaphor used as a pronoun ("Is dat ook zo…", "Does it…")
 * and has at most 3 content words, or (c) has at most 2 content words (words yielding a content term). The topic of the conversation is the
 * content words of the most recent question that had any, itself completed the same way when it was a
 * follow-up. Carried words keep their surface form so `query` stays readable; words all of whose terms the
 * new question already has, question-frame verbs ("helpt"), and words of a slot the new question fills anew
 * (acute ↔ chronic, ouderen ↔ kinderen) are not carried. A standalone question is returned unchanged.
 *
 * @param contentTerms the analyzer's content terms (stemmed, stopwords removed) of a text.
 */
export function resolveFollowUp(
  question: string,
  history: Turn[],
  contentTerms: (t: string) => string[],
): FollowUpResolution {
  const standalone: FollowUpResolution = { query: question, isFollowUp: false, carried: [] };
  if (history.length === 0 || !isElliptical(question, contentTerms)) return standalone;
  const topic = conversationTopic(history, contentTerms);
  const carried = carry(topic, question, contentTerms);
  if (carried.length === 0) return standalone;
  return { query: `${question.trim()} ${carried.join(' ')}`, isFollowUp: true, carried };
}

/** Whether a question leans on the conversation (see {@link resolveFollowUp}). */
function isElliptical(question: string, contentTerms: (t: string) => string[]): boolean {
  // Counted in words, not terms: the analyzer also emits compound parts ("rugpijn" → rugpijn, rug, pijn).
  const words = contentWords(question, contentTerms).length;
  if (words <= MAX_WORDS_BARE) return true;
  if (OPENER.test(question) && words <= MAX_WORDS_WITH_OPENER) return true;
  return (hasPronounAnaphor(question, contentTerms) || hasDemonstrative(question)) && words <= MAX_WORDS_WITH_ANAPHOR;
}

/** Demonstratives: as a determiner too ("Hoe zag dat programma eruit?", "die mensen") they point back. */
const DEMONSTRATIVES = new Set(['dat', 'die', 'dit', 'deze', 'that', 'this', 'these', 'those']);

/** A demonstrative determiner and the noun it points back with, an adjective in between ("dat nieuwe programma"). */
const POINTED_BACK = /(?<![\p{L}\p{N}])(?:dat|die|dit|deze|that|this|these|those)\s+(?:\p{L}+e\s+)?\p{L}+/giu;

/**
 * The question without the nouns it points back with: in "Hoe zag dat programma eruit?" the programme is
 * the previous answer's subject, not a new one. "En hun leeftijd?" keeps "leeftijd".
 */
export function withoutPointedBack(question: string): string {
  return question.replace(POINTED_BACK, ' ');
}

/** Whether a short question uses a demonstrative (pronoun or determiner); see {@link isElliptical}. */
function hasDemonstrative(question: string): boolean {
  return wordsOf(question).some((w) => DEMONSTRATIVES.has(w.toLowerCase()));
}

/**
 * An anaphor used as a pronoun: not directly followed by a content word. "Is dat ook zo?" points back;
 * "maken dat rugpijn chronisch wordt" (conjunction) and "het KCE" (article) do not.
 */
function hasPronounAnaphor(question: string, contentTerms: (t: string) => string[]): boolean {
  const tokens = wordsOf(question);
  return tokens.some((token, i) => {
    if (!ANAPHORS.has(token.toLowerCase())) return false;
    const next = tokens[i + 1];
    return next === undefined || contentTerms(next).length === 0;
  });
}

/** Topic words of the conversation so far: a forward pass that completes elliptical questions as it goes. */
function conversationTopic(history: Turn[], contentTerms: (t: string) => string[]): string[] {
  let topic: string[] = [];
  for (const turn of history) {
    const own = contentWords(turn.question, contentTerms);
    // A question without content ("Waarom?", an injection attempt) does not change the topic.
    if (own.length === 0) continue;
    topic =
      topic.length > 0 && isElliptical(turn.question, contentTerms)
        ? [...carry(topic, turn.question, contentTerms), ...own].slice(-MAX_TOPIC_WORDS)
        : own;
  }
  return topic;
}

/** The topic words a question does not already cover, minus frame verbs and replaced slot values. */
function carry(topic: string[], question: string, contentTerms: (t: string) => string[]): string[] {
  const ownTerms = new Set(contentTerms(question));
  const ownWords = new Set(wordsOf(question).map((w) => w.toLowerCase()));
  const filledSlots = SLOTS.filter((slot) => slot.some((w) => ownWords.has(w)));
  return topic.filter((word) => {
    const lower = word.toLowerCase();
    if (FRAME_WORDS.has(lower)) return false;
    if (filledSlots.some((slot) => slot.includes(lower))) return false;
    // Carried unless the question already covers all its terms: "lagerugpijn" still adds to "chronische pijn".
    return !contentTerms(word).every((t) => ownTerms.has(t));
  });
}

/** Words of a text whose analysis yields a content term, in surface form, deduplicated case-insensitively. */
function contentWords(text: string, contentTerms: (t: string) => string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const word of wordsOf(text)) {
    const key = word.toLowerCase();
    if (seen.has(key) || contentTerms(word).length === 0) continue;
    seen.add(key);
    out.push(word);
  }
  return out;
}

/** Word tokens (letters, digits, inner hyphens and apostrophes: "KCE-richtlijn", "NSAID's"). */
function wordsOf(text: string): string[] {
  return text.normalize('NFC').match(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu) ?? [];
}
