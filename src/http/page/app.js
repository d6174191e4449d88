// rugwijs chat page: plain browser JavaScript, no build step, no external resources.
// All server data is inserted with textContent / DOM nodes, never innerHTML.
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);
  const form = $('ask-form');
  const input = $('question');
  const askButton = $('ask-button');
  const conversation = $('conversation');
  const status = $('status');
  const panel = $('source-panel');
  const sourceTitle = $('source-title');
  const sourceMeta = $('source-meta');
  const sourceSection = $('source-section');
  const sourceText = $('source-text');
  const tokenRow = $('token-row');
  const tokenInput = $('token');
  const tokenHelp = $('token-help');
  const corpusSummary = $('corpus-summary');

  const KIND_LABELS = {
    guideline: 'richtlijn',
    'evidence-summary': 'evidentiesamenvatting',
    'practice-article': 'praktijkartikel',
    news: 'nieuwsbericht',
  };
  // Follow-ups send the last few turns; answers are trimmed so the body stays well under the 16 kB limit.
  const HISTORY_TURNS = 3;
  const HISTORY_ANSWER_CHARS = 1000;

  const state = {
    history: [],
    sources: new Map(),
    // file → {title, label, kind, publisher, date} from GET /api/sources (labels under the bottom line).
    catalog: new Map(),
    busy: false,
    token: sessionStorage.getItem('rugwijs-token') || '',
    opener: null,
    // The question that met a 401: sent again once the user has entered a token.
    pending: null,
  };
  const reduceMotion = window.matchMedia('(prefers-reduced-motion: reduce)').matches;

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function authHeaders(extra) {
    const headers = Object.assign({}, extra);
    if (state.token) headers.Authorization = 'Bearer ' + state.token;
    return headers;
  }

  function setStatus(text) {
    status.textContent = text;
  }

  // ---- conversation -------------------------------------------------------------------------------

  function createTurn(question) {
    const item = el('li', 'turn');
    item.append(el('p', 'question', question));
    const answer = el('div', 'answer');
    answer.setAttribute('aria-busy', 'true');
    answer.append(el('p', 'pending', 'Bezig met zoeken in de bronnen…'));
    item.append(answer);
    conversation.append(item);
    document.body.classList.add('has-turns');
    item.scrollIntoView({ block: 'nearest' });
    return answer;
  }

  async function ask(question) {
    const q = question.trim();
    if (!q || state.busy) return;
    state.busy = true;
    askButton.disabled = true;
    input.value = '';
    const box = createTurn(q);
    setStatus('Bezig met zoeken in de bronnen…');
    const history = state.history.slice(-HISTORY_TURNS).map((t) => ({
      question: t.question,
      answer: t.answer.slice(0, HISTORY_ANSWER_CHARS),
    }));
    try {
      const res = await fetch('/api/ask', {
        method: 'POST',
        headers: authHeaders({ 'Content-Type': 'application/json', Accept: 'text/event-stream' }),
        body: JSON.stringify(history.length ? { question: q, history } : { question: q }),
      });
      if (!res.ok) {
        if (res.status === 401) {
          // Not an answer: ask for the token in the page's language and resend this question afterwards.
          box.closest('.turn').remove();
          if (!conversation.children.length) document.body.classList.remove('has-turns');
          askForToken(q);
          return;
        }
        const error = await readError(res);
        renderError(box, error.message);
        return;
      }
      const result = await readAnswer(res, (text) => renderStreaming(box, text));
      if (result.error) {
        renderError(box, result.error.message);
        return;
      }
      renderAnswer(box, result);
      // Each new answer starts in view (its question at the top), however long the conversation is.
      box.closest('.turn').scrollIntoView({ block: 'start', behavior: reduceMotion ? 'auto' : 'smooth' });
      state.history.push({ question: q, answer: result.text });
      setStatus(
        result.meta && result.meta.refused
          ? 'De bronnen beantwoorden deze vraag niet.'
          : 'Antwoord ontvangen.',
      );
    } catch {
      renderError(box, 'Geen verbinding met de server. Probeer het opnieuw.');
    } finally {
      state.busy = false;
      askButton.disabled = false;
      // While the token prompt is open, focus stays in it.
      if (tokenRow.hidden) input.focus();
    }
  }

  async function readError(res) {
    try {
      const body = await res.json();
      if (body && body.error && body.error.message) return body.error;
    } catch {
      // fall through to the generic message
    }
    return { code: 'http_' + res.status, message: 'De server antwoordde met status ' + res.status + '.' };
  }

  // Reads the SSE answer stream (meta, delta…, citations, done | error); falls back to a JSON body.
  async function readAnswer(res, onText) {
    const type = res.headers.get('content-type') || '';
    if (!type.includes('text/event-stream')) {
      const a = await res.json();
      return { meta: a, text: a.answer, citations: a.citations, more: a.moreEvidence || [], error: null };
    }
    const out = { meta: null, text: '', citations: [], more: [], error: null };
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let cut;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const ev = parseEvent(buffer.slice(0, cut));
        buffer = buffer.slice(cut + 2);
        if (!ev) continue;
        if (ev.event === 'meta') {
          out.meta = ev.data;
          out.more = (ev.data && ev.data.moreEvidence) || [];
        }
        else if (ev.event === 'delta') {
          out.text += ev.data.text;
          onText(out.text);
        } else if (ev.event === 'citations') out.citations = ev.data;
        else if (ev.event === 'error') out.error = ev.data;
      }
    }
    return out;
  }

  function parseEvent(raw) {
    let event = 'message';
    const data = [];
    for (const line of raw.split('\n')) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
    if (data.length === 0) return null;
    try {
      return { event, data: JSON.parse(data.join('\n')) };
    } catch {
      return null;
    }
  }

  function renderStreaming(box, text) {
    box.replaceChildren(el('p', 'streaming', text));
  }

  function renderError(box, message) {
    box.setAttribute('aria-busy', 'false');
    box.classList.add('error');
    box.replaceChildren(el('p', null, message));
    setStatus(message);
  }

  function renderAnswer(box, result) {
    const meta = result.meta || {};
    const citations = result.citations || [];
    const byN = new Map(citations.map((c) => [c.n, c]));
    box.replaceChildren();
    box.setAttribute('aria-busy', 'false');

    if (meta.redFlags && meta.redFlags.length) {
      const notice = el('div', 'red-flag');
      notice.setAttribute('role', 'note');
      notice.append(
        el('strong', null, 'Alarmsignaal herkend: '),
        document.createTextNode(meta.redFlags.join(', ')),
      );
      box.append(notice);
    }
    if (meta.refused) {
      box.classList.add('refusal');
      box.append(el('p', 'refusal-label', 'Niet beantwoord uit de bronnen'));
      for (const paragraph of paragraphsOf(result.text)) {
        const p = el('p');
        appendWithMarkers(p, paragraph, byN);
        box.append(p);
      }
      // A refusal's citations are pointers to where the documents come closest, never support for a claim.
      if (citations.length) box.append(renderPointers(citations));
      return;
    }

    const { intro, bottom, rest } = splitBottomLine(result.text);
    for (const paragraph of intro) {
      const p = el('p', 'intro');
      appendWithMarkers(p, paragraph, byN);
      box.append(p);
    }
    if (bottom) {
      const section = el('section', 'bottom-line');
      section.setAttribute('aria-label', 'Kern van het antwoord');
      const p = el('p', 'bottom-line-text');
      appendWithMarkers(p, bottom, byN);
      section.append(p);
      const first = byN.get(firstMarker(bottom));
      if (first) section.append(sourceLine(first, 'bottom-line-source'));
      box.append(section);
    }

    const more = result.more || [];
    if (rest.length || byN.size || more.length) {
      const details = el('details', 'more');
      details.append(el('summary', null, 'Meer uit de bronnen'));
      for (const paragraph of rest) {
        const p = el('p');
        appendWithMarkers(p, paragraph, byN);
        details.append(p);
      }
      if (byN.size > 0) {
        const list = el('ol', 'citations');
        list.setAttribute('aria-label', 'Bronnen bij dit antwoord');
        for (const c of byN.values()) {
          const item = el('li');
          item.value = c.n;
          const open = el('button', 'citation-link', c.title + (c.section ? ' — ' + c.section : ''));
          open.type = 'button';
          open.addEventListener('click', () => openSource(c, open));
          item.append(open);
          if (c.strength) item.append(' ', strengthBadge(c.strength));
          item.append(el('q', 'citation-quote', c.quote));
          list.append(item);
        }
        details.append(list);
      }
      if (more.length) {
        details.append(el('h4', 'more-evidence-title', 'Verder in de bronnen'));
        const list = el('ul', 'more-evidence');
        for (const c of more) {
          const item = el('li');
          item.append(el('q', 'citation-quote', c.quote), sourceLine(c, 'more-evidence-source'));
          list.append(item);
        }
        details.append(list);
      }
      box.append(details);
    }
  }

  function paragraphsOf(text) {
    return text.split(/\n{2,}/).filter((p) => p.trim());
  }

  function firstMarker(text) {
    const m = /\[(\d+)\]/.exec(text);
    return m ? Number(m[1]) : NaN;
  }

  // The bottom line is the first cited sentence: everything up to and including the first [n] marker(s).
  // Paragraphs before it without any marker (a red-flag notice) stay above it; the rest goes under "Meer".
  function splitBottomLine(text) {
    const paragraphs = paragraphsOf(text);
    const intro = [];
    while (paragraphs.length && !/\[\d+\]/.test(paragraphs[0])) intro.push(paragraphs.shift());
    if (!paragraphs.length) return { intro, bottom: '', rest: [] };
    const first = paragraphs.shift();
    const m = /\[\d+\](?:\s*\[\d+\])*/.exec(first);
    const cut = m.index + m[0].length;
    const tail = first.slice(cut).trim();
    return { intro, bottom: first.slice(0, cut).trim(), rest: (tail ? [tail] : []).concat(paragraphs) };
  }

  // "KCE-richtlijn · Lage rugpijn: … (2025)", with a strength badge when the source states one.
  function sourceLine(citation, className) {
    const line = el('p', className);
    const info = state.catalog.get(citation.file);
    const label = info && info.label ? info.label : KIND_LABELS[citation.kind] || citation.kind;
    const open = el('button', 'source-label', label);
    open.type = 'button';
    open.setAttribute('aria-label', 'Open de bron: ' + citation.title);
    open.addEventListener('click', () => openSource(citation, open));
    const year = citation.date ? ' (' + citation.date.slice(0, 4) + ')' : '';
    line.append(open, document.createTextNode(' · ' + citation.title + year));
    if (citation.strength) line.append(' ', strengthBadge(citation.strength));
    return line;
  }

  function strengthBadge(text) {
    const badge = el('span', 'strength', text);
    badge.title = 'Sterkte zoals de bron ze zelf vermeldt';
    return badge;
  }

  function renderPointers(citations) {
    const wrap = el('div', 'pointers');
    wrap.append(el('p', 'pointers-title', 'Waar de bronnen het dichtst bij komen (geen antwoord op uw vraag):'));
    const list = el('ul', 'pointer-list');
    for (const c of citations) {
      const item = el('li');
      const open = el('button', 'citation-link', c.title + (c.section ? ' — ' + c.section : ''));
      open.type = 'button';
      open.addEventListener('click', () => openSource(c, open));
      item.append(open);
      list.append(item);
    }
    wrap.append(list);
    return wrap;
  }

  // Turns "… [2]" into clickable markers; unknown numbers stay plain text.
  function appendWithMarkers(parent, text, byN) {
    for (const part of text.split(/(\[\d+\])/)) {
      const m = /^\[(\d+)\]$/.exec(part);
      const citation = m ? byN.get(Number(m[1])) : undefined;
      if (!citation) {
        if (part) parent.append(document.createTextNode(part));
        continue;
      }
      const button = el('button', 'cite', '[' + citation.n + ']');
      button.type = 'button';
      button.setAttribute('aria-label', 'Bron ' + citation.n + ': ' + citation.title);
      button.addEventListener('click', () => openSource(citation, button));
      parent.append(button);
    }
  }

  // ---- source panel -------------------------------------------------------------------------------

  async function openSource(citation, opener) {
    state.opener = opener;
    panel.hidden = false;
    document.body.classList.add('source-open');
    sourceTitle.textContent = citation.title;
    sourceMeta.textContent = '';
    sourceSection.textContent = '';
    sourceText.replaceChildren(el('p', 'pending', 'Bron laden…'));
    let source = state.sources.get(citation.file);
    if (!source) {
      const res = await fetch('/api/sources/' + encodeURIComponent(citation.file), {
        headers: authHeaders({}),
      });
      if (!res.ok) {
        const error = await readError(res);
        sourceText.replaceChildren(el('p', 'error', error.message));
        return;
      }
      source = await res.json();
      state.sources.set(citation.file, source);
    }
    sourceTitle.textContent = source.title;
    sourceMeta.textContent = [KIND_LABELS[source.kind] || source.kind, source.publisher, source.date]
      .filter(Boolean)
      .join(' · ');
    sourceSection.textContent = citation.section ? 'Sectie: ' + citation.section : '';
    // start/end index the ORIGINAL text, which is exactly what the server sends.
    const start = Math.max(0, Math.min(citation.start, source.text.length));
    const end = Math.max(start, Math.min(citation.end, source.text.length));
    const mark = el('mark', 'quote', source.text.slice(start, end));
    sourceText.replaceChildren(
      document.createTextNode(source.text.slice(0, start)),
      mark,
      document.createTextNode(source.text.slice(end)),
    );
    sourceTitle.focus({ preventScroll: true });
    // Scroll only the source text (its own scroll container), never the page behind it: put the quote a
    // third of the way down. After layout, so the sizes are those of the opened panel.
    requestAnimationFrame(() => {
      const box = sourceText.getBoundingClientRect();
      const m = mark.getBoundingClientRect();
      sourceText.scrollTop += m.top - box.top - box.height / 3;
    });
  }

  function closeSource() {
    panel.hidden = true;
    document.body.classList.remove('source-open');
    if (state.opener && document.contains(state.opener)) state.opener.focus();
    state.opener = null;
  }

  // ---- wiring -------------------------------------------------------------------------------------

  function askForToken(question) {
    state.pending = question;
    tokenHelp.textContent = state.token
      ? 'Deze toegangscode werd niet aanvaard. Vul de juiste code in en druk op Enter: uw vraag wordt opnieuw verstuurd.'
      : 'Deze server vraagt een toegangscode (API-token). Vul ze in en druk op Enter: uw vraag wordt daarna opnieuw verstuurd.';
    setStatus('Toegangscode nodig.');
    tokenRow.hidden = false;
    tokenInput.focus();
  }

  function submitToken() {
    const token = tokenInput.value.trim();
    if (!token) return;
    state.token = token;
    sessionStorage.setItem('rugwijs-token', token);
    tokenInput.value = '';
    tokenRow.hidden = true;
    const pending = state.pending;
    state.pending = null;
    if (state.catalog.size === 0) void loadCatalog();
    if (pending) void ask(pending);
    else input.focus();
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void ask(input.value);
  });
  tokenInput.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      submitToken();
    }
  });
  $('token-button').addEventListener('click', submitToken);
  for (const button of document.querySelectorAll('button.example')) {
    button.addEventListener('click', () => {
      input.value = button.textContent;
      void ask(input.value);
    });
  }
  $('reset').addEventListener('click', () => {
    state.history = [];
    conversation.replaceChildren();
    document.body.classList.remove('has-turns');
    closeSource();
    setStatus('Nieuw gesprek gestart.');
    input.focus();
  });
  $('source-close').addEventListener('click', closeSource);
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !panel.hidden) closeSource();
  });

  // Tell the user when the index is still being loaded or built (the first start can take a while).
  async function waitUntilReady() {
    try {
      const res = await fetch('/healthz');
      if (res.status === 503) {
        const body = await res.json();
        if (body.status === 'loading') {
          setStatus('De bronnen worden geladen…');
          setTimeout(waitUntilReady, 2000);
          return;
        }
        setStatus(
          'De bronnen konden niet geladen worden: ' +
            ((body.error && body.error.message) || 'onbekende fout'),
        );
        return;
      }
      if (status.textContent === 'De bronnen worden geladen…') setStatus('Klaar.');
    } catch {
      setStatus('Geen verbinding met de server.');
    }
  }
  // The tagline names the corpus as the server holds it today (never a fixed count in the page).
  async function loadCatalog() {
    try {
      const res = await fetch('/api/sources', { headers: authHeaders({}) });
      if (!res.ok) {
        if (res.status === 503) setTimeout(loadCatalog, 2000);
        return;
      }
      const body = await res.json();
      state.catalog = new Map(body.sources.map((s) => [s.file, s]));
      // Most authoritative first (guideline before evidence summary before news).
      body.sources.sort((a, b) => (a.authority || 9) - (b.authority || 9));
      const n = body.sources.length;
      const kinds = [...new Set(body.sources.map((s) => s.label || KIND_LABELS[s.kind] || s.kind))];
      corpusSummary.textContent =
        (n === 1 ? '1 Nederlandstalige bron' : n + ' Nederlandstalige bronnen') + ' (' + kinds.join(', ') + ')';
    } catch {
      // The generic tagline stays.
    }
  }

  void waitUntilReady();
  void loadCatalog();
})();
