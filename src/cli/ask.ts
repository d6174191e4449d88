import { parseArgs } from 'node:util';
import { AskInputSchema, type Answer } from '../schemas.js';
import { validate } from '../validate.js';
import { createEngine, ask } from '../engine.js';
import { parseIntFlag, rangeOf, type Command } from './command.js';

/** `npm run ask -- "vraag" [--k N] [--json]`: prints the answer and its numbered sources. */
export const askCommand: Command = async (args, config) => {
  const { values, positionals } = parseArgs({
    args,
    options: { k: { type: 'string' }, json: { type: 'boolean', default: false } },
    allowPositionals: true,
    strict: true,
  });
  const input = validate(AskInputSchema, { question: positionals.join(' '), k: parseIntFlag('k', values.k, rangeOf(AskInputSchema.shape.k)) });
  const engine = await createEngine(config);
  const result = await ask(engine, input);
  if (values.json) {
    console.log(JSON.stringify(result, null, 2));
    return;
  }
  console.log(result.answer);
  const sources = formatSources(result);
  if (sources) console.log(`\n${sources}`);
};

/**
 * The numbered source list under a printed answer: `[n] title (file, date) — section` and the quote.
 * A source without sections (a press release, a news item) has an empty section: nothing is printed for
 * it (never "— —"). Empty string when there are no citations.
 */
export function formatSources(result: Pick<Answer, 'citations' | 'language'>): string {
  if (result.citations.length === 0) return '';
  // A refusal's citations are only pointers to the nearest sections, not support for a claim.
  const pointers = result.citations.every((c) => c.nearest);
  const en = result.language === 'en';
  const lines = [pointers ? (en ? 'Where the documents come closest:' : 'Waar de documenten het dichtst bij komen:') : en ? 'Sources:' : 'Bronnen:'];
  for (const c of result.citations) {
    const where = c.section.trim() ? ` — ${c.section}` : '';
    lines.push(`[${c.n}] ${c.title} (${c.file}${c.date ? `, ${c.date}` : ''})${where}`, `    “${c.quote.replace(/\s+/g, ' ')}”`);
  }
  return lines.join('\n');
}
