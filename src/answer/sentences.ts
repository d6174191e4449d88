import { toOriginalSpan } from '../corpus/clean.js';
import type { LoadedIndex } from '../ingest/load.js';
import type { RetrievedChunk } from '../retrieve/retrieve.js';
import { splitSentences } from '../text/sentences.js';

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

/** Splits retrieved passages into candidate sentences mapped back to their original spans. */
export function candidateSentences(index: LoadedIndex, passages: RetrievedChunk[]): CandidateSentence[] {
  const out: CandidateSentence[] = [];
  const seen = new Set<string>();
  passages.forEach((passage, passageRank) => {
    const doc = index.docs.get(passage.chunk.file);
    if (!doc) return;
    const body = doc.text.slice(passage.chunk.cleanStart, passage.chunk.cleanEnd);
    for (const span of splitSentences(body)) {
      const a = passage.chunk.cleanStart + span.start;
      const b = passage.chunk.cleanStart + span.end;
      const key = `${doc.file}:${a}`;
      // Overlapping chunks share sentences; keep the first (best-ranked) occurrence only.
      if (seen.has(key)) continue;
      seen.add(key);
      const { start, end } = toOriginalSpan(doc, a, b);
      const text = doc.text.slice(a, b).replace(/\s+/g, ' ').trim();
      out.push({
        passage,
        passageRank,
        cleanStart: a,
        text,
        start,
        end,
        quote: doc.original.slice(start, end),
        terms: index.analyzer.terms(text),
      });
    }
  });
  return out;
}
