/**
 * Rough polarity of an evidence sentence: does it say something works / is advised (+1), that it does not
 * work / is not advised (-1), or neither (0)? Used only to notice when two sources disagree so the answer
 * can say so; never to change what a quote says.
 */
const NEGATIVE = [
  /\bgeen (klinisch[e]? )?(relevant[e]? )?(voordeel|effect|verschil|meerwaarde|bewijs|nut|verbetering|baat)/i,
  /\bniet (werkzaam|effectief|nodig|aanbevolen|aan te raden|zinvol|nuttig|doeltreffend)/i,
  /\b(ineffectief|nutteloos|onwerkzaam|afgeraden|ontraden|weinig of geen|nauwelijks)\b/i,
  /\b(onder de drempel|niet klinisch relevant|geen klinisch relevant)/i,
  /\b(not effective|no benefit|no effect|ineffective|not recommended|largely ineffective)\b/i,
];
const POSITIVE = [
  /\b(werkzaam|effectief|doeltreffend|aanbevolen|aan te raden|gunstig effect|verbetering|verbeterde|helpt|zinvol|nuttig|aanvaardbaar)\b/i,
  /\b(effective|recommended|improve[sd]?|beneficial)\b/i,
];

/** Polarity of a sentence: 1 positive, -1 negative, 0 neutral or mixed. */
export function polarity(sentence: string): -1 | 0 | 1 {
  if (NEGATIVE.some((r) => r.test(sentence))) return -1;
  if (POSITIVE.some((r) => r.test(sentence))) return 1;
  return 0;
}

/** Population a sentence speaks about, when it names one. */
export function population(sentence: string): 'acute' | 'chronic' | undefined {
  const acute = /\b(acute?|subacute?)\b/i.test(sentence);
  const chronic = /\bchronisch\w*|\bchronic\b/i.test(sentence);
  if (acute && !chronic) return 'acute';
  if (chronic && !acute) return 'chronic';
  return undefined;
}
