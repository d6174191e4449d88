import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { detectRedFlags, type RedFlagId } from '../../src/answer/red-flags.js';

const ids = (q: string): RedFlagId[] => detectRedFlags(q).map((f) => f.id);

describe('detectRedFlags — Dutch', () => {
  it.each<[string, RedFlagId]>([
    ['Ik heb lage rugpijn en sinds vanochtend zadelanesthesie. Is dat gevaarlijk?', 'cauda-equina'],
    ['Gevoelloosheid in het zadelgebied bij lage rugpijn: hoe dringend is dat?', 'cauda-equina'],
    ['Ik heb een doof gevoel in het zadelgebied en rugpijn.', 'cauda-equina'],
    ['Tintelingen rond de anus sinds gisteren, wat nu?', 'cauda-equina'],
    ['Mijn patiënt voelt niets meer rond de anus en kan moeilijk plassen.', 'cauda-equina'],
    ['Rugpijn en sinds gisteren ongewild urineverlies: moet ik me zorgen maken?', 'cauda-equina'],
    ['Ik kan sinds vanmorgen niet meer plassen en mijn rug doet pijn.', 'cauda-equina'],
    ['Rijbroekanesthesie na een hernia, wat betekent dat?', 'cauda-equina'],
    ['Rugpijn met incontinentie voor ontlasting.', 'cauda-equina'],
    ['Ik heb problemen met plassen en stoelgang sinds mijn rugpijn.', 'cauda-equina'],
    ['Mijn been wordt steeds zwakker en ik heb ischias. Wat moet ik doen?', 'progressive-weakness'],
    ['Ischias met duidelijk krachtverlies in het been.', 'progressive-weakness'],
    ['Progressief krachtverlies in mijn voet, moet ik naar de dokter?', 'progressive-weakness'],
    ['Sinds gisteren heb ik een klapvoet.', 'progressive-weakness'],
    ['Ik heb geen kracht meer in mijn been.', 'progressive-weakness'],
    ['Ik heb rugpijn en al een paar dagen koorts. Kan dat kwaad?', 'fever'],
    ['Rugpijn met koude rillingen en nachtzweten.', 'fever'],
    [
      'Patiënt met kanker in de voorgeschiedenis en nieuwe rugpijn: waar moet ik op letten?',
      'cancer-history',
    ],
    ['Ik ben vijf jaar geleden behandeld voor borstkanker en heb nu rugpijn.', 'cancer-history'],
    ['Kunnen uitzaaiingen rugpijn geven?', 'cancer-history'],
    ['Na een val van de trap heb ik hevige rugpijn. Moet ik gewoon blijven bewegen?', 'trauma'],
    ['Rugpijn sinds een auto-ongeluk vorige week.', 'trauma'],
    ['Ik ben gisteren van een ladder gevallen en mijn rug doet pijn.', 'trauma'],
    ['Ik ben zonder reden 8 kilo afgevallen en heb rugpijn. Wat betekent dat?', 'weight-loss'],
    ['Onverklaard gewichtsverlies en rugpijn: moet ik me zorgen maken?', 'weight-loss'],
    ['Ik ben de laatste maanden sterk vermagerd.', 'weight-loss'],
    ["Ik heb vooral 's nachts pijn in mijn rug.", 'night-pain'],
  ])('%s → %s', (question, id) => {
    expect(ids(question)).toContain(id);
  });

  it('finds several flags in one question, each once, in rule order', () => {
    const flags = detectRedFlags(
      'Koorts, koorts en nog eens koorts, plus zadelanesthesie en borstkanker in de voorgeschiedenis.',
    );
    expect(flags.map((f) => f.id)).toEqual(['cauda-equina', 'fever', 'cancer-history']);
    expect(flags[1]?.match.toLowerCase()).toBe('koorts');
  });

  it('gives Dutch and English labels for the notice', () => {
    const [flag] = detectRedFlags('Ik heb zadelanesthesie.');
    expect(flag?.label).toMatch(/cauda-equinasyndroom/);
    expect(flag?.labelEn).toMatch(/cauda equina/);
  });
});

describe('detectRedFlags — English', () => {
  it.each<[string, RedFlagId]>([
    [
      'Back pain with numbness in the saddle area and trouble passing urine — what should I do?',
      'cauda-equina',
    ],
    ['I have saddle anaesthesia since this morning.', 'cauda-equina'],
    ["I can't pee and my lower back hurts.", 'cauda-equina'],
    ['Low back pain with bladder or bowel dysfunction.', 'cauda-equina'],
    ['Sciatica with a clearly weak foot: when do I refer?', 'progressive-weakness'],
    ['I have foot drop after a disc herniation.', 'progressive-weakness'],
    ['My leg weakness is getting worse every day.', 'progressive-weakness'],
    ['My left leg is getting weaker.', 'progressive-weakness'],
    ['I have low back pain and a high fever. Should I be worried?', 'fever'],
    ['Back pain after a history of cancer.', 'cancer-history'],
    ['Back pain after a car accident yesterday.', 'trauma'],
    ['Back pain after a fall from height.', 'trauma'],
    ['I have had unexplained weight loss and back pain.', 'weight-loss'],
    ['I lost 10 kg without trying and my back hurts.', 'weight-loss'],
  ])('%s → %s', (question, id) => {
    expect(ids(question)).toContain(id);
  });
});

describe('detectRedFlags — negation', () => {
  it.each([
    'Ik heb rugpijn maar geen koorts.',
    'Rugpijn zonder krachtverlies of gevoelloosheid.',
    'Geen koorts, geen gewichtsverlies en geen plasproblemen; helpt wandelen?',
    'Ik heb geen moeite met plassen.',
    'Nooit kanker gehad, wel al jaren rugpijn.',
    'I have back pain but no fever.',
    "I don't have a fever and no leg weakness.",
    'Back pain without saddle numbness or bladder problems.',
    'There was never any trauma or accident.',
  ])('%s → none', (question) => {
    expect(detectRedFlags(question)).toEqual([]);
  });

  it('a contrast word ends the negation: "geen koorts, wel krachtverlies"', () => {
    expect(ids('Geen koorts, wel krachtverlies in mijn been.')).toEqual(['progressive-weakness']);
    expect(ids('No fever, but my leg is getting weaker.')).toEqual(['progressive-weakness']);
  });

  it('a negation further away than the window does not hide the symptom', () => {
    expect(ids('Geen idee waarom ik koorts heb.')).toEqual(['fever']);
    expect(ids('Ik had gisteren geen pijn, vandaag heb ik koorts.')).toEqual(['fever']);
  });

  it('a later affirmed mention counts even when an earlier one is negated', () => {
    expect(ids('Gisteren geen koorts. Vandaag wel koorts.')).toEqual(['fever']);
  });

  it('"zonder reden" is a qualifier, not a negation', () => {
    expect(ids('Zonder duidelijke reden afgevallen, en nu rugpijn.')).toEqual(['weight-loss']);
  });

  it('a negated symptom never flags (property over symptom phrases and cues)', () => {
    const dutch = fc.record({
      symptom: fc.constantFrom(
        'koorts',
        'krachtverlies',
        'zadelanesthesie',
        'plasproblemen',
        'urineverlies',
        'klapvoet',
        'uitzaaiingen',
        'nachtzweten',
      ),
      cue: fc.constantFrom('geen', 'zonder', 'nooit', 'helemaal geen', 'geen echte'),
      prefix: fc.constantFrom('', 'Rugpijn, ', 'Ik heb ', 'Patiënt met rugpijn en '),
    });
    const english = fc.record({
      symptom: fc.constantFrom(
        'fever',
        'foot drop',
        'urinary retention',
        'leg weakness',
        'saddle anaesthesia',
        'chills',
      ),
      cue: fc.constantFrom('no', 'without', 'not any', 'never had', "don't have"),
      prefix: fc.constantFrom('', 'Back pain, ', 'I have back pain and ', 'Patient with '),
    });
    fc.assert(
      fc.property(fc.oneof(dutch, english), ({ symptom, cue, prefix }) => {
        expect(detectRedFlags(`${prefix}${cue} ${symptom}.`)).toEqual([]);
      }),
    );
  });
});

describe('detectRedFlags — ordinary questions that share words', () => {
  it.each([
    'Helpt lopen bij rugpijn?',
    'Heb ik gewoon een zwakke rug?',
    'Hoeveel stappen per dag moet ik zetten om af te vallen?',
    'Helpt afvallen bij rugpijn?',
    'Does losing weight help back pain?',
    'In welke gevallen is een operatie nodig?',
    'Zijn er gevallen waarin beeldvorming zinvol is?',
    'Ik heb een koortslip, mag ik sporten met rugpijn?',
    'Mijn rug doet pijn, moet ik in bed blijven?',
    'Wanneer verwijs ik een patiënt met ischias door naar een chirurg?',
    'Is oefentherapie zinvol bij acute niet-specifieke lagerugpijn?',
    'Op mijn scan zagen ze een hernia. Moet ik me zorgen maken?',
    'Does exercise therapy help for acute non-specific low back pain?',
    'Ik was ongelukkig met de behandeling.',
  ])('%s → none', (question) => {
    expect(detectRedFlags(question)).toEqual([]);
  });

  it('never returns the same kind twice (property)', () => {
    const parts = [
      'koorts',
      'geen koorts',
      'krachtverlies',
      'zadelanesthesie',
      'kanker',
      'fever',
      'een val van de trap',
      'rugpijn',
      'wandelen',
      'en',
      'maar',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...parts), { maxLength: 12 }), (words) => {
        const found = ids(words.join(' '));
        expect(new Set(found).size).toBe(found.length);
      }),
    );
  });
});
