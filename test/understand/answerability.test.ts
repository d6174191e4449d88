import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  askedFigure,
  corpusView,
  fallbackEntities,
  findPopulations,
  judgeAnswerability,
  parseAnswerabilityTable,
  statesFigure,
  type CorpusView,
  type NamedEntity,
} from '../../src/understand/answerability.js';
import { normalize } from '../../src/understand/normalize.js';
import { lexiconEntityFinder } from '../../src/understand/answerability.js';
import { createAnalyzer } from '../../src/text/analyze.js';
import { parseLexicon } from '../../src/text/lexicon.js';

/** A tiny corpus in the shape of a trial summary: a population, an exclusion list, results. */
const CORPUS = [
  'Bestudeerde populatie\n\n• volwassenen met chronische lagerugpijn\n• exclusiecriteria:\nvoorgeschiedenis van chirurgie\nscoliose met indicatie voor chirurgie\nzwangerschap of postpartum\nregelmatig hardlopen\n• interventie: een loopprogramma',
  'Resultaten. Het loopprogramma verminderde de pijn na 12 weken. Ontstekingsremmers zijn een optie bij acute rugpijn. Hardlopen was veilig.',
  '• exclusiecriteria: • studies bij kinderen • studies over spondylitis\n\nKinesitherapie werd niet terugbetaald in deze studie.',
];
const view = corpusView(CORPUS);

describe('corpusView', () => {
  it.each([
    ['hardlopen', 'covered'],
    ['ontstekingsremmers', 'covered'],
    ['loopprogramma', 'covered'],
    ['scoliose', 'excluded-only'],
    ['zwangerschap', 'excluded-only'],
    ['zwanger', 'excluded-only'],
    ['spondylitis', 'excluded-only'],
    ['kinderen', 'excluded-only'],
    ['cannabis', 'absent'],
  ] as const)('%s → %s', (form, mention) => {
    expect(view.mention(form)).toBe(mention);
  });

  it('an occurrence after the list has ended (blank line, sentence end) is covered', () => {
    const v = corpusView(['exclusiecriteria:\nzwangerschap\n\nBij zwangerschap is bewegen veilig.']);
    expect(v.mention('zwangerschap')).toBe('covered');
  });
});

describe('entities without a lexicon', () => {
  it('finds populations in Dutch and English', () => {
    expect(
      findPopulations(normalize('Mag ik bewegen tijdens de zwangerschap?'), 'nl').map((e) => e.surface),
    ).toEqual(['zwangerschap']);
    expect(findPopulations(normalize('Is walking safe when pregnant?'), 'en').map((e) => e.surface)).toEqual([
      'pregnancy',
    ]);
    expect(findPopulations(normalize('Helpt wandelen bij rugpijn?'), 'nl')).toEqual([]);
  });

  it('a word in quotes, brackets or guillemets is a name', () => {
    for (const q of [
      'Helpt "cannabis" bij rugpijn?',
      'Helpt (cannabis) bij rugpijn?',
      'Helpt «cannabis» bij rugpijn?',
      'Helpt [cannabis] bij rugpijn?',
    ]) {
      expect(fallbackEntities(normalize(q), 'nl').map((e) => e.surface)).toEqual(['cannabis']);
    }
  });
});

describe('figures', () => {
  it.each([
    ['Hoeveel mg ibuprofen mag ik nemen?', 'dose'],
    ['Hoeveel Dafalgan mag ik per dag?', 'dose'],
    ['Mag ik 3 keer per dag Brufen 600 nemen?', 'frequency'],
    ['Mag ik drie keer per dag een pijnstiller nemen?', 'frequency'],
    ['hoeveel weken moet je wachten voor een hernia-operatie?', 'waiting'],
    ['how long should I wait before back surgery?', 'waiting'],
    ['Wordt kinesitherapie terugbetaald?', 'price'],
    ['Wat kost een MRI?', 'price'],
  ] as const)('%s asks a %s', (q, kind) => {
    expect(askedFigure(normalize(q))).toBe(kind);
  });

  it.each([
    'Helpt wandelen bij rugpijn?',
    'Welke pillen helpen bij rugpijn?',
    'Hoeveel deelnemers zaten in de studie?',
    'Hoe lang duurt acute rugpijn?',
  ])('%s asks no figure', (q) => {
    expect(askedFigure(normalize(q))).toBeUndefined();
  });

  it('a figure is stated by a number with a word of its kind', () => {
    expect(statesFigure('dose', 'Neem maximaal 400 mg per keer.')).toBe(true);
    expect(statesFigure('waiting', 'Het loopprogramma verminderde de pijn na 12 weken.')).toBe(true);
    expect(statesFigure('price', 'Kinesitherapie wordt terugbetaald.')).toBe(false);
  });
});

describe('judgeAnswerability', () => {
  const e = (surface: string, type: NamedEntity['type']): NamedEntity => ({
    surface,
    type,
    forms: [surface],
  });

  it('refuses an entity the corpus never names, naming it', () => {
    expect(judgeAnswerability({ entities: [e('cannabis', 'unknown')], corpus: view })).toEqual({
      kind: 'refuse',
      reason: 'unknown-subject',
      subject: 'cannabis',
    });
  });

  it('refuses a condition the corpus names only as excluded', () => {
    expect(judgeAnswerability({ entities: [e('scoliose', 'condition')], corpus: view })).toMatchObject({
      kind: 'refuse',
      subject: 'scoliose',
    });
  });

  it('answers with a caveat for a population not covered, but refuses it for medication', () => {
    expect(judgeAnswerability({ entities: [e('zwangerschap', 'population')], corpus: view })).toEqual({
      kind: 'caveat',
      subject: 'zwangerschap',
    });
    expect(
      judgeAnswerability({
        entities: [e('zwangerschap', 'population')],
        corpus: view,
        aboutMedication: true,
      }),
    ).toMatchObject({ kind: 'refuse' });
  });

  it('refuses a population the documents\' advice does not carry over to, even without medication', () => {
    const child: NamedEntity = { ...e('kinderen en jongeren', 'population'), refuseUncovered: true };
    expect(judgeAnswerability({ entities: [child], corpus: view })).toEqual({
      kind: 'refuse',
      reason: 'unknown-subject',
      subject: 'kinderen en jongeren',
    });
  });

  it('takes a treatment the corpus lacks as context only when set against one it names', () => {
    const both = [e('loopprogramma', 'treatment'), e('afwachtend beleid', 'treatment')];
    // "loopprogramma of afwachtend beleid bij rugpijn?": the answer is about the loopprogramma.
    expect(
      judgeAnswerability({ entities: both, corpus: view, text: 'loopprogramma of afwachtend beleid bij rugpijn?' }),
    ).toEqual({ kind: 'answer' });
    expect(
      judgeAnswerability({ entities: both, corpus: view, text: 'afwachtend beleid versus een loopprogramma?' }),
    ).toEqual({ kind: 'answer' });
    // Merely next to each other, or asked about: refused, naming it.
    expect(
      judgeAnswerability({ entities: both, corpus: view, text: 'loopprogramma en afwachtend beleid bij rugpijn?' }),
    ).toMatchObject({ kind: 'refuse', subject: 'afwachtend beleid' });
    expect(
      judgeAnswerability({
        entities: both,
        corpus: view,
        text: 'helpt afwachtend beleid of een loopprogramma?',
        focus: ['afwachtend beleid'],
      }),
    ).toMatchObject({ kind: 'refuse', subject: 'afwachtend beleid' });
    // A condition or a drug is never context: it changes which advice applies.
    for (const missing of [e('osteoporose', 'condition'), e('cannabis', 'drug')]) {
      expect(
        judgeAnswerability({
          entities: [e('loopprogramma', 'treatment'), missing],
          corpus: view,
          text: `loopprogramma of ${missing.surface}?`,
        }),
      ).toMatchObject({ kind: 'refuse', subject: missing.surface });
    }
  });

  it('a symptom or anatomy term the corpus lacks does not refuse on its own', () => {
    expect(
      judgeAnswerability({ entities: [e('kuit', 'anatomy'), e('stijfheid', 'symptom')], corpus: view }),
    ).toEqual({ kind: 'answer' });
  });

  it('refuses a figure no sentence states', () => {
    expect(
      judgeAnswerability({ entities: [], corpus: view, figure: 'waiting', figureStated: false }),
    ).toEqual({ kind: 'refuse', reason: 'dose-or-cost' });
    expect(judgeAnswerability({ entities: [], corpus: view, figure: 'waiting', figureStated: true })).toEqual(
      { kind: 'answer' },
    );
  });

  it('never answers about an absent must-cover entity (property)', () => {
    const absent: CorpusView = { mention: () => 'absent' };
    const types = fc.constantFrom<NamedEntity['type']>(
      'drug',
      'drug-class',
      'treatment',
      'test',
      'condition',
      'unknown',
    );
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 12 }), types, (surface, type) => {
        expect(judgeAnswerability({ entities: [e(surface, type)], corpus: absent }).kind).toBe('refuse');
      }),
    );
  });
});

describe('who a question is about, from a stated age', () => {
  const names = (q: string): string[] => findPopulations(normalize(q), 'nl').map((p) => p.surface);
  it.each([
    ['rugpijn bij mijn dochter van 10 jaar, wat doen?', ['kinderen en jongeren']],
    ['14-jarige met rugpijn na het sporten', ['kinderen en jongeren']],
    ['my daughter is 12 and has back pain', ['kinderen en jongeren']],
    ['mijn zoon van 30 heeft last van zijn rug', []],
    ['a 45-year-old son with back pain', []],
    ['pt 80j, plots rugpijn', ['ouderen']],
    ['mijn zoon heeft rugpijn', ['kinderen en jongeren']],
    ['rugpijn sinds 10 dagen bij mijn man', []],
    ['rugpijn sinds 10 jaar, wat kan ik doen?', []],
    ['I have had low back pain for 10 years', []],
    ['patient 3 maal per week oefentherapie, genoeg?', []],
    ['ik ben 17 en heb rugpijn', ['kinderen en jongeren']],
    ['Ik ben 70 en heb al 5 jaar rugpijn', ['ouderen']],
    ['mijn moeder van 80 heeft rugpijn', ['ouderen']],
  ])('"%s" → %j', (q, expected) => {
    expect(names(q)).toEqual(expected);
  });

  it('a child is refused when not covered; pregnancy and an older person get a caveat', () => {
    const flag = (q: string): boolean | undefined => findPopulations(normalize(q), 'nl')[0]?.refuseUncovered;
    expect(flag('dochter van 10 met rugpijn')).toBe(true);
    expect(flag('mag mijn zoontje van 10 gemanipuleerd worden?')).toBe(true);
    // A son or daughter of unstated age may be an adult: a caveat, not a refusal.
    expect(flag('mijn zoon heeft lage rugpijn, helpt bewegen?')).toBeUndefined();
    expect(flag('rugpijn tijdens de zwangerschap')).toBeUndefined();
    expect(flag('pt 80j met rugpijn')).toBeUndefined();
  });

  it('an age pattern that is not a valid regular expression is refused by name', () => {
    const table = createRequire(import.meta.url)('../../src/understand/answerability.json') as Record<string, unknown>;
    expect(() => parseAnswerabilityTable({ ...table, ages: { why: 'x', patterns: ['(unclosed'] } })).toThrow(/ages/);
  });
});

describe('answerability.json shape', () => {
  const table = createRequire(import.meta.url)('../../src/understand/answerability.json') as Record<
    string,
    unknown
  >;
  it('validates, and rejects a missing figure kind', () => {
    expect(parseAnswerabilityTable(table).populations.length).toBeGreaterThan(0);
    const figures = { ...(table.figures as Record<string, unknown>) };
    delete figures.price;
    expect(() => parseAnswerabilityTable({ ...table, figures })).toThrow(/answerability/);
  });
});

describe('lexiconEntityFinder', () => {
  it('counts the synonyms of a canonical as its forms, also where a group lists it as a term', () => {
    const analyzer = createAnalyzer({
      lexicon: parseLexicon({
        version: 1,
        groups: [
          { terms: ['lumbar radiculopathy'], canonical: 'radiculopathie', kind: 'english', entity: 'condition', why: 'x' },
          { terms: ['radiculopathie', 'radiculair syndroom'], canonical: 'radiculaire pijn', kind: 'synonym', entity: 'condition', why: 'x' },
        ],
      }),
    });
    const [mention] = lexiconEntityFinder(analyzer.lexicon)(normalize('When is an MRI useful in lumbar radiculopathy?'));
    expect(mention?.forms).toEqual(expect.arrayContaining(['radiculopathie', 'radiculair syndroom', 'radiculaire pijn']));
  });
});
