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
    busy: false,
    token: sessionStorage.getItem('rugwijs-token') || '',
    opener: null,
  };

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
        const error = await readError(res);
        if (res.status === 401) askForToken();
        renderError(box, error.message);
        return;
      }
      const result = await readAnswer(res, (text) => renderStreaming(box, text));
      if (result.error) {
        renderError(box, result.error.message);
        return;
      }
      renderAnswer(box, result);
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
      input.focus();
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
      return { meta: a, text: a.answer, citations: a.citations, error: null };
    }
    const out = { meta: null, text: '', citations: [], error: null };
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
        if (ev.event === 'meta') out.meta = ev.data;
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
    const byN = new Map((result.citations || []).map((c) => [c.n, c]));
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
    }
    for (const paragraph of result.text.split(/\n{2,}/)) {
      if (!paragraph.trim()) continue;
      const p = el('p');
      appendWithMarkers(p, paragraph, byN);
      box.append(p);
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
        item.append(open, el('q', 'citation-quote', c.quote));
        list.append(item);
      }
      box.append(list);
    }
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
    mark.scrollIntoView({ block: 'center' });
  }

  function closeSource() {
    panel.hidden = true;
    document.body.classList.remove('source-open');
    if (state.opener && document.contains(state.opener)) state.opener.focus();
    state.opener = null;
  }

  // ---- wiring -------------------------------------------------------------------------------------

  function askForToken() {
    tokenRow.hidden = false;
    tokenInput.focus();
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void ask(input.value);
  });
  tokenInput.addEventListener('change', () => {
    state.token = tokenInput.value.trim();
    sessionStorage.setItem('rugwijs-token', state.token);
  });
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
  void waitUntilReady();
})();
