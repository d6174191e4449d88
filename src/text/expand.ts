import {
  DEFAULT_KIND_WEIGHTS,
  isDirected,
  type Lexicon,
  type LexiconGroup,
  type RelationKind,
} from './lexicon.js';

/**
 * The lexicon compiled against one analyzer, and query expansion over it.
 *
 * Every term of the lexicon is reduced to a key: the analyzer's primary term of each of its words, joined by a
 * space ("Acute lage rugpijn" → "acut lag rugpijn", "Dafalgan" → "dafalgan"). Questions are reduced the same way,
 * so both sides always agree on stemming, diacritics and hyphenation. A key is a node; a group links its
 * members' keys with the weight of its kind. Expansion walks these links from the question's keys, multiplying
 * weights, for at most {@link MAX_HOPS} hops and never below {@link MIN_WEIGHT}.
 */

/** What the lexicon needs from the analyzer (no import of analyze.ts: it builds the compiled lexicon). */
export interface TermAnalysis {
  /** One representative term per word (the stem; for "lage-rugpijn" the joined form), stopwords dropped. */
  primaries(text: string): string[];
  /** All index terms of a text (compound parts included). */
  terms(text: string): string[];
}

/** Where a key occurs in the lexicon. */
export interface Occurrence {
  /** Index of the group in `lexicon.groups`. */
  group: number;
  /** As one of the group's terms, or as its canonical. */
  role: 'term' | 'canonical';
}

export interface CompiledLexicon {
  readonly lexicon: Lexicon;
  readonly weights: Readonly<Record<RelationKind, number>>;
  /** The analyzer the keys were built with (entity finding analyzes question words with it). */
  readonly analysis: TermAnalysis;
  /** Key → where it occurs. */
  readonly occurrences: ReadonlyMap<string, readonly Occurrence[]>;
  /** Multi-word keys by their first primary, as primary sequences (longest first). */
  readonly phrasesByFirst: ReadonlyMap<string, readonly (readonly string[])[]>;
  /** Per group: the keys of its terms, and of its canonical. */
  readonly groupKeys: readonly { terms: readonly string[]; canonical: string | undefined }[];
  /**
   * Terms known only as a one-word English term (pain, back, surgery): in a Dutch corpus such words occur in
   * English titles and reference lists, so their Dutch translations should carry the question instead.
   */
  readonly englishOnly: ReadonlySet<string>;
}

/** Expansion chains stop after this many links (Brufen → ibuprofen → NSAID → ontstekingsremmer is three). */
export const MAX_HOPS = 3;
/** Expansions weighing less than this are dropped: below a related link from a lay word (0.75 · 0.4). */
export const MIN_WEIGHT = 0.3;
/**
 * Terms reached with at least this weight, over any kind but `related`, count as "the same word" for coverage
 * (`Analyzer.equivalents`): a translation or lay word followed by one synonym link (0.75 · 0.6 = 0.45)
 * qualifies ("running" → hardlopen → hardloopprogramma); two synonym links (0.36) do not.
 */
export const EQUIVALENT_MIN_WEIGHT = 0.45;
/** Tolerance when comparing products of weights with a threshold. */
const WEIGHT_EPSILON = 1e-9;

/**
 * Compiles a lexicon against an analyzer's term pipeline.
 * @param weights per relation kind (0–1); defaults {@link DEFAULT_KIND_WEIGHTS}.
 */
export function compileLexicon(
  lexicon: Lexicon,
  analysis: TermAnalysis,
  weights: Partial<Record<RelationKind, number>> = {},
): CompiledLexicon {
  const occurrences = new Map<string, Occurrence[]>();
  const phrases = new Map<string, string[][]>();
  const groupKeys: { terms: string[]; canonical: string | undefined }[] = [];
  const englishSingles = new Set<string>();
  const dutchWords = new Set<string>(); // one-word keys of Dutch terms and canonicals

  const keyOf = (text: string): { key: string; seq: string[] } | undefined => {
    const seq = analysis.primaries(text);
    return seq.length === 0 ? undefined : { key: seq.join(' '), seq };
  };
  const note = (text: string, occurrence: Occurrence): string | undefined => {
    const k = keyOf(text);
    if (k === undefined) return undefined; // a term made only of stopwords can never match
    const list = occurrences.get(k.key) ?? [];
    if (!list.some((o) => o.group === occurrence.group && o.role === occurrence.role)) list.push(occurrence);
    occurrences.set(k.key, list);
    if (k.seq.length > 1) {
      const first = k.seq[0] ?? '';
      const list2 = phrases.get(first) ?? [];
      if (!list2.some((s) => s.join(' ') === k.key)) list2.push(k.seq);
      phrases.set(first, list2);
    }
    return k.key;
  };

  // A word that is also Dutch ("therapies" stems like "therapie", "patients" like "patiënten") is linked by
  // the Dutch groups only; as an English term it would give a Dutch word the stronger English link.
  const dutchKeys = new Set(
    lexicon.groups
      .flatMap((g) => [
        // An alternative's terms name practices in either language ("bed rest"): not a sign of a Dutch word.
        ...(g.kind === 'english' || g.kind === 'alternative' ? [] : g.terms),
        ...(g.canonical === undefined ? [] : [g.canonical]),
      ])
      .flatMap((t) => keyOf(t)?.key ?? []),
  );

  lexicon.groups.forEach((g, group) => {
    const english = g.kind === 'english';
    const terms: string[] = [];
    for (const t of g.terms) {
      if (english && dutchKeys.has(keyOf(t)?.key ?? '')) continue;
      const key = note(t, { group, role: 'term' });
      if (key === undefined) continue;
      if (!terms.includes(key)) terms.push(key);
      // One-word terms only: Dutch phrases often embed English names ("STarT Back", "low level laser").
      if (!key.includes(' ')) (english ? englishSingles : dutchWords).add(key);
    }
    const canonical = g.canonical === undefined ? undefined : note(g.canonical, { group, role: 'canonical' });
    if (canonical !== undefined && !canonical.includes(' ')) dutchWords.add(canonical);
    groupKeys.push({ terms, canonical });
  });
  for (const list of phrases.values()) list.sort((a, b) => b.length - a.length);

  return {
    lexicon,
    weights: { ...DEFAULT_KIND_WEIGHTS, ...weights },
    analysis,
    occurrences,
    phrasesByFirst: phrases,
    groupKeys,
    englishOnly: new Set([...englishSingles].filter((t) => !dutchWords.has(t))),
  };
}

/**
 * The lexicon keys a text mentions: every term of the text that is a one-word key (compound parts included,
 * so "rugoperaties" mentions "operatie"), and every multi-word key whose primaries occur consecutively
 * (stopwords are already gone, so "in bed blijven" matches "in zijn bed blijven").
 */
export function keysIn(
  compiled: CompiledLexicon,
  primaries: readonly string[],
  terms: Iterable<string>,
): Set<string> {
  const out = new Set<string>();
  for (const t of terms) if (compiled.occurrences.has(t)) out.add(t);
  primaries.forEach((first, i) => {
    for (const seq of compiled.phrasesByFirst.get(first) ?? []) {
      if (seq.every((t, k) => primaries[i + k] === t)) out.add(seq.join(' '));
    }
  });
  return out;
}

/**
 * The keys a group links a member to: towards the canonical only in a directed group, else all members. A
 * multi-word lay term ("pijn onderaan de rug", "in bed liggen") is how people ask, not how documents write:
 * it leads into its group but is no target, or its everyday words ("last", "liggen") would join the query.
 */
function targetsOf(
  compiled: CompiledLexicon,
  group: LexiconGroup,
  index: number,
  occurrence: Occurrence,
): string[] {
  const keys = compiled.groupKeys[index];
  if (keys === undefined) return [];
  if (group.kind === 'alternative')
    return occurrence.role === 'term' && keys.canonical !== undefined ? adviceKeys(compiled, keys.canonical) : [];
  if (isDirected(group))
    return occurrence.role === 'term' && keys.canonical !== undefined ? [keys.canonical] : [];
  const terms = group.kind === 'lay' ? keys.terms.filter((k) => !k.includes(' ')) : keys.terms;
  return keys.canonical === undefined ? [...terms] : [...terms, keys.canonical];
}

/**
 * An alternative names a piece of advice, not a word: the advice however it is written, i.e. its canonical
 * and the one-word or phrase members of the groups that share that canonical and say the same thing
 * (synonym, regional, abbreviation, lay one-word terms). "bedrust" → "actief blijven" also reaches "in
 * beweging blijven" at the alternative's weight, not one synonym link lower.
 */
function adviceKeys(compiled: CompiledLexicon, canonical: string): string[] {
  const out = [canonical];
  compiled.lexicon.groups.forEach((g, i) => {
    const keys = compiled.groupKeys[i];
    if (keys?.canonical !== canonical || isDirected(g) || g.kind === 'related' || g.kind === 'alternative') return;
    for (const k of g.kind === 'lay' ? keys.terms.filter((t) => !t.includes(' ')) : keys.terms)
      if (!out.includes(k)) out.push(k);
  });
  return out;
}

/**
 * The weight of one link over a group. A `related` group with a canonical says its terms are kinds of the
 * canonical (ibuprofen → NSAID, MRI → beeldvorming): what a source says about the class holds for each
 * member, so that link weighs like a synonym; a `related` group without canonical is a mere association.
 */
function linkWeight(compiled: CompiledLexicon, group: LexiconGroup): number {
  if (group.kind === 'related' && group.canonical !== undefined) return compiled.weights.synonym;
  return compiled.weights[group.kind];
}

/** A directed `related` group of drugs: its members are kinds of its canonical (a pharmacological class). */
function isDrugClass(group: LexiconGroup): boolean {
  return isDirected(group) && (group.entity === 'drug' || group.entity === 'drug-class');
}

/**
 * The Dutch canonicals of a key that the lexicon knows only as an English term ("low back pain" → "lage
 * rugpijn"); empty for any other key.
 */
export function translationsOf(compiled: CompiledLexicon, key: string): string[] {
  const occ = compiled.occurrences.get(key) ?? [];
  const english = occ.filter(
    (o) => o.role === 'term' && compiled.lexicon.groups[o.group]?.kind === 'english',
  );
  if (english.length === 0 || english.length !== occ.length) return [];
  return [...new Set(english.flatMap((o) => compiled.groupKeys[o.group]?.canonical ?? []))];
}

export interface ExpandOptions {
  /**
   * Follow `related` links: true (default) all of them, and from a drug class asked about down to its
   * members; 'classes' only a drug group's directed links from a member to its pharmacological class
   * (ibuprofen → NSAID: guidelines recommend by class, so what a source says of the class holds for the
   * member; an activity's class — zwemmen → lichaamsbeweging — is too broad to say the documents speak of
   * the activity), never down; false none.
   */
  related?: boolean | 'classes';
  /** Drop keys reached with less than this weight (default {@link MIN_WEIGHT}). */
  minWeight?: number;
  /** Follow at most this many links from a seed (default {@link MAX_HOPS}). */
  maxHops?: number;
}

/**
 * Walks the lexicon from seed keys (weight 1 each) and returns every key reached with its best weight, the
 * product of the kind weights along the strongest path. Seeds themselves are not in the result.
 */
export function expandKeys(
  compiled: CompiledLexicon,
  seeds: Iterable<string>,
  options: ExpandOptions = {},
): Map<string, number> {
  const related = options.related ?? true;
  const minWeight = options.minWeight ?? MIN_WEIGHT;
  const maxHops = options.maxHops ?? MAX_HOPS;
  const best = new Map<string, number>();
  for (const s of seeds) best.set(s, 1);
  const seedSet = new Set(best.keys());
  let frontier = new Map(best);
  // Keys whose best path climbed a `related` link (ibuprofen → NSAID): from these, no way down to members.
  const climbed = new Set<string>();
  for (let hop = 0; hop < maxHops && frontier.size > 0; hop++) {
    const next = new Map<string, number>();
    for (const [key, weight] of frontier) {
      for (const occ of compiled.occurrences.get(key) ?? []) {
        const group = compiled.lexicon.groups[occ.group];
        if (group === undefined) continue;
        if (group.kind === 'related' && (related === false || (related === 'classes' && !isDrugClass(group)))) continue;
        // The advice given instead of X is reached from X itself (or X under another name), never from what X
        // merely relates to.
        if (group.kind === 'alternative' && climbed.has(key)) continue;
        const w = weight * linkWeight(compiled, group);
        if (w < minWeight - WEIGHT_EPSILON) continue; // 0.75 · 0.6 is 0.4499… in floating point
        // A drug class asked about ("pijnstillers", "painkillers") reaches its members (paracetamol) for
        // retrieval and ranking: what the sources say of paracetamol bears on painkillers. Never in
        // 'classes' mode (a member is not "the same word" as its class: a dose of tramadol is no dose of
        // "opioïden"), and not after climbing to a class (ibuprofen ↛ NSAID ↛ diclofenac).
        const down =
          group.kind === 'related' && related === true && occ.role === 'canonical' && isDrugClass(group) && !climbed.has(key)
            ? (compiled.groupKeys[occ.group]?.terms ?? [])
            : [];
        for (const target of [...targetsOf(compiled, group, occ.group, occ), ...down]) {
          if (w > (best.get(target) ?? 0)) {
            best.set(target, w);
            next.set(target, w);
            if (group.kind === 'related' || climbed.has(key)) climbed.add(target);
            else climbed.delete(target);
          }
        }
      }
    }
    frontier = next;
  }
  for (const s of seedSet) best.delete(s);
  return best;
}
