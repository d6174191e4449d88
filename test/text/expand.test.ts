import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../src/text/analyze.js';
import { expandKeys, MAX_HOPS, MIN_WEIGHT } from '../../src/text/expand.js';
import { DEFAULT_KIND_WEIGHTS, loadDefaultLexicon, membersOf, parseLexicon } from '../../src/text/lexicon.js';

const analyzer = createAnalyzer();
/** The index term of a Dutch word ("radiografie" → its stem). */
const first = (text: string): string => analyzer.terms(text)[0] ?? '';
const weights = (query: string): Map<string, number> =>
  new Map(analyzer.queryTerms(query).map((w) => [w.term, w.weight]));
const expands = (query: string): Set<string> => new Set(weights(query).keys());

describe('query expansion over the clinical lexicon', () => {
  // [what people type, a corpus word it must reach]
  it.each([
    ['rx', 'radiografie'],
    ['RX van de rug', 'radiografie'],
    ['NMR', 'mri'],
    ['foto', 'radiografie'],
    ['Dafalgan', 'paracetamol'],
    ['Panadol', 'paracetamol'],
    ['Perdolan', 'paracetamol'],
    ['Brufen', 'ibuprofen'],
    ['Nurofen', 'ibuprofen'],
    ['Brufen', 'ontstekingsremmers'],
    ['Voltaren', 'diclofenac'],
    ['Contramal', 'tramadol'],
    ['Tradonal', 'opioïden'],
    ['Lyrica', 'pregabaline'],
    ['Myolastan', 'tetrazepam'],
    ['Medrol', 'corticosteroïden'],
    ['kine', 'kinesitherapie'],
    ['kine', 'fysiotherapie'],
    ['fysio', 'kinesitherapie'],
    ['kinesist', 'fysiotherapeut'],
    ['kinesitherapeuten', 'kinesitherapie'],
    ['huisdokter', 'huisarts'],
    ['mutualiteit', 'zorgverzekeraar'],
    ['spuitje', 'injectie'],
    ['infiltratie', 'injectie'],
    ['lumbago', 'acute'],
    ['spit', 'rugpijn'],
    ['verschoten rug', 'acute'],
    ['ischias', 'radiculaire'],
    ['klapvoet', 'krachtverlies'],
    ['voet niet kunnen optillen', 'krachtverlies'],
    ['in bed blijven', 'bedrust'],
    ['bedrust', 'rust'],
    ['hernia', 'discushernia'],
    ['Bechterew', 'spondylitis'],
    ['sciatica', 'ischias'],
    ['sciatica', 'radiculaire'],
    ['herniated disc', 'discushernia'],
    ['low back pain', 'lagerugpijn'],
    ['exercise', 'oefentherapie'],
    ['imaging', 'beeldvorming'],
    ['painkiller', 'pijnstiller'],
    ['surgery', 'chirurgie'],
    ['injection', 'injectie'],
    ['referral', 'verwijzing'],
    ['red flags', 'alarmsignalen'],
    ['bed rest', 'bedrust'],
    ['return to work', 'werkhervatting'],
    ['pregnancy', 'zwangerschap'],
    ['heelkunde', 'chirurgie'],
    ['plooien', 'bukken'],
  ])('"%s" reaches "%s"', (query, dutch) => {
    expect(expands(query)).toContain(first(dutch));
  });

  it('weighs a link by its kind: brand and abbreviation above lay and English, above synonym, above association', () => {
    expect(weights('Dafalgan').get('paracetamol')).toBeCloseTo(DEFAULT_KIND_WEIGHTS.brand);
    expect(weights('rx').get(first('radiografie'))).toBeCloseTo(DEFAULT_KIND_WEIGHTS.abbreviation);
    expect(weights('sciatica').get(first('ischias'))).toBeCloseTo(DEFAULT_KIND_WEIGHTS.english);
    expect(weights('radiculopathie').get(first('radiculair'))).toBeLessThanOrEqual(
      DEFAULT_KIND_WEIGHTS.synonym,
    );
    // A chain multiplies: Dafalgan → paracetamol (brand) → pijnstiller (is-a, synonym weight).
    expect(weights('Dafalgan').get(first('pijnstiller'))).toBeCloseTo(
      DEFAULT_KIND_WEIGHTS.brand * DEFAULT_KIND_WEIGHTS.synonym,
    );
  });

  it('maps brands to the generic and English to Dutch, never back', () => {
    expect(expands('paracetamol')).not.toContain(first('Dafalgan'));
    expect(expands('ischias')).not.toContain(first('sciatica'));
    // A class reaches its members, but not their brands (NSAID → ibuprofen ↛ Brufen).
    expect(expands('NSAID')).not.toContain(first('Brufen'));
  });

  it('takes a drug class down to its members, but never a member across to its siblings', () => {
    // What the sources say of paracetamol or NSAIDs is what they say of painkillers.
    expect(expands('pijnstillers')).toContain('paracetamol');
    expect(expands('painkillers')).toContain('paracetamol');
    expect(weights('NSAID').get(first('ibuprofen'))).toBeLessThan(1);
    // ibuprofen → NSAID, but not on to diclofenac, another NSAID.
    expect(expands('ibuprofen')).toContain(first('NSAID'));
    expect(expands('ibuprofen')).not.toContain(first('diclofenac'));
  });

  it('does not add the everyday words of a multi-word lay phrase as expansions', () => {
    // "verschoten rug" and "in bed liggen" are how people ask; "lumbago" must not add "verschoten" or "liggen".
    expect(expands('lumbago')).not.toContain(first('verschoten'));
    expect(expands('bedrust')).not.toContain(first('liggen'));
  });

  it('caps an expansion at the asked word’s idf and shares a phrase’s weight among its words', () => {
    // A fake index: rugpijn is everywhere (idf 0.1), everything else rare (idf 3).
    const stats = { idf: (t: string): number => (t === 'rugpijn' || t === 'pijn' || t === 'rug' ? 0.1 : 3) };
    const capped = new Map(analyzer.queryTerms('rugpijn', stats).map((w) => [w.term, w.weight]));
    const rugklacht = capped.get(first('rugklachten')) ?? 0;
    expect(rugklacht).toBeGreaterThan(0);
    expect(rugklacht).toBeLessThanOrEqual((DEFAULT_KIND_WEIGHTS.lay * 0.1) / 3 + 1e-9);
    // A one-word lay term → "acute lage rugpijn": the three words share one link weight (equally, without idf).
    const phrase = createAnalyzer({
      lexicon: parseLexicon({
        version: 1,
        groups: [
          {
            terms: ['heksenschot'],
            canonical: 'acute lage rugpijn',
            kind: 'lay',
            entity: 'condition',
            why: 'x',
          },
        ],
      }),
    });
    const shared = new Map(phrase.queryTerms('heksenschot').map((w) => [w.term, w.weight]));
    const words = ['acute', 'lage', 'rugpijn'].map((w) => shared.get(phrase.terms(w)[0] ?? '') ?? 0);
    for (const w of words) expect(w).toBeCloseTo(DEFAULT_KIND_WEIGHTS.lay / 3);
  });

  it('follows at most MAX_HOPS links and drops expansions below MIN_WEIGHT', () => {
    const chain = createAnalyzer({
      lexicon: parseLexicon({
        version: 1,
        groups: ['a', 'b', 'c', 'd', 'e'].map((x, i, all) => ({
          terms: [`woord${x}`, `woord${all[i + 1] ?? 'f'}`],
          kind: 'regional',
          entity: 'other',
          why: 'x',
        })),
      }),
    });
    const reached = chain.queryTerms('woorda').map((w) => w.term);
    expect(reached).toContain(chain.terms('woordd')[0]);
    expect(reached).not.toContain(chain.terms('woorde')[0]);
    const weak = createAnalyzer({
      lexicon: parseLexicon({
        version: 1,
        groups: [
          { terms: ['woorda', 'woordb'], kind: 'related', entity: 'other', why: 'x' },
          { terms: ['woordb', 'woordc'], kind: 'related', entity: 'other', why: 'x' },
        ],
      }),
    });
    expect(weak.queryTerms('woorda').map((w) => w.term)).not.toContain(weak.terms('woordc')[0]); // 0.4 · 0.4
  });

  it('counts strong links and a drug\'s class as the same word for coverage, but not associations or an activity\'s class', () => {
    expect(analyzer.equivalents(first('Dafalgan'))).toContain('paracetamol');
    expect(analyzer.equivalents(first('sciatica'))).toContain(first('ischias'));
    // Brand → generic → class: guidelines recommend by class.
    expect(analyzer.equivalents(first('Voltaren'))).toContain(first('NSAID'));
    expect(analyzer.equivalents(first('ibuprofen'))).toContain(first('NSAID'));
    expect(analyzer.equivalents(first('zwemmen'))).not.toContain(first('lichaamsbeweging'));
  });

  it('links a practice to the advice given instead of it, however the advice is written, and never back', () => {
    const phrase = (text: string): string => analyzer.lexicon.analysis.primaries(text).join(' ');
    // bedrust → actief blijven (the alternative's canonical) and its synonym "in beweging blijven", one link.
    expect(analyzer.equivalents(first('bedrust'))).toContain(phrase('actief blijven'));
    expect(analyzer.equivalents(first('bedrust'))).toContain(phrase('in beweging blijven'));
    expect(weights('bedrust').get(first('actief'))).toBeCloseTo(DEFAULT_KIND_WEIGHTS.alternative);
    // Directed: staying active is not bed rest.
    expect(analyzer.equivalents(phrase('actief blijven'))).not.toContain(first('bedrust'));
  });

  it('keeps a multi-word equivalent as one key ("ischias" is written "radiculaire pijn")', () => {
    expect(analyzer.equivalents(first('ischias'))).toContain(analyzer.lexicon.analysis.primaries('radiculaire pijn').join(' '));
  });

  it('never weighs an expansion more than its strongest link, nor keeps one below MIN_WEIGHT (any lexicon term)', () => {
    const terms = loadDefaultLexicon().groups.flatMap((g) => membersOf(g));
    const strongest = Math.max(...Object.values(DEFAULT_KIND_WEIGHTS));
    fc.assert(
      fc.property(fc.constantFrom(...terms), fc.constantFrom(...terms), (a, b) => {
        const text = `${a} en ${b}`;
        const own = new Set(analyzer.terms(text));
        for (const { term, weight } of analyzer.queryTerms(text)) {
          expect(weight).toBeGreaterThan(0);
          expect(weight).toBeLessThanOrEqual(1);
          if (!own.has(term)) expect(weight).toBeLessThanOrEqual(strongest);
        }
        const keys = analyzer.lexicon.analysis.primaries(a).join(' ');
        for (const w of expandKeys(analyzer.lexicon, [keys]).values()) {
          expect(w).toBeGreaterThanOrEqual(MIN_WEIGHT - 1e-9);
        }
      }),
      { numRuns: 300 },
    );
    expect(MAX_HOPS).toBeGreaterThanOrEqual(1);
  });
});
