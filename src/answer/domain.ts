import { foldText } from '../text/analyze.js';

/**
 * Domain vocabulary for the refusal decision. A question that names the back (or back pain), or one of the
 * loaded sources (the caller checks that against the index), is in the
 * corpus's domain even when it also uses words the corpus never does ("durf", "zagen", "vertel"): those are
 * everyday words, not a different topic. A question that names no part of the back but another body part or
 * condition is out of domain. Prefix patterns, so Dutch compounds match ("lendenkorset", "knieartrose").
 */
const BACK_ANCHOR =
  /\b(lrp\b|lrk\b|lwk\b|lumbago|rug|lage ?rug|onderrug|bovenrug|lende|lumba|ischia|hernia|discus|tussenwervel|wervel|ruggengraat|radiculair|uitstralende pijn|back|spine|spinal|sciatica|lumbar|slipped disc)/;
const OTHER_CONDITION =
  /\b(knie|heup|schouder|elleboog|pols\b|polsbreuk|nek|kaak|pees|achillespees|tendinitis|tendinopathie|fasciitis|verstuik|migraine|hoofdpijn|griep|verkoudheid|covid|corona|diabetes|astma|vaccin|zwanger|afval(len)?\b|vermager|dieet|tennis|knee|hip\b|shoulder|neck|jaw|tendon|elbow|wrist|ankle|headache|flu\b|asthma|pregnan|weight loss diet)/;

/** Whether the question names the back or back pain (Dutch or English). */
export function mentionsBack(question: string): boolean {
  return BACK_ANCHOR.test(foldText(question));
}

/** Whether the question names another body part or condition this corpus does not cover. */
export function mentionsOtherCondition(question: string): boolean {
  return OTHER_CONDITION.test(foldText(question));
}
