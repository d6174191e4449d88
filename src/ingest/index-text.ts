import type { Chunk, SourceMeta } from '../types.js';

/** Version tag of the text analysis used at index time; part of the manifest so a change forces a rebuild. */
export const ANALYZER_VERSION = 'nl-analyzer-3';

/**
 * The text that is indexed (lexically and densely) for a chunk: the document title and the section path
 * give every passage its context ("Besluit van Minerva", the study topic) that the passage text often omits.
 */
export function chunkIndexText(chunk: Chunk, source: SourceMeta | undefined): string {
  const head = [source?.title, chunk.section.join(' — ')].filter((s) => s !== undefined && s !== '').join('\n');
  return head ? `${head}\n${chunk.text}` : chunk.text;
}
