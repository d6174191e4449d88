import { loadGold, type GoldItem } from './gold.js';

/**
 * The dev/test split of an eval file: every item goes, once and for ever, to `tune` (about 2/3, the
 * questions a ranker may be fitted and tuned on) or `test` (about 1/3, reported only). The split is a
 * seeded hash of the item id, so it needs no stored list, does not depend on the order of the file, and
 * an item added later never moves an existing one. A follow-up item goes to the split of its own id: it is
 * self-contained through its `history`.
 */

export const SPLITS = ['tune', 'test'] as const;
export type Split = (typeof SPLITS)[number];

/**
 * Seed of the split hash. Chosen once (2026-12-02, before any tuning on realistic.jsonl) and never to be
 * changed: a new seed would move questions that were tuned on into `test`.
 */
export const SPLIT_SEED = 'rugwijs-split-v1:';

/** 32-bit FNV-1a over the UTF-16 code units of `text` (ids are ASCII, so this is the byte hash). */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** `test` when FNV-1a(SPLIT_SEED + id) mod 3 is 0 (about 1/3 of ids), `tune` otherwise. */
export function splitOf(id: string): Split {
  return fnv1a32(SPLIT_SEED + id) % 3 === 0 ? 'test' : 'tune';
}

/** A gold item with the split it belongs to. */
export type SplitItem = GoldItem & { split: Split };

/**
 * Loads an eval file (same format and errors as `loadGold`) and tags every item with its split.
 * @param split when given, only the items of that split are returned (file order kept).
 */
export async function loadSplit(path: string, split?: Split): Promise<SplitItem[]> {
  const items = (await loadGold(path)).map((item) => ({ ...item, split: splitOf(item.id) }));
  return split === undefined ? items : items.filter((item) => item.split === split);
}

/** What a trainer needs of one labelled question. */
export interface LabelledQuestion {
  id: string;
  question: string;
  /** Earlier turns, oldest first ([] for a first question). */
  history: { question: string; answer: string }[];
  answerable: boolean;
  /** Corpus files that answer it ([] when unanswerable). */
  sources: string[];
  /** Groups of alternative verbatim phrases a correct answer contains. */
  facts: string[][];
  split: Split;
}

/**
 * Labelled questions of an eval file for training a ranker, filtered by split — call it with 'tune' for
 * realistic.jsonl (never fit on 'test'). `split` 'all' returns every item (for a file such as gold.jsonl
 * that is used whole).
 * @throws AppError as loadGold does.
 */
export async function loadLabelled(path: string, split: Split | 'all'): Promise<LabelledQuestion[]> {
  const items = await loadSplit(path, split === 'all' ? undefined : split);
  return items.map((item) => ({
    id: item.id,
    question: item.question,
    history: (item.history ?? []).map((t) => ({ question: t.question, answer: t.answer })),
    answerable: item.answerable,
    sources: [...item.sources],
    facts: item.facts.map((g) => [...g]),
    split: item.split,
  }));
}
