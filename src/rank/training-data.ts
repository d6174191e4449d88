import { promises as fs } from 'node:fs';
import { z } from 'zod';
import type { TrainingItem } from './dataset.js';

const LooseItemSchema = z.object({
  id: z.string(),
  question: z.string(),
  answerable: z.boolean(),
  facts: z.array(z.array(z.string())).default([]),
  history: z.array(z.object({ question: z.string(), answer: z.string().optional() })).optional(),
  split: z.enum(['tune', 'test']).optional(),
});

/**
 * The labelled items of one split of a dev set (JSONL). An item's split is its `split` field when present,
 * otherwise it is computed by the eval's seeded hash of the id. Returns [] when the file does not exist.
 */
export async function loadTrainingSplit(file: string, split: 'tune' | 'test'): Promise<TrainingItem[]> {
  const text = await fs.readFile(file, 'utf8').catch(() => '');
  const out: TrainingItem[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const item = LooseItemSchema.parse(JSON.parse(line));
    // TODO(lead): use the eval's splitOf(id) once it lands; until then only items that name their split.
    if (item.split === split) out.push(item);
  }
  return out;
}
