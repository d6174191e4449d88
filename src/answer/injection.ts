/**
 * Prompt-injection detection: text that addresses the system itself (override its rules, change its role,
 * reveal its prompt, drop its sources) instead of asking about low back pain. Dutch and English.
 * An off-domain request on its own ("schrijf een gedicht") is not an injection; the refusal step handles
 * it. Combined with an override ("negeer … en schrijf een gedicht") it is.
 */

import { normalize, type Normalized } from '../understand/normalize.js';
import { screenInjection } from '../understand/injection.js';

const START = String.raw`(?<![\p{L}\p{N}])`;
const END = String.raw`(?![\p{L}\p{N}])`;

function words(...alternatives: string[]): RegExp {
  return new RegExp(`${START}(?:${alternatives.join('|')})${END}`, 'iu');
}

/**
 * What the system is built from. Overriding a strong object is always an injection ("ignore the
 * instructions"); a weak object only when it is the system's own or "all/previous" ("vergeet je bronnen",
 * "ignore your rules"), so "mag ik de richtlijnen negeren?" or "can I ignore the guidelines?" stay questions.
 */
const STRONG_NL = String.raw`(?:instructies?|opdrachten?|prompts?|systeemprompt|systeem-prompt|programmering|beperkingen|restricties|filters?|veiligheidsregels)`;
const WEAK_NL = String.raw`(?:regels|richtlijnen|bronnen|context)`;
const OWNER_NL = String.raw`(?:je|jouw|uw|alle|al|vorige|voorgaande|eerdere|bovenstaande|oorspronkelijke|eigen)`;
const STRONG_EN = String.raw`(?:instructions?|prompts?|system prompt|programming|guardrails|restrictions|constraints|filters?|policies)`;
const WEAK_EN = String.raw`(?:rules|guidelines|sources|context|directions)`;
const OWNER_EN = String.raw`(?:your|all|previous|prior|above|earlier|preceding|original|initial|these|those)`;
/** Up to `n` words between two parts of a pattern. */
const gap = (n: number): string => String.raw`(?:\s+[\p{L}\p{N}'-]+){0,${n}}?\s+`;
/** Imperative verbs only: "waarom negeren artsen de richtlijnen?" is a question, not an override. */
const OVERRIDE_NL = String.raw`(?:negeer|ignoreer|vergeet|omzeil|overschrijf|overtreed|schrap|wis)`;
const OVERRIDE_EN = String.raw`(?:ignore|disregard|forget|override|bypass)`;

const PATTERNS: readonly RegExp[] = [
  // Override the rules.
  words(`${OVERRIDE_NL}${gap(4)}${STRONG_NL}`, `${OVERRIDE_NL}${gap(2)}${OWNER_NL}${gap(2)}${WEAK_NL}`),
  words(
    `${OWNER_NL}${gap(2)}(?:${STRONG_NL}|${WEAK_NL})${gap(2)}(?:negeren|vergeten|ignoreren|omzeilen|loslaten)`,
  ),
  words(
    String.raw`negeer (?:al |alles )?(?:het bovenstaande|wat (?:hierboven|eerder|hiervoor) (?:staat|gezegd is))`,
  ),
  words(
    String.raw`laat${gap(3)}(?:regels|instructies|beperkingen|bronnen)\s+(?:los|varen|vallen|achterwege)`,
  ),
  words(`${OVERRIDE_EN}${gap(4)}${STRONG_EN}`, `${OVERRIDE_EN}${gap(2)}${OWNER_EN}${gap(2)}${WEAK_EN}`),
  words(String.raw`ignore (?:all )?(?:of )?(?:the above|everything above|what (?:was said|came) before)`),
  // A new role for the system.
  words(
    String.raw`(?:je|jij|u) bent (?:nu|vanaf nu|voortaan|vanaf vandaag) (?:een|mijn|de|geen|niet langer|vrij)`,
  ),
  words(String.raw`vanaf nu (?:ben|gedraag|speel|doe) (?:je|jij|u)`),
  words(String.raw`doe alsof (?:je|jij|u)|speel de rol van|gedraag je als|neem de rol aan|rollenspel`),
  words(
    String.raw`you are now|from now on,? you|pretend (?:to be|you are|that you)|role-?play as|you will now act`,
  ),
  // "act as" only as an instruction, not "does it act as a painkiller?".
  new RegExp(
    String.raw`(?:^|[.!?]\s*|\b(?:please|now|you (?:will|must|should)|i want you to)\s+)act as\b`,
    'iu',
  ),
  words(String.raw`jailbreak\p{L}*|developer mode|dan mode|do anything now|ontwikkelaarsmodus`),
  // "een AI zonder beperkingen"; "kan ik zonder beperkingen sporten?" is a question.
  words(
    String.raw`(?:ai|assistent|chatbot|bot|model|taalmodel|assistant) (?:zonder|without) (?:enige |any )?(?:beperkingen|restricties|regels|filters|restrictions|rules|limits|filters)`,
  ),
  // The system's own prompt.
  words(
    String.raw`system ?prompt|systeem ?prompt|systeembericht|system message|(?:initial|hidden|original) (?:prompt|instructions)`,
  ),
  words(
    String.raw`(?:toon|laat zien|herhaal|geef|print|onthul|vertel|citeer|wat zijn|wat is)${gap(3)}(?:je|jouw|uw) (?:instructies|prompt|regels|systeemregels|opdracht)`,
  ),
  words(
    String.raw`(?:reveal|show|print|repeat|tell me|output|what are|what is|display|leak)${gap(3)}(?:your) (?:instructions|prompt|rules)`,
  ),
  // Instructions to break grounding: answer without sources, invent things.
  words(
    String.raw`(?:antwoord|beantwoord|geef|schrijf)${gap(4)}(?:zonder|geen) (?:bronnen|bronvermelding|citaten|citaties|verwijzingen)`,
  ),
  words(String.raw`(?:answer|respond|reply|write)${gap(4)}without (?:sources|citations|references)`),
  // "verzin een nieuwe behandeling" — but "verzin ik mijn pijn?" is a question.
  words(
    String.raw`verzin (?:maar |gewoon |dan |zelf )*(?:een|iets|wat|nieuwe|zelf)`,
    String.raw`(?:make up|invent)(?: \p{L}+){0,3} (?:answer|treatment|dose|number|study|cure|facts?)`,
  ),
  // Chat-template and role markers smuggled into the text.
  /<\/?(?:system|assistant|user|instructions?)>|<\|im_(?:start|end)\|>|\[\/?INST\]|<<\/?SYS>>|^\s*(?:system|assistant|systeem)\s*:|###\s*(?:instruction|system)/imu,
];

/**
 * Whether the text contains instructions aimed at the system (prompt injection), in Dutch or English.
 * Mentions of rules as a topic ("welke regels gelden voor werkhervatting?") do not count: only an
 * imperative override, a role change, a request for the system prompt, or chat-template markers.
 */
export function detectInjection(text: string | Normalized): boolean {
  // One normalisation for every check: the same character tricks defeat neither these patterns nor the table.
  const n = typeof text === 'string' ? normalize(text) : text;
  return screenInjection(n) || PATTERNS.some((p) => p.test(n.clean) || p.test(n.plain));
}

/** The history turns that carry no injection; a turn that does never reaches follow-up resolution or the LLM. */
export function screenHistory<T extends { question: string; answer?: string }>(history: readonly T[]): T[] {
  return history.filter(
    (t) => !detectInjection(t.question) && !(t.answer !== undefined && screenInjection(t.answer)),
  );
}
