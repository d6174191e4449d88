/**
 * Red-flag detection lives in `src/understand/red-flags.ts` (data: `src/understand/red-flags.json`); this
 * module keeps the answer stage's import path.
 */
export { detectRedFlags, redFlagReferralQuery, redFlagSentenceCues, type RedFlag, type RedFlagId } from '../understand/red-flags.js';
