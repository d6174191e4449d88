import type { SourceKind } from '../types.js';
import { population } from './stance.js';

/** What kind of answer a question asks for; steers sentence preference, never the content. */
export interface QuestionIntent {
  /** "Helpt X?", "Is X werkzaam?", "Does X work?" — prefer conclusion sections. */
  efficacy: boolean;
  /** "Hoeveel …?", "How many …?" — prefer the sentence carrying a number. */
  quantity: boolean;
  /** "Wat moet ik doen …?" — prefer recommendations (guideline). */
  advice: boolean;
  /** Asks for a dose, price or cost — things this corpus does not give unless a passage states them. */
  doseOrCost: boolean;
  /** What is counted in a quantity question: "deelnemers" in "Hoeveel deelnemers …", "studies" in "Op hoeveel studies …". */
  quantityFocus?: string;
  /** The treatment a yes/no efficacy question asks about ("Helpt homeopathie …?" → "homeopathie"), as written. */
  efficacyFocus?: string;
  /**
   * The thing a question asks to choose or explain ("welk hoofdkussen …", "de beste stoel", "wat doet een
   * chiropractor"), as written: when the corpus never names it, the question is not answered.
   */
  choiceFocus?: string;
  /** Population the question is about, when it names exactly one (acute or chronic). */
  population?: 'acute' | 'chronic';
  /** Kind of source the question asks about ("volgens het KCE" → guideline), when it names one. */
  sourceKind?: SourceKind;
}

const EFFICACY = /\b(helpt|helpen|help|werkt|werken|werkzaam|werkzaamheid|effectief|effect|effecten|zin|nut|nuttig|baat|zinvol|doeltreffend|aan te raden|aanbevolen|beter|bewijs|bewezen|evidentie|of niet|aangewezen|goed (?:voor|bij|tegen)|works?|effective|effectiveness|benefit|useful|recommended|evidence|proven|or not|good for|worth it|worthwhile)\b/i;
const QUANTITY = /\b(hoeveel|hoe lang|hoelang|hoe vaak|hoevaak|hoe oud|aantal|percentage|welk percentage|how many|how much|how long|how often|number of)\b/i;
const ADVICE = /\b(wat (moet|kan|doe|zeg|raad)|hoe (pak|behandel|ga ik|moet)|advies|adviseren|aanraden|raad je|aanpak|what should|what do i|how should|advice|recommend|manage)\b/i;
// \w*dosis also catches compounds (dagdosis, maximumdosis, onderhoudsdosis).
const DOSE_COST = /\b(mg|milligram|gram|\w*dosis|doses|\w*dosering|doseren|dose|dosage|maximale dosis|prijs|prijzen|kost|kosten|euro|€|terugbetaling|terugbetaald|remgeld|price|cost|costs|reimburse\w*)\b/i;

/** "Hoeveel paracetamol mag …", "hoeveel … per dag": an amount to take, i.e. a dose. */
const HOW_MUCH_MAY = /\b(hoeveel|how much|how many)\b.*\b(mag|mogen|innemen|nemen|slikken|krijgen|geven|per dag|per day|can i take|should i take)\b/i;

/** The noun right after "hoeveel" / "how many" (an adjective may come between: "hoeveel extra ziektedagen"). */
const QUANTITY_FOCUS = /\b(?:hoeveel|how many|aantal)\s+(?:(?:extra|verschillende|andere|nieuwe|different|other)\s+)?(\p{L}{3,})/iu;

/**
 * The word after "Helpt/Werkt/Baat" or "Does/Do … help": the treatment a yes/no question is about. An article
 * is a whole word ("antidepressiva" is not "a" + "ntidepressiva").
 */
const EFFICACY_FOCUS = [
  /^\s*(?:helpt|helpen|werkt|werken|does|do)\s+(?:(?:een|het|de|a|an|the)\s+)?(\p{L}{4,})(?=\s+(?:bij|tegen|voor|help|work|with|for|\?))/iu,
  // "Is zwemmen goed bij rugpijn?", "Zijn opioïden aangewezen …?", "Is yoga effective for …?"
  /^\s*(?:is|zijn|are)\s+(?:(?:een|het|de|a|an)\s+)?(\p{L}{4,})\s+(?:goed|zinvol|nuttig|effectief|werkzaam|aangewezen|aan te raden|good|effective|useful|helpful)\b/iu,
  // "Wat is het effect van acupunctuur …?", "What is the effect of …?"
  /\b(?:effect|nut|werkzaamheid|effectiviteit|effectiveness)\s+(?:van|of)\s+(?:(?:een|het|de|a|an|the)\s+)?(\p{L}{4,})/iu,
];

/** Nouns after "welk(e)" that ask for a number ("welk percentage"), not a choice among things. */
const QUANTITY_NOUN = /^(percentage|procent|deel|aandeel|fractie|proportie|proportion|share|fraction|number)$/i;

/**
 * The word a question asks to choose ("welk(e) X", "de beste X", "which X", "the best X") or to explain
 * ("wat doet/is een X", "what does a X do"). Only the word right after: with an adjective in between
 * ("welke goede matras") the adjective is taken, which the corpus knows, so nothing is refused — telling an
 * adjective from a noun ending in -e ("welke score gaven …") needs more than word shapes.
 */
const CHOICE_FOCUS = [
  /(?<![\p{L}\p{N}])(?:welke?|beste|which|best)\s+(\p{L}{4,})/iu,
  /(?<![\p{L}\p{N}])(?:wat\s+(?:doet|is|zijn|doen)|what\s+(?:does|is|do))\s+(?:een|de|het|a|an|the)\s+(\p{L}{4,})/iu,
];

/**
 * How questions name a kind of source in general words; the first match wins. The names of the loaded
 * sources themselves ("wat zegt het KCE") are matched against the index by `namedSourceKind`.
 */
const SOURCE_KIND_WORDS: [RegExp, SourceKind][] = [
  [/\b(richtlijn\w*|guidelines?)\b/i, 'guideline'],
  [/\b(duiding\w*|evidence summar\w*)\b/i, 'evidence-summary'],
  [/\b(nieuwsbericht\w*|nieuwsartikel\w*|news)\b/i, 'news'],
  [/\b(praktijkartikel\w*|practice articles?)\b/i, 'practice-article'],
];

/** Detects the question's intent from its wording (Dutch and English). */
export function detectIntent(question: string): QuestionIntent {
  const focus = QUANTITY_FOCUS.exec(question)?.[1];
  const pop = population(question);
  const named = SOURCE_KIND_WORDS.find(([pattern]) => pattern.test(question))?.[1];
  const treatment = EFFICACY_FOCUS.map((r) => r.exec(question)?.[1]).find((t) => t !== undefined);
  // "Welk percentage …", "welk deel …" ask for a number, not a choice among things.
  const choice = QUANTITY.test(question)
    ? undefined
    : CHOICE_FOCUS.map((r) => r.exec(question)?.[1]).find((t) => t !== undefined && !QUANTITY_NOUN.test(t));
  return {
    ...(focus ? { quantityFocus: focus } : {}),
    ...(treatment ? { efficacyFocus: treatment } : {}),
    ...(choice ? { choiceFocus: choice } : {}),
    ...(pop ? { population: pop } : {}),
    ...(named ? { sourceKind: named } : {}),
    efficacy: EFFICACY.test(question),
    quantity: QUANTITY.test(question),
    advice: ADVICE.test(question),
    doseOrCost: DOSE_COST.test(question) || HOW_MUCH_MAY.test(question),
  };
}

/** Whether a text contains a dose, price or cost statement (a number with a unit). */
export function statesDoseOrCost(text: string): boolean {
  return /\d+([.,]\d+)?\s*(mg|g|gram|ml|€|euro|eur)\b|€\s*\d/i.test(text);
}
