import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAnalyzer, foldText } from '../../src/text/analyze.js';
import { parseLexicon } from '../../src/text/lexicon.js';

const analyzer = createAnalyzer();
const { terms, queryTerms, contentTerms, equivalents } = analyzer;

/** The query terms as a term → weight map. */
const weightsOf = (text: string): Map<string, number> =>
  new Map(queryTerms(text).map((w) => [w.term, w.weight]));

describe('terms: folding, stemming, stopwords', () => {
  it('treats OCR accent variants of a word as one word', () => {
    const variants = ['patiénten', 'patiënten', 'patienten', 'PATIËNTEN'].map((w) => terms(w));
    expect(variants[0]).toHaveLength(1);
    for (const v of variants) expect(v).toEqual(variants[0]);
    expect(terms('geïdentificeerd')).toEqual(terms('geidentificeerd'));
  });

  it('stems Dutch plurals and derivations to the same term', () => {
    expect(terms('behandelingen')).toEqual(terms('behandeling'));
    expect(terms('oefeningen')).toEqual(terms('oefening'));
    expect(terms('deelnemers')).toEqual(terms('deelnemer'));
    // Snowball leaves -ies/-ieën plurals alone; the analyzer fixes them.
    expect(terms('studies')).toEqual(terms('studie'));
    expect(terms('injecties')).toEqual(terms('injectie'));
    expect(terms('therapieën')).toEqual(terms('therapie'));
  });

  it('drops Dutch and English stopwords but keeps content words and numbers', () => {
    expect(terms('De pijn is niet van de rug')).toEqual(['pijn', 'rug']);
    expect(terms('What is the best treatment for back pain')).toEqual(
      expect.arrayContaining(['back', 'pain']),
    );
    expect(terms('What is the best treatment for back pain')).not.toContain('the');
    expect(terms('na 12 weken en 2,5 dagen bij 40 deelnemers')).toEqual(
      expect.arrayContaining(['12', '2,5', '40']),
    );
    expect(terms('NSAID of MRI bij LRP')).toEqual(['nsaid', 'mri', 'lrp']);
  });

  it('keeps clinical words that broad stopword lists contain', () => {
    for (const w of [
      'pijn',
      'rug',
      'lopen',
      'been',
      'back',
      'low',
      'pain',
      'effect',
      'help',
      'work',
      'onzeker',
    ]) {
      expect(terms(w), w).toHaveLength(1);
    }
  });

  it('removes an apostrophe-s and single-letter debris (bullets, OCR)', () => {
    expect(terms("RCT's en programma's")).toEqual(['rct', 'programma']);
    expect(terms('e o volwassenen')).toEqual(terms('volwassenen'));
  });

  it('keeps order and duplicates for term frequency', () => {
    const t = terms('rugpijn, nekpijn en opnieuw rugpijn');
    expect(t.filter((x) => x === 'rugpijn')).toHaveLength(2);
    expect(t.indexOf('rugpijn')).toBeLessThan(t.indexOf('nekpijn'));
  });

  it('returns no content terms for questions without content words', () => {
    expect(contentTerms('wat is dat?')).toEqual([]);
    expect(contentTerms('hoe zit het?')).toEqual([]);
    expect(contentTerms('Is dat niet zo?')).toEqual([]);
    expect(contentTerms('What is that?')).toEqual([]);
    expect(contentTerms('')).toEqual([]);
    expect(contentTerms('?!… —')).toEqual([]);
  });

  it('joins a separable verb split by "te": "in te schatten" also yields the term of "inschatten"', () => {
    const [inschatten] = terms('inschatten');
    expect(terms('het risico in te schatten')).toContain(inschatten);
    expect(terms('aan te raden')).toContain(terms('aanraden')[0]);
    expect(terms('uit te sluiten')).toContain(terms('uitsluiten')[0]);
    // "om te" is the purpose construction, and a particle without "te" is no split verb.
    expect(terms('om te bewegen')).toEqual(terms('bewegen'));
    expect(terms('in de schatten')).not.toContain(inschatten);
  });

  it('rebuilds a split separable verb as a verb form, kept out of the content terms', () => {
    const [inschatten] = terms('inschatten');
    const forms = (t: string): string[] => analyzer.verbForms(t).map((v) => v.term);
    // A clause-final particle joins the clause's finite verb; a participle drops its "ge".
    expect(forms('Hoe en wanneer schat ik het risico in?')).toContain(inschatten);
    expect(forms('Wanneer verwijs ik door?')).toContain(terms('doorverwijzen')[0]);
    expect(forms('Raadt de richtlijn manipulatie aan?')).toContain(terms('aanraden')[0]);
    expect(forms('Het risico wordt ingeschat.')).toContain(inschatten);
    // Rebuilt forms may be no word ("toegenomen" → "toenomen"): not content, so never an unknown word.
    expect(contentTerms('Hoe schat ik het risico in?')).not.toContain(inschatten);
    expect(terms('Hoe schat ik het risico in?')).toContain(inschatten);
    // A particle that does not end its clause, or a clause without a verb before it, rebuilds nothing.
    expect(forms('Ik woon in Gent.')).toEqual([]);
    expect(forms('in?')).toEqual([]);
  });
});

describe('terms: compounds and hyphenation', () => {
  const forms = ['lagerugpijn', 'lage-rugpijn', 'lage rugpijn', 'Lage Rugpijn', 'rugpijn'];

  it('lets lagerugpijn, lage-rugpijn, lage rugpijn and rugpijn meet', () => {
    const rugpijn = terms('rugpijn')[0];
    expect(rugpijn).toBeDefined();
    for (const f of forms) {
      expect(terms(f), f).toEqual(expect.arrayContaining([rugpijn, 'rug', 'pijn']));
    }
    // The written-together and hyphenated forms are the same compound.
    expect(new Set(terms('lage-rugpijn'))).toEqual(new Set(terms('lagerugpijn')));
  });

  it('emits compound parts alongside the whole word', () => {
    expect(terms('oefentherapie')).toEqual(
      expect.arrayContaining(['oefentherapie', 'therapie', ...terms('oefening')]),
    );
    expect(terms('wervelkolom')).toEqual(['wervelkolom', 'wervel', 'kolom']);
    expect(terms('rugklachten')).toEqual(expect.arrayContaining([...terms('rug'), ...terms('klachten')]));
    expect(terms('lichaamsbeweging')).toEqual(
      expect.arrayContaining([...terms('lichaam'), ...terms('beweging')]),
    );
    expect(terms('zelfzorg')).toEqual(expect.arrayContaining(['zelf', 'zorg']));
  });

  it('does not shred ordinary words', () => {
    for (const w of [
      'patiënten',
      'behandeling',
      'werkzaam',
      'onderzoek',
      'ruggengraat',
      'pijnlijke',
      'programma',
    ]) {
      expect(terms(w), w).toHaveLength(1);
    }
  });

  it('splits hyphenated words into parts and the joined form', () => {
    const t = terms('niet-specifieke lagerugpijn');
    expect(t).toEqual(expect.arrayContaining([...terms('specifieke'), 'nietspecifiek']));
    expect(terms('NSAID-geneesmiddelen')).toEqual(
      expect.arrayContaining(['nsaid', ...terms('geneesmiddelen')]),
    );
  });

  it('rejoins words hyphenated at a line break', () => {
    expect(terms('de KCE-\nrichtlijn')).toEqual(expect.arrayContaining(terms('KCE-richtlijn')));
    expect(terms('de behande-\n  ling')).toContain(terms('behandeling')[0]);
    // A dash between spaced words is punctuation, not a hyphen.
    expect(terms('rugpijn - soms')).toEqual([...terms('rugpijn'), ...terms('soms')]);
  });

  it('rebuilds elided coordinated compounds ("rug- en nekpijn")', () => {
    expect(terms('lage rug- en nekpijn')).toContain(terms('rugpijn')[0]);
    expect(terms('loop- en wandelprogramma')).toEqual(expect.arrayContaining(terms('loopprogramma')));
    expect(terms('Nek-, schouder en lage rugklachten')).toContain(terms('nekklachten')[0]);
  });
});

describe('queryTerms: synonyms and translations', () => {
  it('keeps original terms at weight 1 and adds synonyms at a lower weight', () => {
    const w = weightsOf('Helpt kinesitherapie?');
    expect(w.get('kinesitherapie')).toBe(1);
    const fysio = w.get(terms('fysiotherapie')[0] ?? '');
    expect(fysio).toBeGreaterThan(0);
    expect(fysio).toBeLessThan(1);
    // Merged by term: no duplicates.
    expect(queryTerms('kinesitherapie kinesitherapie').length).toBe(
      new Set(queryTerms('kinesitherapie').map((x) => x.term)).size,
    );
  });

  it('expands by stem, so inflected forms find the synonyms', () => {
    const w = weightsOf('kinesitherapeuten');
    expect(w.has('fysiotherapie')).toBe(true);
  });

  it('maps an English question to Dutch terms', () => {
    const w = [...weightsOf('Does exercise help acute low back pain?').keys()];
    expect(w.some((t) => t.startsWith('oefen'))).toBe(true);
    expect(w.some((t) => t.startsWith('acut'))).toBe(true);
    expect(w.some((t) => t.startsWith('rugpijn'))).toBe(true);
    expect(w).toContain('lagerugpijn');
  });

  it('gives English-only words a low weight so their Dutch translations carry the question', () => {
    const w = weightsOf('Does exercise help acute low back pain?');
    expect(w.get('pain')).toBeLessThan(w.get('pijn') ?? 0);
    expect(w.get('back')).toBeLessThan(w.get('rug') ?? 0);
    // Words that are Dutch too keep full weight.
    expect(w.get('acut')).toBe(1);
    expect(weightsOf('sport').get('sport')).toBe(1);
  });

  it('matches multi-word entries as phrases, ignoring stopwords in between', () => {
    expect(weightsOf('Kan ik terug naar mijn werk?').has(terms('werkhervatting')[0] ?? '')).toBe(true);
    expect(weightsOf('When can I go back to work?').has(terms('werkhervatting')[0] ?? '')).toBe(true);
    // The words apart do not form the phrase.
    expect(weightsOf('werk en later terug').has(terms('werkhervatting')[0] ?? '')).toBe(false);
  });

  it('expands related (narrower) terms into a group at a lower weight, and a drug class to its members', () => {
    const w = weightsOf('Helpt ibuprofen?');
    const nsaid = w.get('nsaid');
    expect(nsaid).toBeGreaterThan(0);
    expect(nsaid).toBeLessThan(weightsOf('ontstekingsremmers').get('nsaid') ?? 0);
    expect(weightsOf('NSAID').get(terms('ibuprofen')[0] ?? '')).toBeCloseTo(nsaid ?? 0);
    // Associations outside drug classes stay one way: an activity's class does not name the activity.
    expect(weightsOf('lichaamsbeweging').has(terms('zwemmen')[0] ?? '')).toBe(false);
  });

  it('uses a custom lexicon and kind weights when given', () => {
    const custom = createAnalyzer({
      lexicon: parseLexicon({
        version: 1,
        groups: [
          { terms: ['bicycle'], canonical: 'fiets', kind: 'english', entity: 'other', why: 'x' },
          { terms: ['fiets', 'rijwiel'], kind: 'synonym', entity: 'other', why: 'x' },
        ],
      }),
      kindWeights: { english: 0.5 },
    });
    const w = new Map(custom.queryTerms('bicycle').map((x) => [x.term, x.weight]));
    expect(w.get(custom.terms('fiets')[0] ?? '')).toBe(0.5);
    // Chained: English 0.5 · synonym 0.6.
    expect(w.get(custom.terms('rijwiel')[0] ?? '')).toBeCloseTo(0.3);
    expect(custom.queryTerms('kinesitherapie').map((x) => x.term)).toEqual([
      'kinesitherapie',
      'kinesist',
      'therapie',
    ]);
  });
});

describe('equivalents', () => {
  it('returns the term and its Dutch synonyms', () => {
    const eq = equivalents('kinesitherapie');
    expect(eq[0]).toBe('kinesitherapie');
    expect(eq).toEqual(expect.arrayContaining(['fysiotherapie', terms('kine')[0], terms('fysio')[0]]));
    // The profession is another thing than the treatment, even though it expands into it.
    expect(eq).not.toContain('kinesist');
    expect(equivalents('kinesist')).toEqual(expect.arrayContaining([terms('fysiotherapeut')[0], terms('kinesitherapeut')[0]]));
    expect(equivalents('pain')).toContain('pijn');
  });

  it('returns only the term itself for a word outside the table, and an activity without its broad class', () => {
    expect(equivalents('fietspad')).toEqual(['fietspad']);
    expect(equivalents(terms('tuinieren')[0] ?? '')).toEqual(terms('tuinieren'));
  });
});

describe('foldText', () => {
  it('lowercases, removes diacritics and expands ligatures', () => {
    expect(foldText('Patiënt Één ﬁets ĳs')).toBe('patient een fiets ijs');
  });
});

describe('properties', () => {
  /** Arbitrary UTF-16 including lone surrogates, mixed with Dutch words so the real paths run. */
  const anyText = fc
    .array(
      fc.oneof(
        fc.array(fc.integer({ min: 0, max: 0xffff })).map((codes) => String.fromCharCode(...codes)),
        fc.string({ unit: 'binary', maxLength: 20 }),
        fc.constantFrom(
          'lagerugpijn',
          'rug-',
          'en',
          'nekpijn',
          "RCT's",
          'patiënten',
          '2,5',
          '-',
          'low back pain',
        ),
      ),
      { maxLength: 12 },
    )
    .map((parts) => parts.join(' '));

  it('never throws and returns only non-empty strings on arbitrary unicode', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        for (const t of terms(text)) expect(t.length).toBeGreaterThan(0);
        for (const t of contentTerms(text)) expect(t.length).toBeGreaterThan(0);
        for (const { term, weight } of queryTerms(text)) {
          expect(term.length).toBeGreaterThan(0);
          expect(weight).toBeGreaterThan(0);
          expect(weight).toBeLessThanOrEqual(1);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('contentTerms are the distinct terms, and all of them are query terms', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const content = contentTerms(text);
        expect(content).toEqual([...new Set(terms(text))]);
        const query = new Map(queryTerms(text).map((w) => [w.term, w.weight]));
        for (const t of content) expect(query.has(t)).toBe(true);
        for (const [t, w] of query) if (w === 1) expect(content).toContain(t);
      }),
      { numRuns: 200 },
    );
  });
});
