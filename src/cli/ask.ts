import { parseArgs } from 'node:util';
import { AskInputSchema } from '../schemas.js';
import { validate } from '../validate.js';
import { createEngine, ask } from '../engine.js';
import { parseIntFlag, type Command } from './command.js';

/** `npm run ask -- "vraag" [--k N] [--json]`: prints the answer and its numbered sources. */
export const askCommand: Command = async (args, config) => {
  const { values, positionals } = parseArgs({
    args,
    options: { k: { type: 'string' }, json: { type: 'boolean', default: false } },
    allowPositionals: true,
    strict: true,
  });
  const input = validate(AskInputSchema, { question: positionals.join(' '), k: parseIntFlag('k', values.k) });
  const engine = await createEngine(config);
  const result = await ask(engine, input);
  if (values.json) {
    console.log(JSON.stringify(result, null, 2));
    return;
  }
  console.log(result.answer);
  if (result.citations.length > 0) {
    console.log(`\n${result.language === 'en' ? 'Sources' : 'Bronnen'}:`);
    for (const c of result.citations) {
      const quote = c.quote.replace(/\s+/g, ' ');
      console.log(`[${c.n}] ${c.title} (${c.file}${c.date ? `, ${c.date}` : ''}) — ${c.section || '—'}\n    “${quote}”`);
    }
  }
};
