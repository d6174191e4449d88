/**
 * Language of a question: Dutch (the default, the corpus language) or English. Decided by counting
 * function words (and a few very common domain words) that exist in only one of the two languages;
 * words shared by both ("is", "in", "over", "me", "we", "was", "had", "of") carry no evidence.
 */

/** The languages the assistant answers in. */
export type Language = 'nl' | 'en';

// prettier-ignore
const ENGLISH = new Set([
  'the', 'a', 'an', 'and', 'or', 'to', 'for', 'with', 'from', 'by', 'about', 'on', 'at', 'after', 'before', 'than',
  'are', 'be', 'been', 'being', 'am', 'do', 'does', 'did', 'done', 'have', 'has', 'having', 'should', 'would', 'could',
  'can', 'will', 'shall', 'must', 'may', 'might', 'get', 'gets', 'got',
  'what', 'which', 'when', 'where', 'who', 'whom', 'why', 'how', 'whether', 'if', 'any', 'some', 'such', 'there',
  'i', 'you', 'my', 'your', 'it', 'its', 'this', 'that', 'these', 'those', 'they', 'them', 'their', 'our', 'us', 'she', 'his',
  'not', 'no', 'yes', 'also', 'still', 'just', 'very', 'more', 'most', 'much', 'many', 'often', 'usually', 'own',
  "don't", "doesn't", "can't", "i'm", "it's", "what's", "i've", 'anything', 'something', 'people', 'patient', 'patients',
  'back', 'pain', 'low', 'lower', 'treatment', 'treatments', 'exercise', 'exercises', 'running', 'walking', 'needed',
  'effective', 'worried', 'good', 'best', 'better', 'guideline', 'trial', 'review', 'surgery', 'chronic', 'acute', 'therapy',
]);

// prettier-ignore
const DUTCH = new Set([
  'de', 'het', 'een', 'en', 'van', 'bij', 'voor', 'met', 'naar', 'om', 'te', 'tegen', 'na', 'zonder', 'uit', 'aan', 'op',
  'ik', 'mijn', 'je', 'jij', 'jouw', 'u', 'uw', 'hij', 'zij', 'ze', 'wij', 'ons', 'onze', 'hun', 'mij',
  'wat', 'hoe', 'welke', 'welk', 'wanneer', 'waarom', 'waar', 'wie', 'hoeveel', 'niet', 'geen', 'ook', 'nog', 'al', 'wel',
  'zijn', 'er', 'dat', 'die', 'dit', 'deze', 'wordt', 'worden', 'werd', 'kan', 'kun', 'kunnen', 'moet', 'moeten', 'mag',
  'mogen', 'heeft', 'heb', 'hebben', 'zal', 'zou', 'zullen', 'doe', 'doet', 'gaat', 'gaan', 'zit', 'best', 'nu',
  'dan', 'als', 'maar', 'omdat', 'veel', 'meer', 'vaak', 'gewoon', 'eigenlijk', 'helpt', 'helpen', 'werkt', 'werken',
  'zin', 'nodig', 'rugpijn', 'lagerugpijn', 'pijn', 'lage', 'rug', 'behandeling', 'oefentherapie', 'richtlijn',
  'chronische', 'acute', 'patiënt', 'patiënten', 'studie', 'bewegen',
]);

/**
 * Detects whether a text is English or Dutch. English needs more English-only words than Dutch-only
 * words; anything else (ties, no evidence, a bare "MRI?") is Dutch, the corpus language.
 */
export function detectLanguage(text: string): Language {
  const tokens =
    text
      .normalize('NFC')
      .toLowerCase()
      .replace(/[’‘]/g, "'")
      .match(/[\p{L}']+/gu) ?? [];
  let en = 0;
  let nl = 0;
  for (const raw of tokens) {
    const token = raw.replace(/^'+|'+$/g, '');
    // "acute", "best" are spelled the same in both languages: they count for neither.
    const inEn = ENGLISH.has(token);
    const inNl = DUTCH.has(token);
    if (inEn && !inNl) en++;
    else if (inNl && !inEn) nl++;
  }
  return en > nl ? 'en' : 'nl';
}
