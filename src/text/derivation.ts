/**
 * Dutch verb ↔ noun derivation for words a corpus does not use in the asked form: the Latinate verbs in
 * "-eren" and their nouns in "-atie" name the same act ("opereren" ↔ "operatie", "manipuleren" ↔
 * "manipulatie", "revalideren" ↔ "revalidatie", "geïnfiltreerd" ↔ "infiltratie"). Meant as a fallback (use
 * a derived word only when the asked word occurs nowhere and the derived one does), so a native verb that
 * merely ends in "-eren" ("veranderen") never meets a made-up noun.
 */

/** Shortest base before the suffix ("oper-"), so "leren" (le-) or "keren" (ke-) never derive. */
const MIN_BASE = 4;

/** A verb form or its stem: "opereren", "opereert", "geopereerd", "operer" (the Snowball stem of "opereren"). */
const VERB = /^(.+?)(?:eren|eert|eerde|eerden|eerd|er)$/;
const NOUN = /^(.+?)aties?$/;

/**
 * The words a folded Dutch word or stem may be derived into: a "-eren" verb (or its stem "-er") gives the
 * "-atie" noun; an "-atie(s)" noun gives the "-eren" verb. A participle's "ge-" is dropped ("geopereerd" →
 * "operatie"). Words, not stems: analyze them with the index's own pipeline. Empty for any other word.
 */
export function derivedWords(word: string): string[] {
  const w = word.toLowerCase();
  const noun = NOUN.exec(w);
  if (noun?.[1] !== undefined) return noun[1].length >= MIN_BASE ? [`${noun[1]}eren`] : [];
  const verb = VERB.exec(w);
  if (verb?.[1] === undefined) return [];
  const base = w.startsWith('ge') && w.endsWith('eerd') ? verb[1].slice(2) : verb[1];
  return base.length >= MIN_BASE ? [`${base}atie`] : [];
}
