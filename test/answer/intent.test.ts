import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { detectIntent } from '../../src/answer/intent.js';

describe('detectIntent: the treatment a yes/no question asks about', () => {
  it.each([
    ['Werken antidepressiva bij chronische lagerugpijn?', 'antidepressiva'],
    ['Helpt acupunctuur bij rugpijn?', 'acupunctuur'],
    ['Helpt een massage bij rugpijn?', 'massage'],
    ['Does an epidural help for sciatica?', 'epidural'],
    ['Is dextromethorfan zinvol?', 'dextromethorfan'],
    ['Wat is het effect van analgetica op de pijn?', 'analgetica'],
  ])('%s → %s', (q, focus) => {
    expect(detectIntent(q).efficacyFocus).toBe(focus);
  });

  it('never cuts an article off the front of a word (property)', () => {
    const treatment = fc.constantFrom('antidepressiva', 'anesthesie', 'amitriptyline', 'dexamethason', 'thermotherapie', 'heparine', 'acupunctuur');
    fc.assert(
      fc.property(fc.constantFrom('Helpt', 'Werkt', 'Werken', 'Helpen'), treatment, (verb, t) => {
        expect(detectIntent(`${verb} ${t} bij rugpijn?`).efficacyFocus).toBe(t);
      }),
    );
  });
});

describe('detectIntent: yes/no efficacy questions in everyday wording', () => {
  it.each(['kine of niet bij lumbago?', 'is zwemmen goed voor mijn rug?', 'is massage goed bij rugpijn?', 'is surgery worth it for back pain?', 'yoga or not?'])(
    '%s asks whether something helps',
    (q) => {
      expect(detectIntent(q).efficacy).toBe(true);
    },
  );

  it('a question that only names a treatment does not', () => {
    expect(detectIntent('wat is kinesitherapie?').efficacy).toBe(false);
  });
});

describe('detectIntent: what a question asks to choose or explain', () => {
  it.each([
    ['Welk hoofdkussen is het best bij rugpijn?', 'hoofdkussen'],
    ['welke zwakke punten had de studie?', 'zwakke'],
    ['Welke score gaven de deelnemers?', 'score'],
    ['welke vitamine helpt bij rugpijn?', 'vitamine'],
    ['Wat is de beste stoel voor mijn rug?', 'stoel'],
    ['Wat doet een podoloog bij rugpijn?', 'podoloog'],
    ['Which mattress is best for back pain?', 'mattress'],
  ])('%s → %s', (q, focus) => {
    expect(detectIntent(q).choiceFocus).toBe(focus);
  });

  it.each(['Welk percentage van de klachten is aspecifiek?', 'Welk deel van de behandelingen werkte?', 'Hoeveel deelnemers waren er?'])(
    'a number asked for is not a choice: %s',
    (q) => {
      expect(detectIntent(q).choiceFocus).toBeUndefined();
    },
  );
});

