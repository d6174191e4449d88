import { toOriginalSpan } from '../corpus/clean.js';
import type { LoadedIndex } from '../ingest/load.js';
import type { RetrievedChunk } from '../retrieve/retrieve.js';
import { splitSentences } from '../text/sentences.js';
import type { Chunk } from '../types.js';

/** A sentence of a retrieved passage, with its cleaned text and its verbatim span in the original file. */
export interface CandidateSentence {
  passage: RetrievedChunk;
  /** 0-based rank of its passage in the retrieval result. */
  passageRank: number;
  /** Position of the sentence inside its document (cleaned offset), for coherent ordering. */
  cleanStart: number;
  /** Cleaned (OCR-repaired) text, shown in the answer. */
  text: string;
  /** Original offsets: original.slice(start, end) is the quote. */
  start: number;
  end: number;
  quote: string;
  /** Index-time analysis terms of the sentence. */
  terms: string[];
}

/** One sentence of a chunk, analyzed once: everything of a candidate but the retrieval context. */
export type ChunkSentence = Omit<CandidateSentence, 'passage' | 'passageRank'>;

/** Sentences of every chunk by chunk id; build once per loaded index with {@link prepareSentences}. */
export type SentenceCache = ReadonlyMap<string, readonly ChunkSentence[]>;

/**
 * Splits every chunk into sentences mapped back to their original spans and analyzes them, once per index
 * (about 50 ms for the corpus), so answering a question does no sentence splitting or analysis.
 */
export function prepareSentences(index: LoadedIndex): SentenceCache {
  return new Map(index.chunks.map((chunk) => [chunk.id, chunkSentences(index, chunk)]));
}

function chunkSentences(index: LoadedIndex, chunk: Chunk): ChunkSentence[] {
  const doc = index.docs.get(chunk.file);
  if (!doc) return [];
  const body = doc.text.slice(chunk.cleanStart, chunk.cleanEnd);
  return splitSentences(body).map((span) => {
    const a = chunk.cleanStart + span.start;
    const b = chunk.cleanStart + span.end;
    const { start, end } = toOriginalSpan(doc, a, b);
    const text = doc.text.slice(a, b).replace(/\s+/g, ' ').trim();
    return { cleanStart: a, text, start, end, quote: doc.original.slice(start, end), terms: index.analyzer.terms(text) };
  });
}

/**
 * Splits retrieved passages into candidate sentences mapped back to their original spans.
 * @param cache sentences prepared once per index; computed on the fly for chunks it lacks.
 */
export function candidateSentences(
  index: LoadedIndex,
  passages: RetrievedChunk[],
  cache?: SentenceCache,
): CandidateSentence[] {
  const out: CandidateSentence[] = [];
  const seen = new Set<string>();
  passages.forEach((passage, passageRank) => {
    const sentences = cache?.get(passage.chunk.id) ?? chunkSentences(index, passage.chunk);
    for (const sentence of sentences) {
      const key = `${passage.chunk.file}:${sentence.cleanStart}`;
      // Overlapping chunks share sentences; keep the first (best-ranked) occurrence only.
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ ...sentence, passage, passageRank });
    }
  });
  return out;
}
