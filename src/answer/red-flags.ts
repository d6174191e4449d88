/**
 * Red-flag detection: warning signs in a question that call for urgent medical assessment instead of
 * self-care advice (cauda equina syndrome, progressive weakness, fever, cancer history, trauma, unexplained
 * weight loss, night pain). Dutch and English, with a small negation window so "geen koorts" or
 * "no fever" is not flagged. The detector errs on the side of flagging: a false alarm only adds a notice,
 * a miss withholds one.
 */

/** Kind of red flag; one notice line per kind. */
export type RedFlagId =
  | 'cauda-equina'
  | 'progressive-weakness'
  | 'fever'
  | 'cancer-history'
  | 'trauma'
  | 'weight-loss'
  | 'night-pain';

/** A red flag found in a question. */
export interface RedFlag {
  id: RedFlagId;
  /** Dutch label for the notice, e.g. "mogelijk cauda-equinasyndroom". */
  label: string;
  /** English label for the notice. */
  labelEn: string;
  /** The matched text of the question (first non-negated occurrence). */
  match: string;
}

interface FlagRule {
  id: RedFlagId;
  label: string;
  labelEn: string;
  pattern: RegExp;
}

// Unicode-aware word boundaries: \b does not know that "ë" or "é" are letters.
const START = String.raw`(?<![\p{L}\p{N}])`;
const END = String.raw`(?![\p{L}\p{N}])`;

/** One case-insensitive, global, Unicode regex matching any alternative as whole words. */
function words(...alternatives: string[]): RegExp {
  return new RegExp(`${START}(?:${alternatives.join('|')})${END}`, 'giu');
}

// Building blocks. A gap is a short stretch inside one clause (no sentence punctuation).
const GAP = String.raw`[^.!?;:]{0,50}?`;
const POSS = String.raw`(?:mijn|zijn|haar|het|de|beide|hun|een)`;
const POSS_EN = String.raw`(?:my|his|her|the|both|their|a|one)`;

// Cauda equina: altered sensation in the saddle region, bladder or bowel dysfunction.
const SENSATION_NL = String.raw`(?:doof|dove|doofheid|verdoofd\p{L}*|gevoelloos\p{L}*|gevoelloze|tintel\p{L}*|prikkel\p{L}*|minder gevoel|geen gevoel(?: meer)?|gevoelsverlies|gevoelsstoornis\p{L}*|gevoel kwijt|voel(?:t|de|den|en)?(?: \p{L}+)?(?: bijna)? niets(?: meer)?|voel(?:t|de|den|en)?(?: \p{L}+)?(?: bijna)? geen)`;
const REGION_NL = String.raw`(?:zadel\p{L}*|rijbroek\p{L}*|kruis|lies|liezen|schaamstreek|genitali\p{L}*|geslachtsdel\p{L}*|penis|vagina|anus|aars|bilnaad|perineum|billen|binnenkant van ${POSS} (?:dijen|dijbenen|bovenbenen))`;
const SENSATION_EN = String.raw`(?:numb\p{L}*|tingl\p{L}*|pins and needles|no feeling|loss of (?:feeling|sensation)|reduced sensation|altered sensation|can'?t feel(?: anything)?|cannot feel(?: anything)?|can not feel)`;
const REGION_EN = String.raw`(?:saddle(?: area| region)?|groin|genitals?|genital area|buttocks|perineum|perianal(?: area)?|anus|inner thighs?|private parts)`;

const CAUDA = words(
  String.raw`cauda[ -]equina\p{L}*`,
  String.raw`caudasyndroom`,
  String.raw`zadelanesthesie`,
  String.raw`rijbroekanesthesie`,
  String.raw`zadelgevoelloosheid`,
  `${SENSATION_NL}${GAP}${REGION_NL}`,
  `${REGION_NL}${GAP}${SENSATION_NL}`,
  String.raw`plasproblemen|mictieproblemen|mictiestoornis\p{L}*|urineretentie|urineverlies|incontinen\p{L}*|stoelgangproblemen|stoelgangsproblemen`,
  String.raw`(?:kan|kon|kunnen|konden)(?: \p{L}+){0,2} niet(?: meer)? (?:plassen|urineren)`,
  String.raw`niet(?: meer)?(?: kunnen)? (?:plassen|urineren)`,
  String.raw`moeilijk(?:er)?(?: kunnen)? (?:plassen|urineren)`,
  String.raw`moeite met (?:het )?(?:plassen|urineren|de stoelgang|ontlasting)`,
  String.raw`problemen met (?:het |de |mijn )?(?:plassen|urineren|stoelgang|ontlasting|blaas|darmen)`,
  String.raw`(?:blaas|darm)(?:functie)?(?:problemen|stoornis\p{L}*|controle)`,
  String.raw`blaas- (?:of|en) darm\p{L}*|plas- (?:of|en) stoelgang\p{L}*`,
  String.raw`controle (?:over|van) (?:mijn |de |zijn |haar )?(?:blaas|darm\p{L}*|ontlasting|stoelgang|sluitspier|plas)`,
  String.raw`(?:ontlasting|stoelgang|urine|plas)(?: \p{L}+)? niet(?: meer)? (?:ophouden|tegenhouden|controleren)`,
  String.raw`saddle an(?:a)?esthesia`,
  `${SENSATION_EN}${GAP}${REGION_EN}`,
  `${REGION_EN}${GAP}${SENSATION_EN}`,
  String.raw`urinary retention|bladder or bowel|bowel or bladder`,
  String.raw`(?:can'?t|cannot|can not|unable to|difficulty|trouble|problems?|struggl\p{L}*)(?: \p{L}+){0,2} (?:pee|peeing|urinat\p{L}*|passing urine|pass(?: \p{L}+)? urine|empty(?:ing)? (?:my|the|his|her) bladder)`,
  String.raw`loss of (?:bladder|bowel) control|(?:bladder|bowel) (?:dysfunction|problems?|control|incontinence)`,
  String.raw`wet(?:ting)? (?:myself|himself|herself|themselves)`,
);

const WEAK_LIMB_NL = String.raw`(?:been|benen|voet|voeten|enkel|enkels|tenen)`;
const WEAK_LIMB_EN = String.raw`(?:legs?|foot|feet|ankles?|toes)`;
const WEAKNESS = words(
  String.raw`krachtverlies|krachtsverlies|verlies van (?:spier)?kracht|spierkrachtverlies`,
  String.raw`(?:minder|geen|weinig) kracht(?: meer)? in ${POSS} ${WEAK_LIMB_NL}`,
  String.raw`zwakte (?:in|van) ${POSS} ${WEAK_LIMB_NL}`,
  String.raw`zwakk?e? ${WEAK_LIMB_NL}`,
  String.raw`${WEAK_LIMB_NL} (?:wordt|worden|werd|werden|is|zijn|voelt|voelen|blijft|raakt)(?: \p{L}+){0,2} (?:zwakker|zwak|slap|slapper|krachteloos|krachtelozer)`,
  String.raw`steeds zwakker|almaar zwakker|alsmaar zwakker`,
  String.raw`verlamming\p{L}*|verlamd\p{L}*|klapvoet|dropvoet|hangvoet|parese|krachteloos\p{L}*`,
  String.raw`(?:neurologische|motorische) uitval|uitvalsverschijnsel\p{L}*|motorisch(?:e)? (?:deficit|tekort)`,
  String.raw`(?:voet|tenen|voorvoet) niet(?: meer)? (?:optillen|heffen|omhoog)`,
  String.raw`(?:been|benen|knie|knieën) (?:zakt|zakken|zakte|begeeft|begeven) (?:door|weg)`,
  String.raw`foot drop|drop foot|paraly\p{L}*|progressive (?:neurological )?(?:weakness|deficit)`,
  String.raw`weakness (?:in|of) ${POSS_EN} ${WEAK_LIMB_EN}|${WEAK_LIMB_EN} weakness`,
  String.raw`(?:weak|weaker|weakening) ${WEAK_LIMB_EN}`,
  String.raw`${WEAK_LIMB_EN} (?:is|are|gets|get|getting|becoming|became|feels?|keeps? getting|has become|have become)(?: \p{L}+){0,2} weak(?:er)?`,
  String.raw`(?:loss|losing) (?:of )?(?:muscle )?strength|getting weaker`,
  String.raw`(?:can'?t|cannot|unable to) lift ${POSS_EN} (?:foot|toes)|(?:leg|legs|knee) gives? way|(?:leg|legs|knee) giving way`,
);

const FEVER = words(
  // "koortslip" (cold sore), "koortsblaasje" and "koortsvrij" (fever-free) are not fever.
  String.raw`koorts(?:ig|ige|achtig|achtige|aanval|aanvallen|piek|pieken)?`,
  String.raw`(?:heb|had|hebben|heeft|hadden|met|en|wat) (?:wat |lichte |een beetje |een lichte )?verhoging`,
  String.raw`(?:koude )?rillingen|nachtzweten|hoge temperatuur|verhoogde temperatuur|temperatuur van (?:3[89]|4[0-2])\p{L}*`,
  String.raw`fever\p{L}*|febrile|(?:high|raised|elevated) temperature|running a temperature|temperature of (?:3[89]|10[0-9])\p{L}*|chills|night sweats`,
);

const CANCER = words(
  // Compounds: borstkanker, prostaatkanker, kankerpatiënt… The verb "kankeren" (to grumble) is excluded.
  String.raw`\p{L}*kanker(?:s|patiënt\p{L}*|behandeling\p{L}*|voorgeschiedenis)?`,
  String.raw`tumou?r\p{L}*|maligniteit\p{L}*|maligne|kwaadaardig\p{L}*|metasta\p{L}*|uitzaaiing\p{L}*`,
  String.raw`\p{L}*carcinoom\p{L}*|lymfoom|leukemie|myeloom|sarcoom|chemo\p{L}*|oncolog\p{L}*`,
  String.raw`\p{L}*cancer\p{L}*|malignan\p{L}*|carcinoma|lymphoma|leuk(?:a)?emia|myeloma|sarcoma`,
);

const TRAUMA = words(
  String.raw`ongeval\p{L}*|(?:\p{L}+-)?ongeluk(?:ken)?|verkeersongeluk\p{L}*|auto-?ongeluk\p{L}*|aanrijding\p{L}*|valpartij\p{L}*`,
  String.raw`trauma\p{L}*|(?:wervel|compressie)(?:breuk|fractuur)\p{L}*|fractuur\p{L}*`,
  String.raw`na een(?: \p{L}+)? (?:val|smak|klap)|val (?:van|uit|op) (?:de|een|het|mijn|zijn|haar) \p{L}+`,
  // "gevallen" is also "cases" ("in de meeste gevallen", "zijn er gevallen"): only the verb after ben/is/was.
  String.raw`(?:ben|bent|is|was)(?: (?!er )\p{L}+){0,4} gevallen(?= (?:op|van|uit|tijdens|bij|en|toen|met|gisteren|vandaag)|[,.!?]|$)`,
  String.raw`gevallen (?:op|van|uit) (?:de|een|het|mijn|zijn|haar) \p{L}+`,
  String.raw`car (?:accident|crash)|accident|crash|fall from(?: \p{L}+){0,2}|fell (?:off|from|down|on)|(?:after|had) a(?: \p{L}+)? fall|hit by a (?:car|vehicle)|fracture\p{L}*`,
);

const WEIGHT_LOSS = words(
  String.raw`(?:onverklaard|onverklaarbaar|ongewild|onbedoeld|ongewenst|plots|plotseling|sterk|fors|veel)\p{L}* gewichtsverlies`,
  String.raw`gewichtsverlies zonder (?:duidelijke |aanwijsbare )?(?:reden|oorzaak|verklaring)`,
  String.raw`zonder (?:duidelijke |aanwijsbare )?(?:reden|oorzaak|verklaring)(?: \p{L}+){0,3} (?:afgevallen|vermagerd|gewicht verloren)`,
  String.raw`vermagerd\p{L}*|vermagering`,
  String.raw`(?:ben|bent|is|zijn|was|waren)(?: [\p{L}\p{N}']+){0,5} (?:afgevallen|vermagerd)`,
  String.raw`\d+(?:[.,]\d+)? ?(?:kilo|kg|kilogram)(?:'s)? (?:afgevallen|kwijt|verloren|lichter)|kilo's kwijt`,
  String.raw`(?:unexplained|unintentional|unintended|unexpected|sudden|significant|rapid) weight loss|weight loss (?:without|for no)`,
  String.raw`lost(?: [\p{L}\p{N}]+){0,2} (?:weight|kilos?|kg|pounds|lbs)|(?:i am|i'm|i've been|been|am) losing weight`,
);

const NIGHT_PAIN = words(
  String.raw`nachtelijke pijn|nachtpijn|rustpijn|pijn in rust|'s nachts(?: \p{L}+){0,3} pijn|pijn(?: \p{L}+){0,3} 's nachts`,
  String.raw`wakker (?:van|door) de pijn|pijn (?:houdt|maakt) me(?: 's nachts)? wakker`,
  String.raw`night pain|pain at night|(?:pain|hurts?)(?: \p{L}+){0,3} (?:at night|at rest)|wakes? me up at night`,
);

/** Detection rules; the labels are shown in the red-flag notice (Dutch and English). */
const RULES: readonly FlagRule[] = [
  {
    id: 'cauda-equina',
    label: 'mogelijk cauda-equinasyndroom (gevoelloosheid in het zadelgebied, plas- of stoelgangproblemen)',
    labelEn: 'possible cauda equina syndrome (saddle numbness, bladder or bowel problems)',
    pattern: CAUDA,
  },
  {
    id: 'progressive-weakness',
    label: '(toenemend) krachtverlies in been of voet',
    labelEn: '(progressive) weakness in the leg or foot',
    pattern: WEAKNESS,
  },
  {
    id: 'fever',
    label: 'koorts (mogelijke infectie)',
    labelEn: 'fever (possible infection)',
    pattern: FEVER,
  },
  {
    id: 'cancer-history',
    label: 'kanker (in de voorgeschiedenis)',
    labelEn: '(history of) cancer',
    pattern: CANCER,
  },
  { id: 'trauma', label: 'trauma (val of ongeval)', labelEn: 'trauma (fall or accident)', pattern: TRAUMA },
  {
    id: 'weight-loss',
    label: 'onverklaard gewichtsverlies',
    labelEn: 'unexplained weight loss',
    pattern: WEIGHT_LOSS,
  },
  {
    id: 'night-pain',
    label: 'nachtelijke pijn of pijn in rust',
    labelEn: 'night pain or pain at rest',
    pattern: NIGHT_PAIN,
  },
];

/** Words that negate a following symptom ("geen koorts", "zonder krachtverlies", "no fever", "don't"). */
// prettier-ignore
const NEGATION_CUES = new Set(['geen', 'niet', 'zonder', 'nooit', 'noch', 'no', 'not', 'without', 'never', 'nor', 'none', 'neither', 'denies', 'ontkent']);
/** After one of these the following symptom is affirmed again ("geen koorts, wel krachtverlies", "I … but"). */
// prettier-ignore
const NEGATION_BREAKERS = new Set([
  'maar', 'wel', 'toch', 'echter', 'behalve', 'alleen', 'doch', 'sinds', 'nu', 'but', 'however', 'although', 'though',
  'except', 'only', 'yet', 'now', 'ik', 'je', 'jij', 'hij', 'zij', 'ze', 'we', 'wij', 'u', 'i', 'you', 'he', 'she', 'they',
  'waarom', 'omdat', 'want', 'why', 'because', 'since',
]);
/** "zonder (duidelijke) reden", "without (any) reason": an "unexplained" qualifier, not a negation of what follows. */
// prettier-ignore
const REASON_WORDS = new Set(['reden', 'verklaring', 'oorzaak', 'aanleiding', 'reason', 'cause', 'explanation', 'trying']);
// prettier-ignore
const REASON_MODIFIERS = new Set(['aanwijsbare', 'duidelijke', 'enige', 'any', 'apparent', 'obvious', 'clear']);
/** How many words before a symptom a negation cue may stand (the cue plus up to three words between). */
const NEGATION_WINDOW = 4;

/**
 * Finds red flags in a question (Dutch and English), at most one per kind, in rule order. A symptom is
 * ignored when a negation cue ("geen", "niet", "zonder", "no", "not", "without", "don't") stands at most
 * three words before it in the same clause without a contrast word ("maar", "wel", "but") in between;
 * later, non-negated mentions of the same kind still count.
 */
export function detectRedFlags(question: string): RedFlag[] {
  // NFC so "ë" is one code point; curly apostrophes as straight ones for "'s nachts" and "can't".
  const text = question.normalize('NFC').replace(/[’‘`´]/g, "'");
  const flags: RedFlag[] = [];
  for (const rule of RULES) {
    for (const m of text.matchAll(rule.pattern)) {
      if (isNegated(text, m.index)) continue;
      flags.push({ id: rule.id, label: rule.label, labelEn: rule.labelEn, match: m[0] });
      break;
    }
  }
  return flags;
}

/** Whether the tokens from `i` read "(any) reason", turning the preceding cue into "unexplained". */
function isReasonQualifier(tokens: string[], i: number): boolean {
  const next = tokens[i] ?? '';
  return REASON_WORDS.has(next) || (REASON_MODIFIERS.has(next) && REASON_WORDS.has(tokens[i + 1] ?? ''));
}

/** Whether the words just before `start` (same clause) negate what follows. */
function isNegated(text: string, start: number): boolean {
  // The clause: back to the previous sentence or clause punctuation (a comma does not end a list of symptoms).
  const before = text.slice(0, start);
  const clauseStart =
    Math.max(...['.', '!', '?', ';', ':', '—', '–', '(', ')', '\n'].map((c) => before.lastIndexOf(c))) + 1;
  const tokens =
    before
      .slice(clauseStart)
      .toLowerCase()
      .match(/[\p{L}\p{N}']+/gu) ?? [];
  const window = tokens.slice(-NEGATION_WINDOW);
  for (let i = window.length - 1; i >= 0; i--) {
    const token = window[i] ?? '';
    if (NEGATION_BREAKERS.has(token)) return false;
    const isCue = NEGATION_CUES.has(token) || token.endsWith("n't");
    if (isCue && !isReasonQualifier(window, i + 1)) return true;
  }
  return false;
}
