import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import { isDutchWord, loadDutchWords, parseDutchWords } from '../../src/understand/dutch-words.js';
import { buildSpellingVocabulary, correctSpelling } from '../../src/understand/spelling.js';

describe('the Dutch word list', () => {
  const words = loadDutchWords();

  it('loads a large list of folded, lowercase words', () => {
    expect(words.size).toBeGreaterThan(100_000);
    for (const w of [...words].slice(0, 2000)) expect(w).toBe(w.toLowerCase());
  });

  it.each(['gegaan', 'gezeten', 'slechte', 'gebukt', 'verhuisd', 'plassen', 'voelt', 'beschermen', 'prevalentie', 'falen', 'gevolgd'])(
    'knows everyday Dutch a back-pain corpus may lack: %s',
    (w) => {
      expect(isDutchWord(w, words)).toBe(true);
    },
  );

  it.each(['hardlopn', 'rugpjn', 'parcetamol', 'accute', 'zadelanestesie'])('does not know the typo %s', (w) => {
    expect(isDutchWord(w, words)).toBe(false);
  });

  it('refuses a file that is not a Hunspell word list', () => {
    expect(() => parseDutchWords('hello\nworld')).toThrow(AppError);
    expect(parseDutchWords('2\nrug/Za\nlende\n').has('rug')).toBe(true);
  });
});

describe('typo correction with the word list', () => {
  const vocab = buildSpellingVocabulary(['Wat is er gedaan en gemeten? Hardlopen helpt.'], []);
  const words = loadDutchWords();
  const isWord = (w: string): boolean => isDutchWord(w, words);

  it('leaves a real word the corpus lacks alone, and still corrects a typo', () => {
    expect(correctSpelling('ik ben door mijn rug gegaan', vocab, () => false, isWord).text).toBe('ik ben door mijn rug gegaan');
    expect(correctSpelling('ik heb lang gezeten', vocab, () => false, isWord).text).toBe('ik heb lang gezeten');
    expect(correctSpelling('helpt hardlopn?', vocab, () => false, isWord).text).toBe('helpt hardlopen?');
    // Without the word list, the same words are "corrected" into other corpus words.
    expect(correctSpelling('ik ben door mijn rug gegaan', vocab, () => false).text).toBe('ik ben door mijn rug gedaan');
  });

  it('knows inflections that double a consonant or undouble a vowel, and still not a typo', () => {
    // "voorstellen" (voorstel + en) was once "corrected" to a corpus word two letters away.
    for (const w of ['voorstellen', 'aanraden', 'zwemmen', 'ruggen']) expect(isWord(w), w).toBe(true);
    for (const w of ['hardlopn', 'parcetamol', 'oefentherapy', 'accute', 'behandelinggen', 'chronischhe', 'menssen', 'deelnemes'])
      expect(isWord(w), w).toBe(false);
  });
});
