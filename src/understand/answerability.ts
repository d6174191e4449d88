import { createRequire } from 'node:module';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { foldForMatch, tokenize, type Normalized } from './normalize.js';
import { compileTerm, RegexSchema, TermSchema } from './patterns.js';
import { findEntities } from './entities.js';
import type { CompiledLexicon } from '../text/expand.js';
import { canonicalOf, isDirected, membersOf } from '../text/lexicon.js';

/**
 * Answerability: does the corpus speak about what the question names? One decision over
 *
 * - the question's **named entities** (drugs, treatments, tests, conditions, populations) — from an
 *   {@link EntityFinder} (the clinical lexicon once it is available; {@link fallbackEntities} until then);
 * - what the **corpus** says about each: covered (named in its text), only named in an exclusion list
 *   ("exclusiecriteria: … zwangerschap …"), or absent;
 * - whether the question asks for a **figure** (dose, frequency, waiting time, price) and whether the
 *   passages state one.
 *
 * Outcomes: answer; answer with a caveat first (a population the corpus does not cover while the general
 * question is covered); refuse naming the entity; refuse because the figure is not stated.
 */

const PopulationSchema = z.strictObject({
  name: z.strictObject({ nl: z.string().min(1), en: z.string().min(1) }),
  terms: z.array(TermSchema).min(1),
  why: z.string().min(1),
  /** Words that only may name the population ("zoon", "dochter": a son can be 30): at most a caveat, never a refusal. */
  weakTerms: z.array(TermSchema).optional(),
  /** Ages in years [from, to] that put a person in this population; a stated age outside them overrides a term. */
  ages: z.tuple([z.number().int().min(0), z.number().int().min(0)]).optional(),
  /**
   * What a question about this population gets when the corpus does not cover it: a caveat before the general
   * answer (default), or a refusal where the documents' advice does not carry over (children).
   */
  uncovered: z.enum(['caveat', 'refuse']).optional(),
});
const FigureSchema = z.strictObject({
  why: z.string().min(1),
  /** Terms that ask for this kind of figure. */
  ask: z.array(TermSchema).min(1),
  /** Terms that, with a number in the same sentence, state it. */
  states: z.array(TermSchema).min(1),
});
export const FIGURE_KINDS = ['dose', 'frequency', 'waiting', 'price'] as const;
export type FigureKind = (typeof FIGURE_KINDS)[number];

export const AnswerabilityTableSchema = z.strictObject({
  version: z.number().int().positive(),
  why: z.string().min(1),
  populations: z.array(PopulationSchema).min(1),
  /** Regular expressions over the folded question whose group 1 is a stated age in years. */
  ages: z.strictObject({ why: z.string().min(1), patterns: z.array(RegexSchema).min(1) }),
  /** Regular expressions (folded text) for the words that open an exclusion list. */
  exclusionCues: z.array(z.string().min(1)).min(1),
  /** Words that make a question about medication (drug safety is population-specific). */
  medication: z.array(TermSchema).min(1),
  /** Words that frame a figure question ("hoeveel weken", "how long"): not its subject. */
  figureFrame: z.string().min(1),
  /** Words that frame any question ("raadt … aan", "wat is het verschil"): never evidence of another topic. */
  frameWords: z.string().min(1),
  /**
   * Word endings of disease names (spondylitis, scoliose, radiculopathie): without a lexicon, a word the corpus
   * names only in an exclusion list counts as a condition when it ends like one ("regelmatig" does not).
   */
  conditionEndings: z.array(z.string().min(2)).min(1),
  figures: z.strictObject(
    Object.fromEntries(FIGURE_KINDS.map((k) => [k, FigureSchema])) as Record<FigureKind, typeof FigureSchema>,
  ),
});
export type AnswerabilityTable = z.infer<typeof AnswerabilityTableSchema>;

type Matcher = ReturnType<typeof compileTerm>;

/** A compiled table. */
export interface AnswerabilityRules {
  table: AnswerabilityTable;
  populations: {
    name: { nl: string; en: string };
    terms: Matcher[];
    weakTerms: Matcher[];
    ages?: readonly [number, number] | undefined;
    uncovered: 'caveat' | 'refuse';
  }[];
  /** Stated-age patterns (group 1 = years). */
  ages: RegExp[];
  exclusionCue: RegExp;
  medication: Matcher[];
  figures: Record<FigureKind, { ask: Matcher[]; states: Matcher[] }>;
}

/**
 * Validates and compiles an answerability table.
 * @throws AppError('config_error') naming the first problem.
 */
export function parseAnswerabilityTable(json: unknown): AnswerabilityRules {
  const parsed = AnswerabilityTableSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError(
      'config_error',
      `Invalid answerability table at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'bad shape'}`,
    );
  }
  const t = parsed.data;
  return {
    table: t,
    populations: t.populations.map((p) => ({
      name: p.name,
      terms: p.terms.map(compileTerm),
      weakTerms: (p.weakTerms ?? []).map(compileTerm),
      ages: p.ages,
      uncovered: p.uncovered ?? 'caveat',
    })),
    ages: t.ages.patterns.map((p) => new RegExp(p, 'gu')),
    exclusionCue: new RegExp(t.exclusionCues.join('|'), 'giu'),
    medication: t.medication.map(compileTerm),
    figures: Object.fromEntries(
      FIGURE_KINDS.map((k) => [
        k,
        { ask: t.figures[k].ask.map(compileTerm), states: t.figures[k].states.map(compileTerm) },
      ]),
    ) as AnswerabilityRules['figures'],
  };
}

/** Loads the bundled table (src/understand/answerability.json). */
export function loadAnswerabilityRules(): AnswerabilityRules {
  const require = createRequire(import.meta.url);
  return parseAnswerabilityTable(require('./answerability.json'));
}

// Immutable after load: the bundled table, compiled once.
const DEFAULT_RULES = loadAnswerabilityRules();

/** Entity types (the lexicon's, plus `unknown` for a salient word no lexicon types). */
export type EntityType =
  | 'drug'
  | 'drug-class'
  | 'treatment'
  | 'test'
  | 'condition'
  | 'symptom'
  | 'anatomy'
  | 'population'
  | 'profession'
  | 'other'
  | 'unknown';

/** Something the question names. */
export interface NamedEntity {
  /** As the question writes it (shown in a refusal or caveat). */
  surface: string;
  type: EntityType;
  /** Forms to look up in the corpus: the surface and its lexicon group members (generic, Dutch name). */
  forms: string[];
  /** A population the documents' advice does not carry over to: refused, not caveated, when not covered. */
  refuseUncovered?: boolean;
}

/** Finds the named entities of a (normalised) question. */
export type EntityFinder = (question: Normalized) => NamedEntity[];

/** What the corpus says about a form. */
export type Mention = 'covered' | 'excluded-only' | 'absent';

/** The corpus as answerability sees it: folded chunk texts (body, not reference lists). */
export interface CorpusView {
  mention(form: string): Mention;
}

/**
 * A view over chunk texts. A form counts as covered when it occurs (as a word or word start, so inflection
 * and compounds count) outside an exclusion list; `excluded-only` when every occurrence stands in a list
 * opened by an exclusion cue ("exclusiecriteria:") — up to a blank line, a sentence end, or the next bullet
 * when the list's items are not bullets themselves.
 * @param indexed whether the index knows every word of a form (its own analysis: stems, compounds); a form
 *   the text match misses but the index knows counts as covered.
 */
/** Forms a corpus view remembers (bounded memory in a long-running server). */
const MAX_REMEMBERED_FORMS = 10_000;

export function corpusView(
  texts: readonly string[],
  rules: AnswerabilityRules = DEFAULT_RULES,
  indexed?: (form: string) => boolean,
): CorpusView {
  const docs = texts.map((t) => t.normalize('NFD').replace(/\p{M}+/gu, ''));
  // Lower-cased copies for a cheap substring pre-check before the (slow, Unicode-aware) regular expression.
  const lowered = docs.map((t) => t.toLowerCase());
  // Forms recur across questions (drug and condition names): each is looked up in the texts once per view.
  const seen = new Map<string, Mention>();
  return {
    mention(form: string): Mention {
      const known = seen.get(form);
      if (known !== undefined) return known;
      const textual = mentionInText(form);
      // Inflection the word-start match misses ("rugschool" / "rugscholen"): the index's analysis decides.
      const result = textual === 'absent' && indexed?.(form) ? 'covered' : textual;
      if (seen.size < MAX_REMEMBERED_FORMS) seen.set(form, result);
      return result;
    },
  };

  function mentionInText(form: string): Mention {
    {
      const words = tokenize(form).map((t) => t.text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
      if (words.length === 0) return 'absent';
      // A word start of 5+ letters matches inflections and compounds ("zwanger" → "zwangerschap").
      const last = words.length - 1;
      const body = words
        .map((w, i) => (i === last && w.length >= 5 ? w : `${w}(?![\\p{L}\\p{N}])`))
        .join('[\\s-]+');
      const re = new RegExp(`(?<![\\p{L}\\p{N}])${body}`, 'giu');
      const first = (tokenize(form)[0]?.text ?? '').toLowerCase();
      let excluded = false;
      for (const [i, text] of docs.entries()) {
        if (first !== '' && !(lowered[i] as string).includes(first)) continue;
        for (const m of text.matchAll(re)) {
          if (inExclusionList(text, m.index, rules)) excluded = true;
          else return 'covered';
        }
      }
      return excluded ? 'excluded-only' : 'absent';
    }
  }
}

function inExclusionList(text: string, at: number, rules: AnswerabilityRules): boolean {
  const from = Math.max(0, at - 600);
  const window = text.slice(from, at);
  let cueEnd = -1;
  for (const m of window.matchAll(rules.exclusionCue)) cueEnd = m.index + m[0].length;
  if (cueEnd < 0) return false;
  const after = window.slice(cueEnd);
  if (/\n\s*\n/.test(after) || /[.!?]\s+\p{Lu}/u.test(after)) return false;
  const firstItemBulleted = /^[^\n]*:?\s*•/.test(after.slice(0, 12));
  return firstItemBulleted || !after.includes('•');
}

/** The population groups the question names (closed class, from the table). */
export function findPopulations(
  question: Normalized,
  language: 'nl' | 'en',
  rules: AnswerabilityRules = DEFAULT_RULES,
): NamedEntity[] {
  const out: NamedEntity[] = [];
  const ages = statedAges(question, rules);
  const entity = (p: AnswerabilityRules['populations'][number], surface?: string, weak = false): NamedEntity => ({
    surface: p.name[language],
    type: 'population',
    forms: surface === undefined ? [p.name.nl] : [surface, p.name.nl],
    ...(p.uncovered === 'refuse' && !weak ? { refuseUncovered: true } : {}),
  });
  const match = (terms: Matcher[]): string | undefined => {
    for (let i = 0; i < question.tokens.length; i++) {
      const end = terms.reduce((e, m) => Math.max(e, m(question.tokens, i)), -1);
      if (end > i)
        return question.tokens
          .slice(i, end)
          .map((t) => t.text)
          .join(' ');
    }
    return undefined;
  };
  for (const p of rules.populations) {
    // A stated age decides for populations defined by age: "zoon van 30" is no child, "80j" is an older person.
    if (p.ages && ages.length > 0) {
      const [from, to] = p.ages;
      const age = ages.find((a) => a >= from && a <= to);
      if (age !== undefined) out.push(entity(p));
      continue;
    }
    const strong = match(p.terms);
    const weak = strong === undefined ? match(p.weakTerms) : undefined;
    if (strong !== undefined) out.push(entity(p, strong));
    else if (weak !== undefined) out.push(entity(p, weak, true));
  }
  return out;
}

/** Ages in years the question states ("dochter van 10", "80j", "a 45-year-old"), from the table's patterns. */
export function statedAges(question: Normalized, rules: AnswerabilityRules = DEFAULT_RULES): number[] {
  const text = question.tokens.map((t) => t.text).join(' ');
  const out: number[] = [];
  for (const pattern of rules.ages) {
    for (const m of text.matchAll(pattern)) {
      const age = Number(m[1]);
      if (Number.isInteger(age) && age <= 130 && !out.includes(age)) out.push(age);
    }
  }
  return out;
}

/**
 * Entities without a lexicon: populations, and words the question marks as names by putting them in quotes
 * or brackets (type `unknown`). Capitalisation is no sign: "Belgen", "Leuven" are not treatments.
 */
export function fallbackEntities(
  question: Normalized,
  language: 'nl' | 'en',
  rules: AnswerabilityRules = DEFAULT_RULES,
): NamedEntity[] {
  const out = findPopulations(question, language, rules);
  const seen = new Set(out.map((e) => e.surface.toLowerCase()));
  const add = (w: string): void => {
    const key = foldForMatch(w);
    if (key.length < 4 || seen.has(key)) return;
    seen.add(key);
    out.push({ surface: w, type: 'unknown', forms: [w] });
  };
  // Quoted or bracketed in the question as typed.
  for (const m of question.clean.matchAll(
    /["“”„«»‹›'‘’([{<*]\s*([\p{L}][\p{L}\p{N}-]{3,})\s*["“”„«»‹›'‘’)\]}>*]/gu,
  ))
    add(m[1] ?? '');
  return out;
}

/** Which figure, if any, the question asks for. */
export function askedFigure(
  question: Normalized,
  rules: AnswerabilityRules = DEFAULT_RULES,
): FigureKind | undefined {
  const tokens = question.tokens;
  for (const kind of FIGURE_KINDS) {
    const { ask } = rules.figures[kind];
    for (let i = 0; i < tokens.length; i++) if (ask.some((m) => m(tokens, i) > i)) return kind;
  }
  // "Brufen 600", "2 Dafalgan": a number next to a named drug is a dose.
  return undefined;
}

const NUMBER_WORDS = new Set(
  'een twee drie vier vijf zes zeven acht negen tien elf twaalf vijftien twintig dertig honderd half anderhalf one two three four five six seven eight nine ten twelve fifteen twenty thirty hundred'.split(
    ' ',
  ),
);

/** Whether a sentence states a figure of this kind: a number and one of the kind's words. */
export function statesFigure(
  kind: FigureKind,
  sentence: string,
  rules: AnswerabilityRules = DEFAULT_RULES,
): boolean {
  const tokens = tokenize(sentence);
  const hasNumber = tokens.some((t) => /\d/.test(t.text) || NUMBER_WORDS.has(t.text));
  if (!hasNumber) return false;
  return tokens.some((_, i) => rules.figures[kind].states.some((m) => m(tokens, i) > i));
}

/** The outcome of the answerability decision. */
export type Answerability =
  | { kind: 'answer' }
  | { kind: 'caveat'; subject: string }
  | { kind: 'refuse'; reason: 'unknown-subject' | 'dose-or-cost'; subject?: string };

/** Entity types the corpus must speak about for the question to be answered. */
const MUST_BE_COVERED: ReadonlySet<EntityType> = new Set([
  'drug',
  'drug-class',
  'treatment',
  'test',
  'condition',
  'unknown',
]);

export interface AnswerabilityInput {
  entities: readonly NamedEntity[];
  corpus: CorpusView;
  /** The figure the question asks for, if any. */
  figure?: FigureKind | undefined;
  /** Whether a retrieved sentence that shares the question's subject states that figure. */
  figureStated?: boolean;
  /** Whether the question is about medication (drug entity, "wat mag ik nemen"): population-specific. */
  aboutMedication?: boolean;
  /** What the question asks about, as written ("Helpt X?", "welke X"), when its wording says so. */
  focus?: readonly string[];
  /** The question's plain text (folded), to see which named things it sets against each other ("X of Y"). */
  text?: string;
}

/**
 * A treatment or test the corpus does not name is context, not the subject, only when the question sets it
 * against one the corpus does name ("opereren of een spuitje bij hernia?", "X versus Y"): the answer is
 * about the named one. Any other uncovered entity — a drug, a condition (it changes which advice applies),
 * a treatment asked about on its own — refuses the question.
 */
const CONTEXT_TYPES: ReadonlySet<EntityType> = new Set(['treatment', 'test']);
const ALTERNATION = String.raw`\s+(?:of|or|versus|vs\.?|tegenover)\s+(?:\p{L}+\s+){0,2}?`;

/** Whether the text names `a` and `b` as alternatives ("a of b", "b versus de a"). */
function alternated(text: string, a: string, b: string): boolean {
  const esc = (x: string): string => x.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pair = (x: string, y: string): RegExp =>
    new RegExp(String.raw`(?<![\p{L}\p{N}])${esc(x)}${ALTERNATION}${esc(y)}(?![\p{L}\p{N}])`, 'u');
  return pair(a, b).test(text) || pair(b, a).test(text);
}

/**
 * Decides answerability (see the module comment). Order: a figure the corpus does not state; an entity the
 * corpus never names (or names only as excluded); a population it does not cover (a caveat, or a refusal
 * for medication, where safety is population-specific).
 */
export function judgeAnswerability(input: AnswerabilityInput): Answerability {
  if (input.figure && !input.figureStated) return { kind: 'refuse', reason: 'dose-or-cost' };
  const mentionOf = (e: NamedEntity): Mention => {
    const m = e.forms.map((f) => input.corpus.mention(f));
    return m.includes('covered') ? 'covered' : m.includes('excluded-only') ? 'excluded-only' : 'absent';
  };
  const named = input.entities.filter((e) => MUST_BE_COVERED.has(e.type));
  const covered = named.filter((e) => CONTEXT_TYPES.has(e.type) && mentionOf(e) === 'covered');
  const focus = (input.focus ?? []).map((f) => f.toLowerCase());
  const asked = (e: NamedEntity): boolean =>
    focus.some((f) => f.includes(e.surface.toLowerCase()) || e.surface.toLowerCase().includes(f));
  const text = (input.text ?? '').toLowerCase();
  for (const e of named) {
    const mention = mentionOf(e);
    if (mention === 'covered') continue;
    const context =
      mention === 'absent' &&
      CONTEXT_TYPES.has(e.type) &&
      !asked(e) &&
      covered.some((c) => alternated(text, e.surface, c.surface));
    if (!context) return { kind: 'refuse', reason: 'unknown-subject', subject: e.surface };
  }
  for (const e of input.entities) {
    if (e.type === 'population' && mentionOf(e) !== 'covered') {
      return input.aboutMedication || e.refuseUncovered
        ? { kind: 'refuse', reason: 'unknown-subject', subject: e.surface }
        : { kind: 'caveat', subject: e.surface };
    }
  }
  return { kind: 'answer' };
}

/** Whether the question is about medication (taking, prescribing, painkillers). */
export function aboutMedication(question: Normalized, rules: AnswerabilityRules = DEFAULT_RULES): boolean {
  return question.tokens.some((_, i) => rules.medication.some((m) => m(question.tokens, i) > i));
}

/** The words that frame a figure question, for removing them from its subject. */
export function figureFrameWords(rules: AnswerabilityRules = DEFAULT_RULES): string {
  return rules.table.figureFrame;
}

/** The words that frame a question rather than name its topic. */
export function questionFrameWords(rules: AnswerabilityRules = DEFAULT_RULES): string {
  return rules.table.frameWords;
}

/** Whether a word ends like a disease name (fallback typing without a lexicon). */
export function looksLikeCondition(word: string, rules: AnswerabilityRules = DEFAULT_RULES): boolean {
  return rules.table.conditionEndings.some((e) => word.endsWith(e));
}

/**
 * The entity finder over the clinical lexicon (src/understand/entities.ts): each mention's forms are what it
 * was written as, its canonical and the members of the groups (not `related`, not `alternative`) with that canonical (a brand's
 * generic, a lay word's clinical name), so "Dafalgan" counts as covered when the corpus names paracetamol.
 */
export function lexiconEntityFinder(lexicon: CompiledLexicon): EntityFinder {
  return (question) =>
    findEntities(question.plain, lexicon).map((m) => {
      // Also the groups that list the canonical as one of their terms: "lumbar radiculopathy" → radiculopathie,
      // which a synonym group writes "lumbosacraal radiculair syndroom".
      const canonical = m.canonical.toLowerCase();
      const groups = lexicon.lexicon.groups.filter(
        (g) =>
          g.kind !== 'related' &&
          g.kind !== 'alternative' &&
          (canonicalOf(g).toLowerCase() === canonical ||
            (!isDirected(g) && g.kind !== 'lay' && g.terms.some((t) => t.toLowerCase() === canonical))),
      );
      const names = new Set([m.text, m.canonical, ...groups.flatMap(membersOf)].map((f) => f.toLowerCase()));
      // The class a drug or test belongs to ("voltaren" → diclofenac → NSAID): evidence about the class applies.
      const classes = lexicon.lexicon.groups
        .filter(
          (g) =>
            g.kind === 'related' &&
            g.canonical !== undefined &&
            g.terms.some((t) => names.has(t.toLowerCase())),
        )
        .map(canonicalOf);
      // The members of a drug class ("pijnstillers" → paracetamol): what a source says of them answers the class.
      const members = lexicon.lexicon.groups
        .filter(
          (g) =>
            g.kind === 'related' &&
            (g.entity === 'drug' || g.entity === 'drug-class') &&
            g.canonical !== undefined &&
            names.has(g.canonical.toLowerCase()),
        )
        .flatMap((g) => g.terms);
      const forms = [...new Set([m.text, m.canonical, ...groups.flatMap(membersOf), ...classes, ...members])];
      return { surface: m.text, type: m.type, forms };
    });
}
