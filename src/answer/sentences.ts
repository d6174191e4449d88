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
  /** Context the sentence carries for ranking: it may only make sense with it. */
  context: SentenceContext;
}

/** What surrounds a sentence in its document (cleaned text). */
export interface SentenceContext {
  /** The previous sentence of the document (a pronoun's subject often lives there); '' at the start. */
  previous: string;
  /** Original span of the previous sentence, so a quote can be extended to keep its subject. */
  previousSpan?: { start: number; end: number; cleanStart: number };
  /** For a list item: the line that introduces the list ("Matig aanbevolen:"); '' otherwise. */
  leadIn: string;
  /** Original span of the lead-in line, so a quote can be extended to show the item under it. */
  leadInSpan?: { start: number; end: number; cleanStart: number };
  /** Whether the sentence is a list item (bullet or number at the start of its line). */
  listItem: boolean;
  /** Analysis terms of `previous` + `leadIn`. */
  contextTerms: string[];
  /** Analysis terms of the section path and the document title. */
  headingTerms: string[];
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
  const docSentences = new Map<string, DocSentence[]>();
  return new Map(index.chunks.map((chunk) => [chunk.id, chunkSentences(index, chunk, docSentences)]));
}

/** A sentence of a whole document (cleaned offsets), for context look-ups. */
interface DocSentence {
  start: number;
  end: number;
  text: string;
  listItem: boolean;
  /** Analysis terms, computed on first use and shared by every chunk that holds the sentence. */
  terms?: string[];
}

function termsOf(index: LoadedIndex, s: DocSentence): string[] {
  s.terms ??= index.analyzer.terms(s.text);
  return s.terms;
}

/** A bullet or a list number at the start of a line. */
const LIST_ITEM = /^(?:[•\-–—*▪◦·]|\(?\d{1,2}[.)](?!\d))\s*/u;
/** How far back (in sentences) a list's lead-in line may be. */
const MAX_LEAD_IN_DISTANCE = 12;

function documentSentences(index: LoadedIndex, file: string, memo: Map<string, DocSentence[]>): DocSentence[] {
  const have = memo.get(file);
  if (have) return have;
  const doc = index.docs.get(file);
  const list = doc
    ? splitSentences(doc.text).map((span) => {
        const text = doc.text.slice(span.start, span.end).replace(/\s+/g, ' ').trim();
        return { start: span.start, end: span.end, text, listItem: LIST_ITEM.test(text) };
      })
    : [];
  memo.set(file, list);
  return list;
}

function chunkSentences(index: LoadedIndex, chunk: Chunk, memo: Map<string, DocSentence[]> = new Map()): ChunkSentence[] {
  const doc = index.docs.get(chunk.file);
  if (!doc) return [];
  const all = documentSentences(index, chunk.file, memo);
  const title = index.sources.get(chunk.file)?.title ?? '';
  const headingTerms = index.analyzer.terms(`${chunk.section.join(' ')} ${title}`);
  const body = doc.text.slice(chunk.cleanStart, chunk.cleanEnd);
  return splitSentences(body).map((span) => {
    const a = chunk.cleanStart + span.start;
    const b = chunk.cleanStart + span.end;
    const { start, end } = toOriginalSpan(doc, a, b);
    const text = doc.text.slice(a, b).replace(/\s+/g, ' ').trim();
    const listItem = LIST_ITEM.test(text);
    // The document sentence this one starts in (chunk edges may split differently; the nearest start wins).
    // Binary search: the last document sentence starting at or before a.
    let lo = 0;
    let hi = all.length - 1;
    let at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((all[mid] as DocSentence).start <= a) {
        at = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    const own = at >= 0 && (all[at] as DocSentence).start === a && (all[at] as DocSentence).end === b ? all[at] : undefined;
    const prev = at > 0 ? all[at - 1] : undefined;
    let leadIn: DocSentence | undefined;
    if (listItem) {
      // The nearest line that introduces items: a label ending in a colon, even when it is itself an item of an
      // outer list ("- Niet aanbevolen:" over "  - Bedrust"), else the first line that is no list item.
      for (let i = at - 1; i >= 0 && at - i <= MAX_LEAD_IN_DISTANCE; i--) {
        const cand = all[i] as DocSentence;
        if (!cand.listItem || /:\s*$/.test(cand.text)) {
          leadIn = cand;
          break;
        }
      }
    }
    const previous = prev?.text ?? '';
    const prevOriginal = prev ? toOriginalSpan(doc, prev.start, prev.end) : undefined;
    const leadInOriginal = leadIn ? toOriginalSpan(doc, leadIn.start, leadIn.end) : undefined;
    return {
      cleanStart: a,
      text,
      start,
      end,
      quote: doc.original.slice(start, end),
      terms: own ? termsOf(index, own) : index.analyzer.terms(text),
      context: {
        previous,
        ...(prev && prevOriginal ? { previousSpan: { ...prevOriginal, cleanStart: prev.start } } : {}),
        leadIn: leadIn?.text ?? '',
        ...(leadIn && leadInOriginal ? { leadInSpan: { ...leadInOriginal, cleanStart: leadIn.start } } : {}),
        listItem,
        contextTerms: [...(prev ? termsOf(index, prev) : []), ...(leadIn && leadIn !== prev ? termsOf(index, leadIn) : [])],
        headingTerms,
      },
    };
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
