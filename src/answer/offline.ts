import type { LoadedIndex } from '../ingest/load.js';
import { retrieve, type RetrievedChunk } from '../retrieve/retrieve.js';
import { foldText } from '../text/analyze.js';
import type { SourceKind } from '../types.js';
import type { QuestionIntent } from './intent.js';
import { countPattern } from './select.js';
import { candidateSentences, type SentenceCache } from './sentences.js';
import { isConclusionSection, type Anchor, type RankQuery } from '../rank/features.js';
import type { QuestionTerm } from './question-terms.js';
import { resolveFollowUp, type Turn } from './follow-up.js';
import { rankCandidates, rankQuery, selectAnswer, understandIntent, type RankedSentence, type Ranker } from '../rank/rank.js';

/** What ranking sentences needs: the loaded index, its prepared sentences, and the trained ranker. */
export interface ChooseContext {
  index: LoadedIndex;
  sentences?: SentenceCache | undefined;
  ranker: Ranker;
}

/**
 * The candidate sentences for a question, ranked by the learned model: every sentence and list item of the
 * retrieved passages, plus the passages that state a count a "hoeveel X" question asks for and the best
 * passages of a source the question names (or of the guideline for "wat moet ik doen").
 * @param query the follow-up-resolved retrieval text; `asked` the question as typed (its wording sets the type).
 * @param widen whether passages beyond the retrieved ones may join (default true; false when the caller
 *   narrowed the number of passages).
 */
export async function rankSentences(
  ctx: ChooseContext,
  query: string,
  asked: string,
  intent: QuestionIntent,
  passages: RetrievedChunk[],
  history: readonly Turn[] = [],
  widen = true,
): Promise<{ ranked: RankedSentence[]; rankQuery: RankQuery }> {
  const { index } = ctx;
  const anchor = history.length > 0 ? await previousLead(ctx, history) : undefined;
  const rq = { ...rankQuery(index, ctx.ranker, query, asked, intent), ...(anchor ? { anchor } : {}) };
  const focus = intent.quantityFocus
    ? index.analyzer.contentTerms(intent.quantityFocus).flatMap((t) => index.analyzer.equivalents(t))
    : [];
  // Widening: the passages a question type needs beyond the retrieved ones (not when the caller narrowed k).
  const pool = !widen
    ? passages
    : [
        ...passages,
        ...countingPassages(index, passages, focus),
        ...(intent.efficacy ? conclusionPassages(index, passages, rq.terms, ctx.sentences) : []),
        ...(await sourcePassages(
          index,
          query,
          passages,
          intent.sourceKind ?? (intent.advice ? 'guideline' : undefined),
        )),
      ];
  const candidates = candidateSentences(index, pool, ctx.sentences);
  return { ranked: rankCandidates(index, ctx.ranker, rq, candidates), rankQuery: rq };
}

/**
 * Where the previous answer's bottom line sits: the best sentence for the previous question (resolved
 * against its own history). A follow-up ("Waarom?", "Hoe dan?") asks about that claim; its reason or method
 * is usually stated right after it, and the claim itself is not the answer again.
 */
async function previousLead(ctx: ChooseContext, history: readonly Turn[]): Promise<Anchor | undefined> {
  const { index } = ctx;
  const last = history[history.length - 1];
  if (!last) return undefined;
  const earlier = history.slice(0, -1) as Turn[];
  const resolved = resolveFollowUp(last.question, earlier, (t) => index.analyzer.contentTerms(t));
  if (index.analyzer.contentTerms(resolved.query).length === 0) return undefined;
  const intent = understandIntent(index, ctx.ranker, resolved.query, last.question);
  const passages = await retrieve(index, resolved.query, { k: 10 });
  const { ranked } = await rankSentences(ctx, resolved.query, last.question, intent, passages);
  // The same choice answer() made for it (near-ties go to the more authoritative source).
  const { shown } = selectAnswer(ranked, ctx.ranker.model, (f) => index.sources.get(f)?.authority ?? 99);
  const lead = shown[0];
  return lead
    ? {
        file: lead.passage.chunk.file,
        cleanStart: lead.cleanStart,
        shown: shown.map((c) => flatText(c.text)),
        section: lead.passage.chunk.section,
      }
    : undefined;
}

/** Folded, whitespace-collapsed text: the same sentence quoted twice in a document compares equal. */
export function flatText(text: string): string {
  return foldText(text).replace(/\s+/g, ' ').trim();
}

/**
 * The best passages of one kind of source that retrieval ranked below others: the named source for "Wat
 * zegt het KCE …?", the guideline for "Wat moet ik doen …?" (recommendations answer it).
 */
async function sourcePassages(
  index: LoadedIndex,
  query: string,
  passages: RetrievedChunk[],
  kind: SourceKind | undefined,
): Promise<RetrievedChunk[]> {
  if (!kind) return [];
  const have = new Set(passages.map((p) => p.chunk.id));
  const wide = await retrieve(index, query, { k: 30 });
  return wide
    .filter((p) => !have.has(p.chunk.id) && index.sources.get(p.chunk.file)?.kind === kind)
    .slice(0, 3);
}

/**
 * For "Hoeveel X …?": the passages of the best-matching documents that state a number right before X
 * ("40 deelnemers"). Retrieval finds the document; the count often sits in a methods passage that shares
 * few words with the question.
 */
function countingPassages(index: LoadedIndex, passages: RetrievedChunk[], focus: string[]): RetrievedChunk[] {
  const counted = countPattern(focus);
  if (!counted) return [];
  const files = new Set(passages.slice(0, 3).map((p) => p.chunk.file));
  const have = new Set(passages.map((p) => p.chunk.id));
  return index.chunks
    .filter(
      (c) => files.has(c.file) && !have.has(c.id) && c.role === 'body' && counted.test(foldText(c.text)),
    )
    .map(unretrieved);
}

/** A passage the pool adds beyond retrieval: no retrieval rank or score of its own. */
function unretrieved(chunk: LoadedIndex['chunks'][number]): RetrievedChunk {
  return { chunk, score: 0, ranks: { lexical: null, dense: null }, lexicalScore: 0, similarity: 0, matched: [] };
}

/**
 * "Helpt X?" is answered by a source's bottom line, which evidence summaries and guidelines keep in a
 * conclusion section ("Besluit", "Conclusie", "Voor de praktijk"). That section often shares fewer words
 * with the question than the methods and results do, so it can fall outside the retrieved passages: the
 * conclusion passages of the top documents that name a subject word of the question join the pool.
 */
function conclusionPassages(
  index: LoadedIndex,
  passages: RetrievedChunk[],
  terms: readonly QuestionTerm[],
  cache?: SentenceCache,
): RetrievedChunk[] {
  const subject = new Set(terms.filter((t) => t.known && !t.topic).flatMap((t) => t.equivalents));
  if (subject.size === 0) return [];
  // The three best documents (distinct files, in retrieval order).
  const files = new Set([...new Set(passages.map((p) => p.chunk.file))].slice(0, 3));
  const have = new Set(passages.map((p) => p.chunk.id));
  return index.chunks
    .filter(
      (c) =>
        files.has(c.file) &&
        !have.has(c.id) &&
        c.role === 'body' &&
        isConclusionSection(c.section) &&
        (cache?.get(c.id)?.flatMap((x) => x.terms) ?? index.analyzer.terms(c.text)).some((t) => subject.has(t)),
    )
    .map(unretrieved);
}

/**
 * A sentence opening with a pronoun or demonstrative needs the sentence before it for its subject; one whose
 * verb is followed by "dan" ("Vraag dan een MRI aan", "Verwijs dan …") is the consequence of a condition the
 * sentence before states ("Als de pijn na 6 weken niet afneemt, …"), and quoted alone it would drop it.
 */
const LEANS_ON_PREVIOUS = /^(?:(het|dit|deze|die|dat|zij|ze|hij|hierbij|hierdoor|daarbij|daardoor|it|this|these|they)\b|\p{L}+\s+dan\b)/iu;

/** How a full sentence ends (a heading or label line ends without it). */
const SENTENCE_END = /[.!?…][\s"'”’»)\]]*$/u;

/**
 * Keeps a pronoun's subject: a shown sentence that opens with "Het …"/"Dit …" is quoted together with the
 * sentence before it (one contiguous, verbatim span of the original), unless that sentence is shown already.
 */
export function withSubjects(index: LoadedIndex, shown: RankedSentence[]): RankedSentence[] {
  return listsInOrder(shown).map((s, i, all) => {
    const doc = index.docs.get(s.passage.chunk.file);
    if (s.context.listItem) return doc ? underLeadIn(doc.original, s, all.slice(0, i)) : s;
    const prev = s.context.previousSpan;
    if (!prev || !doc || !LEANS_ON_PREVIOUS.test(s.text)) return s;
    // A heading or label line before it ("Besluit van Minerva") is not a sentence that carries a subject.
    if (!SENTENCE_END.test(s.context.previous)) return s;
    if (shown.some((o) => o !== s && o.passage.chunk.file === s.passage.chunk.file && o.cleanStart === prev.cleanStart)) return s;
    // The quote stays inside its passage (a citation points into one chunk).
    if (prev.end > s.start || prev.start < s.passage.chunk.start) return s;
    return {
      ...s,
      text: `${s.context.previous} ${s.text}`,
      start: prev.start,
      quote: doc.original.slice(prev.start, s.end),
      cleanStart: prev.cleanStart,
    };
  });
}

/** Words a lead-in line may have to be shown before its item (a longer one is a sentence, not a label). */
const MAX_LEAD_IN_WORDS = 16;

/**
 * A list item is read under its lead-in line ("Niet aanbevolen:", "Sterkste aanbevelingen:"): shown bare,
 * "• Chirurgisch consult / chirurgie" reads as advice for everyone. The item is shown after the line and
 * quoted from the line to the item (one contiguous span, so the items between are in the quote too), unless
 * an item shown before it sits under the same line (the line is shown once). Only a short label line ending
 * in a colon, in the same passage (a citation points into one chunk).
 */
function underLeadIn(original: string, s: RankedSentence, before: readonly RankedSentence[]): RankedSentence {
  const span = s.context.leadInSpan;
  const line = s.context.leadIn.trim();
  if (!span || !/:$/.test(line) || line.split(/\s+/).length > MAX_LEAD_IN_WORDS) return s;
  if (span.end > s.start || span.start < s.passage.chunk.start) return s;
  if (before.some((b) => b.passage.chunk.file === s.passage.chunk.file && b.context.leadInSpan?.start === span.start)) return s;
  // Items between the line and this one are in the quote but not shown: an ellipsis says so.
  const skipped = /\S/.test(original.slice(span.end, s.start));
  return {
    ...s,
    text: `${line}${skipped ? ' …' : ''} ${s.text}`,
    start: span.start,
    quote: original.slice(span.start, s.end),
    cleanStart: span.cleanStart,
  };
}

/**
 * Items of one list shown in one answer are shown together, in document order, where the first of them
 * ranked: only the earliest is quoted from the lead-in line, so no citation holds another's quote.
 */
function listsInOrder(shown: RankedSentence[]): RankedSentence[] {
  const key = (s: RankedSentence): string | undefined =>
    s.context.listItem && s.context.leadInSpan ? `${s.passage.chunk.file}\u0000${s.context.leadInSpan.start}` : undefined;
  const groups = new Map<string, RankedSentence[]>();
  for (const s of shown) {
    const k = key(s);
    if (k !== undefined) groups.set(k, [...(groups.get(k) ?? []), s]);
  }
  const out: RankedSentence[] = [];
  const placed = new Set<string>();
  for (const s of shown) {
    const k = key(s);
    if (k === undefined) out.push(s);
    else if (!placed.has(k)) {
      placed.add(k);
      out.push(...(groups.get(k) ?? []).slice().sort((a, b) => a.start - b.start));
    }
  }
  return out;
}
