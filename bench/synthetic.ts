import { promises as fs } from 'node:fs';
import path from 'node:path';
import { loadCorpus, SOURCES_FILE } from '../src/corpus/load.js';
import { mulberry32 } from '../test/helpers/random.js';

function shuffle<T>(items: T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/**
 * A perturbed variant of a document: sentences shuffled within each paragraph and ~10% of adjacent word
 * pairs swapped, so the variant has the same vocabulary and size (realistic BM25/LSA statistics) but is
 * not a byte copy (no accidental dedup, different chunk boundaries and vectors). Paragraph and line
 * structure (headings, list items) is kept so the cleaner and chunker see the same kind of text.
 */
export function perturb(text: string, random: () => number): string {
  return text
    .split(/(\n\s*\n)/)
    .map((part) => {
      if (/^\n\s*\n$/.test(part)) return part;
      return part
        .split('\n')
        .map((line) => {
          const sentences = line.split(/(?<=[.!?])\s+(?=\S)/);
          const shuffled = sentences.length > 1 ? shuffle(sentences, random) : sentences;
          const words = shuffled.join(' ').split(' ');
          for (let i = 0; i + 1 < words.length; i++) {
            if (random() < 0.1) {
              [words[i], words[i + 1]] = [words[i + 1] as string, words[i] as string];
              i++;
            }
          }
          return words.join(' ');
        })
        .join('\n');
    })
    .join('');
}

/** What {@link writeSyntheticCorpus} wrote. */
export interface SyntheticCorpus {
  dir: string;
  files: number;
  bytes: number;
}

/**
 * Writes a corpus `scale` times the size of `sourceDir` into `targetDir`: the original documents unchanged
 * (so the gold questions stay answerable and their `sources` stay valid) plus `scale - 1` perturbed
 * variants of each, named `<stem>_v<NNN>.txt`, with a matching sources.json (same metadata, title marked
 * as a variant) so src/corpus/load.ts accepts it.
 * @param seed PRNG seed (default 42).
 */
export async function writeSyntheticCorpus(sourceDir: string, targetDir: string, scale: number, seed = 42): Promise<SyntheticCorpus> {
  if (!Number.isInteger(scale) || scale < 1) throw new RangeError(`scale must be a positive integer, got ${scale}`);
  const { sources, docs } = await loadCorpus(sourceDir);
  const random = mulberry32(seed);
  await fs.rm(targetDir, { recursive: true, force: true });
  await fs.mkdir(targetDir, { recursive: true });
  const meta = [];
  let bytes = 0;
  for (const doc of docs) {
    const source = sources.find((s) => s.file === doc.file);
    if (!source) throw new Error(`no metadata for ${doc.file}`);
    const stem = doc.file.replace(/\.txt$/, '');
    for (let v = 0; v < scale; v++) {
      const file = v === 0 ? doc.file : `${stem}_v${String(v).padStart(3, '0')}.txt`;
      const text = v === 0 ? doc.original : perturb(doc.original, random);
      await fs.writeFile(path.join(targetDir, file), text);
      bytes += Buffer.byteLength(text);
      // `derived` is the loader's note, not a sources.json field.
      const { derived: _derived, ...entry } = source;
      meta.push(v === 0 ? entry : { ...entry, file, title: `${entry.title} (variant ${v})` });
    }
  }
  await fs.writeFile(path.join(targetDir, SOURCES_FILE), JSON.stringify(meta, null, 2));
  return { dir: targetDir, files: meta.length, bytes };
}
