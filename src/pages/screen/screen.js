/*
 * The meeting-room screen's script: it reads a session's state once over HTTP, then follows its `sessionEvents`
 * over graphql-ws (the browser build, served beside this file as the global `graphqlWs`) with `after` = the last
 * sequence it showed. When the connection drops it says so, comes back with the same `after` and so misses
 * nothing: the server replays what was missed, then goes on live. Every text from the data goes in with
 * textContent, never as HTML. Plain browser JavaScript, no build step.
 */
'use strict';

(function screen() {
  const root = document.getElementById('screen');
  const $ = (id) => document.getElementById(id);
  const timeZone = root.dataset.timeZone || 'Europe/Warsaw';
  const wsUrl = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/graphql';

  const ATTENDANCE = 'id label status capacity mode seat { id } person { fullName }';
  const VOTE =
    'id subject secrecy status result openedAt agendaItem { id } counts { for against abstain notVoting } ' +
    'ballots { option capacity seat { id label } person { fullName } }';
  const SPEECH = 'id kind status requestedAt startedAt timeLimitSeconds speaker { id label }';
  const ITEM = 'id position title status startedAt';
  const QUORUM = 'present required reached seats';

  const SESSION_QUERY = `query ScreenPage($id: ID!) {
    session(id: $id) {
      id title status lastSequence scheduledAt body { id name } quorum { ${QUORUM} }
      agenda { ${ITEM} } attendance { ${ATTENDANCE} } votes { ${VOTE} } speakers { ${SPEECH} }
    }
  }`;
  const BODY_QUERY = `query ScreenBody($id: ID!, $from: DateTime!) {
    body(id: $id) { id name }
    live: sessions(filter: { bodyId: $id, status: [IN_PROGRESS, SUSPENDED] }, orderBy: SCHEDULED_AT_DESC, first: 1) {
      nodes { id status }
    }
    next: sessions(filter: { bodyId: $id, status: [SCHEDULED], from: $from }, orderBy: SCHEDULED_AT_ASC, first: 1) {
      nodes { id title scheduledAt }
    }
  }`;
  const EVENTS = `subscription ScreenPageEvents($sessionId: ID!, $after: Int) {
    sessionEvents(sessionId: $sessionId, after: $after) {
      sequence kind status quorum { ${QUORUM} } agendaItem { ${ITEM} } attendance { ${ATTENDANCE} }
      vote { ${VOTE} } speech { ${SPEECH} } endedSpeeches { ${SPEECH} }
    }
  }`;
  const STATUS = `subscription ScreenPageStatus($bodyId: ID) {
    sessionStatusChanged(bodyId: $bodyId) { id status }
  }`;

  /** Kinds whose payload does not carry all they change (other items' positions, the session's title). */
  const REREAD = new Set(['AGENDA_ITEM_MOVED', 'AGENDA_ITEM_REMOVED', 'SESSION_UPDATED']);
  const STATUS_WORDS = {
    SCHEDULED: 'zaplanowana',
    IN_PROGRESS: 'w toku',
    SUSPENDED: 'przerwa',
    CLOSED: 'zakończona',
    CANCELLED: 'odwołana',
  };
  const RESULT_WORDS = { PASSED: 'Przyjęto', REJECTED: 'Odrzucono', NO_QUORUM: 'Brak kworum — bez rozstrzygnięcia' };
  const OPTIONS = [
    ['for', 'FOR', 'Za'],
    ['against', 'AGAINST', 'Przeciw'],
    ['abstain', 'ABSTAIN', 'Wstrzymało się'],
  ];
  const SPEECH_KIND_WORDS = { FORMAL_MOTION: 'wniosek formalny', AD_VOCEM: 'ad vocem', REGULAR: '' };
  /** The chair's order (src/services/floor.rules.ts): formal motions, then ad vocem, then the rest, by request time. */
  const KIND_RANK = { FORMAL_MOTION: 0, AD_VOCEM: 1, REGULAR: 2 };

  const clockFormat = new Intl.DateTimeFormat('pl-PL', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  const dateFormat = new Intl.DateTimeFormat('pl-PL', {
    timeZone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });

  const bodyId = root.dataset.bodyId || null;
  /** The session on screen, or null while a body's screen waits for one. */
  let model = null;
  let bodyName = '';
  let nextSession = null;
  /** Server time minus this device's (a projector's clock is often wrong); from the HTTP Date header. */
  let clockOffset = 0;
  /** Every change goes through this chain, one after another, so a re-read never races an event. */
  let chain = Promise.resolve();
  let generation = 0;
  let client = null;
  let events = null;
  let failures = 0;
  let reconnecting = false;

  const now = () => Date.now() + clockOffset;
  const enqueue = (work) => {
    chain = chain.then(work).catch(connectionLost);
    return chain;
  };

  async function graphql(query, variables) {
    const response = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    const date = Date.parse(response.headers.get('date') || '');
    // The header has whole seconds: correct only an offset the header can see.
    if (!Number.isNaN(date) && Math.abs(date - Date.now()) > 2000) clockOffset = date - Date.now();
    const result = await response.json();
    if (!response.ok || result.errors) throw new Error('GraphQL: ' + response.status);
    return result.data;
  }

  /** The whole state of a session, and the sequence it is at. */
  async function readSession(id) {
    const { session } = await graphql(SESSION_QUERY, { id });
    if (!session) throw new Error('no session ' + id);
    const byId = (list) => new Map(list.map((x) => [x.id, x]));
    return {
      id: session.id,
      title: session.title,
      status: session.status,
      scheduledAt: session.scheduledAt,
      bodyName: session.body.name,
      quorum: session.quorum,
      lastSequence: session.lastSequence,
      agenda: byId(session.agenda),
      attendance: byId(session.attendance),
      votes: byId(session.votes),
      speeches: byId(session.speakers),
    };
  }

  /** A body's screen: which session is in progress now, and when the next is. */
  async function readBody() {
    const today = new Date(now());
    today.setHours(0, 0, 0, 0);
    const data = await graphql(BODY_QUERY, { id: bodyId, from: today.toISOString() });
    bodyName = data.body ? data.body.name : '';
    nextSession = data.next.nodes[0] || null;
    const live = data.live.nodes[0];
    if (!live) model = null;
    else if (!model || model.id !== live.id) model = await readSession(live.id);
  }

  /** One event, in sequence order; what its payload cannot say is read again. */
  async function handle(event) {
    if (!model || event.sequence <= model.lastSequence) return; // replayed at the seam of a resume: shown already
    if (event.sequence !== model.lastSequence + 1 || REREAD.has(event.kind)) {
      // A gap should never happen (the server replays from `after`); if it did, the whole state is read again.
      // Read after the event was committed, the state includes it; the events after it are then skipped above.
      model = await readSession(model.id);
    } else {
      model.lastSequence = event.sequence;
      model.status = event.status;
      model.quorum = event.quorum;
      if (event.agendaItem) model.agenda.set(event.agendaItem.id, event.agendaItem);
      if (event.attendance) model.attendance.set(event.attendance.id, event.attendance);
      if (event.vote) model.votes.set(event.vote.id, event.vote);
      for (const speech of [event.speech, ...event.endedSpeeches]) if (speech) model.speeches.set(speech.id, speech);
    }
    if (bodyId && (event.status === 'CLOSED' || event.status === 'CANCELLED')) {
      // A body's screen leaves a finished session for the next one.
      await readBody();
      resubscribe();
    }
    render();
  }

  async function onStatus(session) {
    if (model && model.id === session.id && session.status !== 'CLOSED' && session.status !== 'CANCELLED') return;
    const shown = model ? model.id : null;
    await readBody();
    if ((model ? model.id : null) !== shown) resubscribe();
    render();
  }

  // --- The connection ---------------------------------------------------------------------------------------

  function connect() {
    const mine = generation;
    // Only the connection of this generation may report its loss; a disposed one's last words are ignored.
    const lost = () => {
      if (mine === generation) connectionLost();
    };
    enqueue(async () => {
      if (bodyId) await readBody();
      else if (!model) model = await readSession(root.dataset.sessionId);
      render();
      if (mine !== generation) return;
      let socket = null;
      let pongTimer = null;
      client = graphqlWs.createClient({
        url: wsUrl,
        lazy: false,
        onNonLazyError: () => {}, // reported by `closed`
        // This script resumes by itself, with the `after` it has reached; the library's retry would resend the first.
        retryAttempts: 0,
        keepAlive: 10000,
        on: {
          connected: (s) => {
            socket = s;
            if (mine !== generation) return;
            failures = 0;
            $('banner').hidden = true;
            root.dataset.connected = 'true';
          },
          // A connection that silently died (a cable, a sleeping Wi-Fi) answers no ping: close it to resume.
          ping: (received) => {
            if (!received)
              pongTimer = setTimeout(() => {
                if (socket && socket.readyState === WebSocket.OPEN) socket.close(4408, 'Request Timeout');
              }, 5000);
          },
          pong: (received) => {
            if (received) clearTimeout(pongTimer);
          },
          closed: () => {
            clearTimeout(pongTimer);
            lost();
          },
        },
      });
      if (bodyId) {
        client.subscribe(
          { query: STATUS, variables: { bodyId } },
          {
            next: (r) => {
              if (r.data && mine === generation) enqueue(() => onStatus(r.data.sessionStatusChanged));
            },
            error: lost,
            complete: () => {},
          },
        );
      }
      resubscribe();
    });
  }

  /** Follows the session on screen from the last sequence it shows (or none, when a body's screen waits). */
  function resubscribe() {
    if (events) events();
    events = null;
    if (!model || !client) return;
    const mine = generation;
    events = client.subscribe(
      { query: EVENTS, variables: { sessionId: model.id, after: model.lastSequence } },
      {
        next: (r) => {
          if (r.data && mine === generation) enqueue(() => handle(r.data.sessionEvents));
        },
        error: () => {
          if (mine === generation) connectionLost();
        },
        complete: () => {},
      },
    );
  }

  /** Says so, forgets the connection, and comes back soon with the sequence the screen shows. */
  function connectionLost() {
    if (reconnecting) return;
    reconnecting = true;
    generation += 1; // whatever the old connection still says is ignored
    $('banner').hidden = false;
    root.dataset.connected = 'false';
    if (events) events();
    events = null;
    if (client) void client.dispose();
    client = null;
    failures += 1;
    // Soon at first, then at most every 5 s: a room's screens should not hammer a server that is coming back.
    const delay = Math.min(5000, 250 * 2 ** Math.min(failures, 5)) + Math.random() * 250;
    setTimeout(() => {
      reconnecting = false;
      connect();
    }, delay);
  }

  // --- What is shown ----------------------------------------------------------------------------------------

  const set = (id, text) => {
    const element = $(id);
    if (element.textContent !== text) element.textContent = text;
  };
  const duration = (ms) => {
    const total = Math.max(0, Math.floor(ms / 1000));
    const h = Math.floor(total / 3600);
    const m = Math.floor((total % 3600) / 60);
    const s = String(total % 60).padStart(2, '0');
    return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
  };
  const currentItem = () => [...model.agenda.values()].find((item) => item.status === 'IN_PROGRESS') || null;

  /** The vote on screen: the one under way, else the latest of the item under discussion, with its result. */
  function shownVote() {
    const votes = [...model.votes.values()];
    const voting = votes.find((vote) => vote.status === 'VOTING');
    if (voting) return voting;
    const item = currentItem();
    const ofItem = votes.filter((vote) => (vote.agendaItem ? vote.agendaItem.id : null) === (item ? item.id : null));
    ofItem.sort((a, b) => Date.parse(a.openedAt) - Date.parse(b.openedAt));
    return ofItem.at(-1) || null;
  }

  function render() {
    root.dataset.lastSequence = String(model ? model.lastSequence : 0);
    root.dataset.sessionShown = model ? model.id : '';
    $('waiting').hidden = !!model;
    $('session').hidden = !model;
    if (!model) {
      set('body-name', bodyName);
      set('session-title', '');
      set(
        'next-session',
        nextSession
          ? `Następna: ${nextSession.title}, ${dateFormat.format(new Date(nextSession.scheduledAt))}`
          : 'Nie zaplanowano kolejnej sesji.',
      );
      tick();
      return;
    }
    set('body-name', model.bodyName);
    const status = model.status === 'IN_PROGRESS' ? '' : ` — ${STATUS_WORDS[model.status] || model.status}`;
    set('session-title', model.title + status);

    const item = currentItem();
    set(
      'item-title',
      item ? item.title : model.status === 'SCHEDULED' ? 'Sesja jeszcze się nie rozpoczęła' : 'Brak punktu w toku',
    );

    const q = model.quorum;
    set('quorum', `Kworum: ${q.reached ? 'jest' : 'brak'} — ${q.present} z ${q.seats}, wymagane ${q.required}`);
    $('quorum').dataset.reached = String(q.reached);
    const seated = [...model.attendance.values()].filter((r) => r.seat && r.status === 'PRESENT');
    const remote = seated.filter((r) => r.mode === 'REMOTE').length;
    const deputies = seated.filter((r) => r.capacity === 'DEPUTY').length;
    set('presence', `Obecni: ${seated.length} · zdalnie: ${remote} · przez zastępców: ${deputies}`);

    const vote = shownVote();
    renderVote(vote);
    renderFloor(vote);
    tick();
  }

  function renderVote(vote) {
    $('vote-panel').hidden = !vote;
    if (!vote) return;
    $('vote-panel').dataset.voteId = vote.id;
    const secrecy = vote.secrecy === 'SECRET' ? 'tajne' : 'jawne';
    set('vote-subject', `Głosowanie ${secrecy}: ${vote.subject}`);
    const state =
      vote.status === 'VOTING'
        ? 'Głosowanie trwa'
        : vote.status === 'ANNULLED'
          ? 'Głosowanie unieważnione'
          : RESULT_WORDS[vote.result] || 'Głosowanie zakończone';
    set('vote-state', state);
    const counts = [
      ...OPTIONS.map(([key, , word]) => [word, vote.counts[key]]),
      ['Nie głosowało', vote.counts.notVoting],
    ];
    const list = $('vote-counts');
    const text = counts.map(([word, n]) => `${word}: ${n}`);
    if ([...list.children].map((li) => li.textContent).join('|') !== text.join('|')) {
      list.replaceChildren(...text.map((t) => Object.assign(document.createElement('li'), { textContent: t })));
    }
    // Who voted how is shown for a closed open vote only; a secret one has no ballots to show, anywhere.
    const names = $('vote-names');
    const named = vote.secrecy === 'OPEN' && vote.status !== 'VOTING' ? vote.ballots : [];
    const key = named.map((b) => `${b.seat.id}:${b.option}`).join('|');
    if (names.dataset.key === key) return;
    names.dataset.key = key;
    // Each option's column is as wide as its share of the names (set through the CSSOM, which the CSP allows).
    const groups = OPTIONS.map(([, option]) => named.filter((b) => b.option === option)).filter((who) => who.length);
    names.style.gridTemplateColumns = groups.map((who) => `minmax(0, ${who.length}fr)`).join(' ');
    names.replaceChildren(
      ...OPTIONS.map(([, option, word]) => {
        const who = named.filter((b) => b.option === option);
        if (!who.length) return '';
        const group = document.createElement('section');
        const heading = Object.assign(document.createElement('h3'), { textContent: `${word} (${who.length})` });
        const ul = document.createElement('ul');
        for (const ballot of who) {
          const name = ballot.person ? ballot.person.fullName : ballot.seat.label;
          const suffix = ballot.capacity === 'DEPUTY' ? ' (zastępca)' : '';
          ul.append(Object.assign(document.createElement('li'), { textContent: name + suffix }));
        }
        group.append(heading, ul);
        return group;
      }),
    );
  }

  function queue() {
    return [...model.speeches.values()]
      .filter((s) => s.status === 'WAITING')
      .sort(
        (a, b) =>
          KIND_RANK[a.kind] - KIND_RANK[b.kind] ||
          Date.parse(a.requestedAt) - Date.parse(b.requestedAt) ||
          (a.id < b.id ? -1 : 1),
      );
  }

  function renderFloor(vote) {
    const waiting = queue();
    const speaking = [...model.speeches.values()].some((s) => s.status === 'SPEAKING');
    // An idle floor gives its room to a vote's named list, the one part of the screen that needs it.
    $('floor-panel').hidden =
      !speaking && !waiting.length && !!vote && vote.secrecy === 'OPEN' && vote.status !== 'VOTING';
    set(
      'queue',
      waiting.length
        ? 'Kolejka: ' +
            waiting
              .map(
                (s, i) =>
                  `${i + 1}. ${s.speaker.label}${SPEECH_KIND_WORDS[s.kind] ? ` (${SPEECH_KIND_WORDS[s.kind]})` : ''}`,
              )
              .join(', ')
        : 'Kolejka: nikt nie czeka',
    );
  }

  /** What changes with time alone: the clock, the item's elapsed time, the speaker's countdown. */
  function tick() {
    const t = now();
    const clock = $('clock');
    set('clock', clockFormat.format(new Date(t)));
    clock.dateTime = new Date(t).toISOString();
    if (!model) return;
    const item = currentItem();
    set(
      'item-position',
      item
        ? `Punkt ${item.position} z ${model.agenda.size}` +
            (item.startedAt ? ` · trwa ${duration(t - Date.parse(item.startedAt))}` : '')
        : `Porządek obrad: ${model.agenda.size} pkt`,
    );
    const speaking = [...model.speeches.values()].find((s) => s.status === 'SPEAKING');
    if (!speaking) {
      set('speaker', 'Nikt nie ma głosu');
      return;
    }
    const kind = SPEECH_KIND_WORDS[speaking.kind] ? ` (${SPEECH_KIND_WORDS[speaking.kind]})` : '';
    const spoken = speaking.startedAt ? t - Date.parse(speaking.startedAt) : 0;
    let time;
    if (!speaking.timeLimitSeconds) time = `mówi ${duration(spoken)}`;
    else {
      const left = speaking.timeLimitSeconds * 1000 - spoken;
      const limit = duration(speaking.timeLimitSeconds * 1000);
      time = left >= 0 ? `zostało ${duration(left + 999)} z ${limit}` : `czas minął (${limit}) + ${duration(-left)}`;
    }
    set('speaker', `Głos ma: ${speaking.speaker.label}${kind} — ${time}`);
  }

  setInterval(tick, 250);
  connect();
})();
