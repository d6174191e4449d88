import type { Config } from '../config.js';
import type { LoadedIndex } from '../ingest/load.js';
import { retrieve, type RetrievedChunk } from '../retrieve/retrieve.js';
import type { Answer, Citation } from '../schemas.js';
import { candidateSentences, type CandidateSentence, type SentenceCache } from './sentences.js';
import { jaccard } from './select.js';
import { flatText as flat, rankSentences, withSubjects } from './offline.js';
import { composeInOrder } from './extractive.js';
import { aboutTerms, correctQuestion, readQuestion, selectAnswer, traitsOf, understandIntent, type RankedSentence, type Ranker } from '../rank/rank.js';
import { coverageOf, hasEquivalent, namedSourceKind, sourceNameTerms, weighQuestion, type QuestionTerm } from './question-terms.js';
import { DEFAULT_REFUSAL_THRESHOLDS, buildCorpusView, decideRefusal, judgeQuestion, measureEvidence, nearestSections, type RefusalReason } from './refusal.js';
import { detectRedFlags, redFlagReferralQuery, redFlagSentenceCues, type RedFlag } from './red-flags.js';
import { detectLanguage } from './language.js';
import { detectInjection, screenHistory } from './injection.js';
import { normalize } from '../understand/normalize.js';
import { lexiconEntityFinder } from '../understand/answerability.js';
import { resolveFollowUp, withoutPointedBack, type Turn } from './follow-up.js';
import { framePhrases, redFlagNotice, refusalText, caveatText, nearestText, type Prompts } from './prompts.js';
import { verifySentences } from './verify.js';

/** What `answer()` needs: the loaded index, the prompt templates and the (LLM) configuration. */
export interface AnswerContext {
  index: LoadedIndex;
  prompts: Prompts;
  config: Pick<Config, 'llmBaseUrl' | 'llmModel' | 'llmApiKey' | 'llmTimeoutMs'>;
  /** Sentences prepared once per index (`prepareSentences`); without it they are split per question. */
  sentences?: SentenceCache;
  /** The learned answer ranker (`loadRanker()`). */
  ranker: Ranker;
}

export interface AnswerOptions {
  /**
   * Passages considered (default {@link DEFAULT_PASSAGES}). At the default or above, the ranker may widen its
   * pool with the passages a question type needs (a count, a conclusion section, a guideline); below it the
   * caller has narrowed the answer to these passages, and no answer cites more than k of them.
   */
  k?: number | undefined;
  /** Previous turns, oldest first; an elliptical follow-up is resolved against them. */
  history?: Turn[] | undefined;
  /** Force the extractive composer even when an LLM is configured (default false). */
  extractiveOnly?: boolean;
  /** Retrieval override (evaluation baselines): returns passages for a query. */
  retriever?: (query: string, k: number) => Promise<RetrievedChunk[]>;
}

/** Passages an answer draws on unless the caller says otherwise. */
export const DEFAULT_PASSAGES = 10;

/**
 * Answers a low-back-pain question from the corpus only. Every sentence of the answer cites a verbatim
 * quote (`original.slice(start, end) === quote`); when the corpus does not answer, `refused` is true.
 * Red flags in the question open the answer with an explicit referral notice.
 */
export async function answer(ctx: AnswerContext, raw: string, options: AnswerOptions = {}): Promise<Answer> {
  const { index, prompts } = ctx;
  const t0 = performance.now();
  const k = options.k ?? DEFAULT_PASSAGES;
  // One normalisation before every check (src/understand/normalize.ts); the checks read its plain text.
  const normalized = normalize(raw);
  const plain = normalized.plain || raw;
  const language = detectLanguage(plain);
  // Typos ("hardlopn", "parcetamol") are then corrected against the corpus and lexicon vocabulary; every
  // later step sees the corrected question. Only words nobody knows are touched, so an unknown drug keeps
  // its name and can be refused by it.
  const question = correctQuestion(index, ctx.ranker, plain);
  const corrected = question === plain ? normalized : normalize(question);
  const redFlags = uniqueFlags([...detectRedFlags(normalized), ...detectRedFlags(corrected)]);
  // History turns carrying an injection never reach follow-up resolution or the LLM.
  const history = screenHistory(options.history ?? []).map((t) => ({
    ...t,
    question: readQuestion(index, ctx.ranker, t.question),
  }));
  const followUp = resolveFollowUp(question, history, (t) => index.analyzer.contentTerms(t));
  // "Wat dan wel?" after "kine bij lumbago?": what to do instead for the same complaint — the previous
  // question's treatment, test or drug is what was advised against, so it leaves the query; the words a
  // document calls its advice by join it (cues.json), and the answer is advice (below).
  const instead = followUp.isFollowUp && ctx.ranker.cues.alternativeQuestion.some((p) => p.test(question));
  // What the question is about (the refusal checks read it); retrieval and ranking read `query`.
  const rest = instead ? withoutSubjects(index, question, followUp.carried) : undefined;
  // When everything carried was set aside ("Helpt paracetamol?" → "Wat dan wel?"), the refusal checks still
  // read the conversation's subject: the question stays a low-back-pain advice question.
  const subjectQuery = rest !== undefined && index.analyzer.contentTerms(rest).length > 0 ? rest : followUp.query;
  const query = rest !== undefined ? `${rest} ${knownWords(index, ctx.ranker.cues.alternativeAdds)}` : subjectQuery;
  // "Waarom?", "Hoe dan?": no content words of its own, it asks about the previous answer.
  const contentless = history.length > 0 && index.analyzer.contentTerms(question).length === 0;
  // Intent from the question as asked, population and named source from the resolved follow-up too.
  const understood = understandIntent(index, ctx.ranker, query, question);
  const intent = instead ? { ...understood, advice: true, efficacy: false, efficacyFocus: undefined, choiceFocus: undefined } : understood;
  const doRetrieve = options.retriever ?? ((q: string, n: number) => retrieve(index, q, { k: n }));

  const injection = detectInjection(normalized);
  const passages = injection ? [] : await doRetrieve(query, k);
  const flagPassages = redFlags.length > 0 ? await retrieve(index, redFlagReferralQuery(redFlags), { k: 4 }) : [];
  const retrieveMs = performance.now() - t0;
  const t1 = performance.now();

  let refusal: RefusalReason | undefined;
  // What a refusal names ("de bronnen zeggen niets over X") and the population an answer carries a caveat for.
  let subject = intent.efficacyFocus ?? intent.choiceFocus;
  let caveat: string | undefined;
  if (injection) refusal = 'injection';
  else if (index.analyzer.contentTerms(subjectQuery).length === 0) refusal = 'no-content';
  else {
    ctx.ranker.corpusView ??= buildCorpusView(index);
    const focus = [intent.efficacyFocus, intent.choiceFocus].filter((f): f is string => f !== undefined);
    const judged = judgeQuestion(index, corrected, language, passages, ctx.sentences, undefined, ctx.ranker.corpusView, focus);
    if (judged.kind === 'refuse') [refusal, subject] = [judged.reason, judged.subject ?? subject];
    else {
      if (judged.kind === 'caveat') caveat = judged.subject;
      // A question that names one of the loaded sources ("wat zegt de richtlijn") is in the domain.
      const namesSource = namedSourceKind(index.analyzer, ctx.ranker.sourceNames ?? new Map(), question) !== undefined;
      const evidence = measureEvidence(index, subjectQuery, passages, intent, ctx.sentences);
      refusal = decideRefusal(evidence, intent, passages, subjectQuery, DEFAULT_REFUSAL_THRESHOLDS, namesSource);
    }
  }

  const builder = new AnswerBuilder();
  if (redFlags.length > 0) {
    builder.frame(redFlagNotice(prompts, language, redFlags));
    const hints = redFlags.map((f) => f.referral).join(' ');
    const flagTerms = weighQuestion(index.analyzer, index.bm25, `${query} ${hints}`);
    for (const s of redFlagSentences(index, redFlags, flagPassages, passages, flagTerms, ctx.sentences)) builder.sentence(s.text, s);
  }

  let composer: Answer['composer'] = 'extractive';
  let more: RankedSentence[] = [];
  if (refusal === undefined) {
    const useLlm = Boolean(ctx.config.llmBaseUrl) && !options.extractiveOnly;
    // The caveat opens an answer; the extractive path adds it only once it has something to say.
    if (caveat !== undefined && useLlm) builder.frame(caveatText(prompts, language, caveat));
    const llmDone = useLlm ? await tryLlm(ctx, question, language, passages, history, builder) : false;
    if (llmDone) composer = 'llm';
    else {
      const { ranked, rankQuery } = await rankSentences(ctx, query, question, intent, passages, history, k >= DEFAULT_PASSAGES);
      const anchor = followUp.isFollowUp || contentless ? rankQuery.anchor : undefined;
      // A follow-up ("Waarom?") moves on: what earlier answers already quoted is not quoted again.
      const said = history.map((t) => flat(t.answer)).join('\n');
      // …unless it names what this follow-up newly asks about ("En radiofrequente denervatie?" after a question
      // on epidural injections, when one sentence named both): then it is this question's answer too.
      const fresh = freshSubjects(ctx, question, history);
      const namesFresh = (c: CandidateSentence): boolean => {
        // A list item speaks of what its lead-in line names ("Matig aanbevolen:"), as in the ranker's focus test.
        const present = new Set(c.context.listItem ? [...c.terms, ...c.context.contextTerms] : c.terms);
        return fresh.some((eq) => eq.some((t) => hasEquivalent(t, present)));
      };
      const authority = (f: string): number => index.sources.get(f)?.authority ?? 99;
      // "En X?" asks about X: when some candidate names X, the answer is built from those that do.
      const onFresh = fresh.length > 0 && ranked.some((c) => c.onFocus && namesFresh(c));
      let selection = selectAnswer(ranked, ctx.ranker.model, authority, {
        // Under a red-flag notice the referral sentences come first; the question's own answer is one sentence.
        maxExtra: redFlags.length > 0 ? 1 : 2,
        exclude: (c) =>
          builder.has(c) ||
          (onFresh && !namesFresh(c)) ||
          (((said.length > 0 && said.includes(flat(c.text))) || (anchor !== undefined && anchor.shown.includes(flat(c.text)))) &&
            !namesFresh(c)),
      });
      if (selection.shown.length === 0 && anchor !== undefined && rankQuery.type === 'why') {
        // "Waarom niet?" when the previous answer's own sentence gives the reason ("… NIET aanbevolen, omdat
        // bewezen is dat ze niet doeltreffend zijn") and nothing after it does: that sentence is the answer.
        const reasons = ranked.filter(
          (c) => anchor.shown.includes(flat(c.text)) && statesReason(ctx.ranker, c, index.sources.get(c.passage.chunk.file)?.title),
        );
        selection = selectAnswer(reasons, ctx.ranker.model, authority, { maxExtra: 0, exclude: (c) => builder.has(c) });
      }
      const shown = withSubjects(index, selection.shown);
      if (caveat !== undefined && !useLlm && shown.length > 0) builder.frame(caveatText(prompts, language, caveat));
      for (const c of composeInOrder(shown, index.sources, framePhrases(prompts, language))) {
        builder.sentence(c.text, c.sentence);
      }
      more = selection.more;
      if (shown.length === 0 && redFlags.length === 0) refusal = 'not-in-corpus';
    }
  }

  // With red flags the notice and its cited sentences are the answer; a refusal paragraph after them would
  // read as "nothing to say" and blur the referral.
  const refused = refusal !== undefined && redFlags.length === 0;
  if (refused && refusal !== undefined) builder.frame(refusalText(prompts, language, refusal, subject));
  // A refusal points to the nearest sections, cited as `nearest` (where to check, not claims).
  const nearest = refused && refusal !== 'injection' && refusal !== 'no-content' ? nearestSections(index, passages, ctx.sentences) : [];
  const first = builder.citations(index).length + 1;
  if (nearest.length > 0) {
    const names = nearest.map((s, i) => `${index.sources.get(s.passage.chunk.file)?.label ?? s.passage.chunk.file} — ${s.passage.chunk.section.join(' > ') || '…'} [${first + i}]`);
    builder.frame(nearestText(prompts, language, names));
  }
  return {
    answer: builder.text(),
    refused,
    ...(refused && refusal ? { refusalReason: refusal } : {}),
    redFlags: redFlags.map((f) => (language === 'en' ? f.labelEn : f.label)),
    citations: [...builder.citations(index), ...nearest.map((s, i) => ({ n: first + i, ...citationOf(index, s), nearest: true }))],
    moreEvidence: refused ? [] : more.map((c) => citationOf(index, c)),
    composer,
    language,
    timings: { retrieveMs: round(retrieveMs), composeMs: round(performance.now() - t1) },
  };
}

/**
 * What the corpus says about red flags and referral, most relevant to this question first: sentences of the
 * red-flag passages (and the question's own passages) that speak about red flags (`sentences.about` of the
 * red-flag table), scored against the question, shown in source-authority and document order — except that
 * a sentence saying what to do (`sentences.action`) about the very sign asked about ("… verlies van
 * spierkracht, wordt de patiënt best doorverwezen naar een rugchirurg" for a dropped foot) leads: it is the
 * bottom line. A sentence that only names the sign (a study's exclusion criterion) does not.
 */
function redFlagSentences(
  index: LoadedIndex,
  flags: readonly RedFlag[],
  flagPassages: RetrievedChunk[],
  passages: RetrievedChunk[],
  question: QuestionTerm[],
  cache: SentenceCache | undefined,
): CandidateSentence[] {
  const cues = redFlagSentenceCues();
  const candidates = candidateSentences(index, [...flagPassages, ...passages], cache).filter(
    (s) => cues.about.test(s.text) && s.passage.chunk.role === 'body' && s.text.split(/\s+/).length >= 6,
  );
  const top = candidates
    .map((s) => ({ s, score: coverageOf(question, new Set(s.terms)) + (/rode vlag/i.test(s.text) ? 0.3 : 0) }))
    .sort((a, b) => b.score - a.score || a.s.passageRank - b.s.passageRank)
    .slice(0, 3)
    .map((x) => x.s)
    .sort(
      (a, b) =>
        (index.sources.get(a.passage.chunk.file)?.authority ?? 9) - (index.sources.get(b.passage.chunk.file)?.authority ?? 9) ||
        (a.passage.chunk.file === b.passage.chunk.file ? a.cleanStart - b.cleanStart : 0),
    );
  // The sign's own words: each family's referral words that are not themselves an action ("verwijzen").
  const sign = weighQuestion(
    index.analyzer,
    index.bm25,
    flags
      .flatMap((f) => f.referral.split(/\s+/))
      .filter((w) => !cues.action.test(w))
      .join(' '),
  );
  const specific = (s: CandidateSentence): number =>
    cues.action.test(s.text) && !cues.study.test(s.text) ? coverageOf(sign, new Set(s.terms)) : 0;
  let lead = -1;
  top.forEach((s, i) => {
    if (specific(s) > 0 && (lead < 0 || specific(s) > specific(top[lead]!))) lead = i;
  });
  return lead <= 0 ? top : [top[lead]!, ...top.filter((_, i) => i !== lead)];
}

/** Composes with the configured LLM and keeps only verified sentences; false → caller falls back. */
async function tryLlm(
  ctx: AnswerContext,
  question: string,
  language: 'nl' | 'en',
  passages: RetrievedChunk[],
  history: Turn[],
  builder: AnswerBuilder,
): Promise<boolean> {
  const { index, config } = ctx;
  if (!config.llmBaseUrl || passages.length === 0) return false;
  const numbered = passages.map((p, i) => ({
    n: i + 1,
    text: p.chunk.text,
    label: index.sources.get(p.chunk.file)?.label ?? p.chunk.file,
    section: p.chunk.section.join(' > '),
  }));
  try {
    // Imported only when an endpoint is configured: the OpenAI client costs ~0.5 s and ~70 MB at startup.
    const { composeWithLlm } = await import('./llm.js');
    const draft = await composeWithLlm({ question, language, passages: numbered, history }, ctx.prompts, {
      baseUrl: config.llmBaseUrl,
      model: config.llmModel,
      apiKey: config.llmApiKey,
      timeoutMs: config.llmTimeoutMs,
    });
    const { kept } = verifySentences(draft, numbered, (t) => index.analyzer.contentTerms(t), {
      equivalents: (t) => index.analyzer.equivalents(t),
    });
    if (kept.length === 0) return false;
    const candidates = candidateSentences(index, passages, ctx.sentences);
    for (const sentence of kept) {
      // The quote for each cited passage is its sentence closest to the LLM's sentence: verbatim, checkable.
      const terms = index.analyzer.terms(sentence.text);
      const quotes = sentence.cites.flatMap((n) => {
        const inPassage = candidates.filter((c) => c.passage === passages[n - 1]);
        const best = inPassage.sort((a, b) => jaccard(b.terms, terms) - jaccard(a.terms, terms))[0];
        return best ? [best] : [];
      });
      builder.llmSentence(sentence.text.replace(/\s*\[\d+\]/g, '').trim(), quotes);
    }
    return true;
  } catch {
    // Never a 500 because of the LLM: any failure (llm_error or otherwise) falls back to the extractive composer.
    return false;
  }
}

/** Accumulates answer text and numbered citations (one per quoted sentence, numbered in reading order). */
class AnswerBuilder {
  private readonly parts: { frame: boolean; text: string }[] = [];
  private readonly quoted: CandidateSentence[] = [];

  /** Frame text from prompts/ (notice, refusal): its own paragraph, not a claim. */
  frame(text: string): void {
    this.parts.push({ frame: true, text });
  }

  /** A quoted sentence followed by its citation marker. */
  sentence(text: string, quote: CandidateSentence): void {
    this.parts.push({ frame: false, text: `${text} [${this.cite(quote)}]` });
  }

  /** An LLM sentence followed by the markers of the verbatim quotes that support it. */
  llmSentence(text: string, quotes: CandidateSentence[]): void {
    this.parts.push({ frame: false, text: `${text} ${quotes.map((q) => `[${this.cite(q)}]`).join('')}` });
  }

  has(s: CandidateSentence): boolean {
    return this.quoted.some((q) => q.passage.chunk.file === s.passage.chunk.file && q.start === s.start);
  }

  /** Frames stand as paragraphs; consecutive sentences form one paragraph. */
  text(): string {
    const paragraphs: string[] = [];
    let previousFrame = true;
    for (const part of this.parts) {
      if (part.frame || previousFrame || paragraphs.length === 0) paragraphs.push(part.text);
      else paragraphs[paragraphs.length - 1] += ` ${part.text}`;
      previousFrame = part.frame;
    }
    return paragraphs.join('\n\n');
  }

  citations(index: LoadedIndex): Citation[] {
    return this.quoted.map((q, i) => ({ n: i + 1, ...citationOf(index, q) }));
  }

  private cite(q: CandidateSentence): number {
    const existing = this.quoted.findIndex((x) => x.passage.chunk.file === q.passage.chunk.file && x.start === q.start);
    if (existing >= 0) return existing + 1;
    this.quoted.push(q);
    return this.quoted.length;
  }
}

/** The citation fields of a quoted sentence (all but its number). */
function citationOf(index: LoadedIndex, q: CandidateSentence & { strength?: string }): Omit<Citation, 'n'> {
  const source = index.sources.get(q.passage.chunk.file);
  return {
    chunkId: q.passage.chunk.id,
    file: q.passage.chunk.file,
    title: source?.title ?? q.passage.chunk.file,
    kind: source?.kind ?? 'news',
    ...(source?.date ? { date: source.date } : {}),
    section: q.passage.chunk.section.join(' > '),
    quote: q.quote,
    start: q.start,
    end: q.end,
    ...(q.strength ? { strength: q.strength } : {}),
  };
}


/** Kinds of thing a "what instead?" follow-up sets aside: what the previous answer spoke for or against. */
const SET_ASIDE = new Set(['treatment', 'test', 'drug', 'drug-class', 'profession']);

/**
 * The query for a "what instead?" follow-up: the question and the carried words, without those that name a
 * treatment, test, drug or profession (the lexicon's entities) — the complaint and population stay.
 */
function withoutSubjects(index: LoadedIndex, question: string, carried: string[]): string {
  const lexicon = index.analyzer.lexicon;
  if (!lexicon) return `${question} ${carried.join(' ')}`;
  const find = lexiconEntityFinder(lexicon);
  const aside = new Set(
    find(normalize(carried.join(' ')))
      .filter((e) => SET_ASIDE.has(e.type))
      .flatMap((e) => e.forms.flatMap((f) => index.analyzer.contentTerms(f))),
  );
  const kept = carried.filter((w) => !index.analyzer.contentTerms(w).some((t) => aside.has(t)));
  return `${question} ${kept.join(' ')}`;
}

/** The words of a text the corpus uses (a word no document has adds nothing to retrieval). */
function knownWords(index: LoadedIndex, text: string): string {
  return text
    .split(/\s+/)
    .filter((w) => index.analyzer.contentTerms(w).some((t) => index.bm25.df(t) > 0))
    .join(' ');
}

/** Red flags found in the raw and the corrected question, each once. */
function uniqueFlags(flags: RedFlag[]): RedFlag[] {
  return flags.filter((f, i) => flags.findIndex((g) => g.id === f.id) === i);
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

export type { RedFlag };

/** Whether a sentence states a reason (a causal cue word of the ranker's cue data: omdat, want, doordat, …). */
function statesReason(ranker: Ranker, c: CandidateSentence, title: string | undefined): boolean {
  return traitsOf(ranker, c, title).cue.causal > 0;
}

/**
 * What a follow-up asks about that no earlier question did: its subject words (known to the corpus, not the
 * topic, not a population) absent from the history's questions, each with its equivalents. Empty for
 * "Waarom?", "Hoe dan?" or "En bij chronische?", which add no new subject.
 */
function freshSubjects(ctx: AnswerContext, question: string, history: readonly Turn[]): string[][] {
  if (history.length === 0) return [];
  const { index, ranker } = ctx;
  ranker.sourceTopic ??= sourceNameTerms(index.analyzer, index.sources.values());
  const before = new Set(history.flatMap((t) => index.analyzer.contentTerms(t.question)));
  const asked = weighQuestion(index.analyzer, index.bm25, withoutPointedBack(question), ranker.sourceTopic).filter(
    (q) => !before.has(q.term),
  );
  return aboutTerms(asked);
}
