// The reads of the bench's newer parts (issue 13), each in its two forms, Obrady's GraphQL and the equivalent over
// PostGraphile 5's generated schema (amber preset; same rows, same fields):
// - `shapes`: the computed path, every request different. Each shape draws its parameters at random from a pool of
//   the whole data set (`pools`, read from the database by bench/reads.mjs) and says how many rows an answer holds,
//   so that the two servers' answers can be compared.
// - `dashboard`: what a meeting room dashboard reads of the session in progress.
// Both forms take the same parameters and pass them as variables, so each server parses and plans one document per
// shape. `n`, a request number, rides along among the variables: no operation declares it (GraphQL ignores a variable
// an operation does not declare), it only makes every request body unlike any other, so that no cache keyed by the
// request can memorise an answer.
export const globalId = (type, key) => Buffer.from(`${type}:${key}`).toString('base64url');
const encodeCursor = (kind, key, id) => Buffer.from(JSON.stringify([kind, key, id]), 'utf8').toString('base64url');
const rowIdOf = (id) => Number(Buffer.from(id, 'base64url').toString('utf8').split(':')[1]);

/** A small seeded generator (mulberry32): the same seed draws the same requests. */
export function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pick = (rng, list) => list[Math.floor(rng() * list.length)];
const length = (list) => list?.length ?? 0;
const sum = (list, f) => (list ?? []).reduce((total, item) => total + f(item), 0);

/**
 * The pools the shapes draw from, read from the database: every session; every page of 20 sessions of a body and
 * term (one starting at each session of the list that leaves a full page, or the whole list when it is shorter),
 * with Obrady's cursor (the row before it) and PostGraphile's offset; every person; every session with a vote.
 */
export async function readPools(db) {
  const sessions = (await db.query('SELECT id FROM session ORDER BY id')).rows.map((r) => r.id);
  const people = (await db.query('SELECT id FROM person ORDER BY id')).rows.map((r) => r.id);
  const voted = (await db.query('SELECT DISTINCT session_id AS id FROM vote ORDER BY 1')).rows.map((r) => r.id);
  // The order of Obrady's sessions(orderBy: SCHEDULED_AT_DESC) and of PostGraphile's [SCHEDULED_AT_DESC,
  // PRIMARY_KEY_DESC]; the cursor's key is the time in whole milliseconds, as Obrady issues it.
  const rows = (
    await db.query(
      `SELECT s.id, s.body_id, s.term_id, t.number AS term_number,
              floor(extract(epoch FROM s.scheduled_at) * 1000)::bigint AS at
         FROM session s JOIN term t ON t.id = s.term_id
        ORDER BY s.body_id, s.term_id, s.scheduled_at DESC, s.id DESC`,
    )
  ).rows;
  const lists = new Map();
  for (const row of rows) {
    const key = `${row.body_id}/${row.term_id}`;
    if (!lists.has(key)) lists.set(key, []);
    lists.get(key).push(row);
  }
  const pages = [];
  for (const list of lists.values()) {
    for (let offset = 0; offset <= Math.max(0, list.length - 20); offset += 1) {
      const before = list[offset - 1];
      pages.push({
        body: list[0].body_id,
        term: list[0].term_id,
        termNumber: list[0].term_number,
        offset,
        after: before ? encodeCursor('sd', Number(before.at), before.id) : null,
        ids: list.slice(offset, offset + 20).map((r) => r.id),
      });
    }
  }
  // The words of the titles of sessions and agenda items (four letters or more), for the search shape.
  const titles = (
    await db.query('SELECT title FROM session UNION SELECT title FROM agenda_item UNION SELECT full_name FROM person')
  ).rows.map((r) => r.title);
  const words = [
    ...new Set(titles.flatMap((title) => title.toLowerCase().split(/[^\p{L}]+/u)).filter((w) => w.length >= 4)),
  ].sort();
  // Every body and term with a session held (opened, not cancelled): what attendanceStats counts over.
  const held = (
    await db.query(
      `SELECT DISTINCT s.body_id AS body, t.number AS term FROM session s JOIN term t ON t.id = s.term_id
        WHERE s.started_at IS NOT NULL AND s.status <> 'CANCELLED' ORDER BY 1, 2`,
    )
  ).rows;
  return { sessions, people, voted, pages, words, held };
}

export const shapes = {
  session: {
    title: 'a session with agenda and attendance (seat, person, district)',
    pool: 'sessions',
    draw: (rng, pools) => ({ id: pick(rng, pools.sessions) }),
    obrady: ({ id }) => ({
      query:
        'query ComputedSession($id: ID!) { session(id: $id) { title agenda { position title status } attendance { status seat { label } person { fullName } district { name } } } }',
      variables: { id: globalId('Session', id) },
    }),
    postgraphile: ({ id }) => ({
      query:
        'query ComputedSession($id: Int!) { sessionByRowId(rowId: $id) { title agendaItemsBySessionId(orderBy: POSITION_ASC) { nodes { position title status } } attendanceRecordsBySessionId(orderBy: PRIMARY_KEY_ASC) { nodes { status seatBySeatId { label } personByPersonId { fullName } districtByDistrictId { name } } } } }',
      variables: { id },
    }),
    rows: (data, target) => {
      const s = target === 'obrady' ? data.session : data.sessionByRowId;
      if (!s) return 'none';
      return target === 'obrady'
        ? `${length(s.agenda)} items, ${length(s.attendance)} records`
        : `${length(s.agendaItemsBySessionId.nodes)} items, ${length(s.attendanceRecordsBySessionId.nodes)} records`;
    },
  },
  page: {
    title: '20 sessions of a body and term with body, district, agenda',
    pool: 'pages',
    draw: (rng, pools) => pick(rng, pools.pages),
    obrady: (page) => ({
      query:
        'query ComputedPage($body: ID!, $term: Int!, $after: String) { sessions(filter: { bodyId: $body, termNumber: $term }, first: 20, after: $after) { nodes { id title scheduledAt body { name district { name } } agenda { position title } } } }',
      variables: { body: globalId('Body', page.body), term: page.termNumber, after: page.after },
    }),
    postgraphile: (page) => ({
      query:
        'query ComputedPage($body: Int!, $term: Int!, $offset: Int!) { allSessions(condition: { bodyId: $body, termId: $term }, orderBy: [SCHEDULED_AT_DESC, PRIMARY_KEY_DESC], first: 20, offset: $offset) { nodes { rowId title scheduledAt bodyByBodyId { name districtByDistrictId { name } } agendaItemsBySessionId(orderBy: POSITION_ASC) { nodes { position title } } } } }',
      variables: { body: page.body, term: page.term, offset: page.offset },
    }),
    rows: (data, target) => {
      const nodes = target === 'obrady' ? data.sessions.nodes : data.allSessions.nodes;
      const ids = nodes.map((s) => (target === 'obrady' ? rowIdOf(s.id) : s.rowId));
      const items = sum(nodes, (s) => length(target === 'obrady' ? s.agenda : s.agendaItemsBySessionId.nodes));
      return `sessions ${ids.join(',')}; ${items} items`;
    },
  },
  person: {
    title: 'a person with mandates, seats, bodies',
    pool: 'people',
    draw: (rng, pools) => ({ id: pick(rng, pools.people) }),
    obrady: ({ id }) => ({
      query:
        'query ComputedPerson($id: ID!) { person(id: $id) { fullName mandates { title seat { label body { name } } } } }',
      variables: { id: globalId('Person', id) },
    }),
    postgraphile: ({ id }) => ({
      query:
        'query ComputedPerson($id: Int!) { personByRowId(rowId: $id) { fullName mandatesByPersonId(orderBy: PRIMARY_KEY_ASC) { nodes { title seatBySeatId { label bodyByBodyId { name } } } } } }',
      variables: { id },
    }),
    rows: (data, target) => {
      const p = target === 'obrady' ? data.person : data.personByRowId;
      if (!p) return 'none';
      return `${length(target === 'obrady' ? p.mandates : p.mandatesByPersonId.nodes)} mandates`;
    },
  },
  votes: {
    title: "a session's votes with ballots (seat, person, option)",
    pool: 'voted',
    draw: (rng, pools) => ({ id: pick(rng, pools.voted) }),
    obrady: ({ id }) => ({
      query:
        'query ComputedVotes($id: ID!) { session(id: $id) { votes { subject result counts { for against abstain notVoting } ballots { seat { label } person { fullName } option } } } }',
      variables: { id: globalId('Session', id) },
    }),
    // PostGraphile has the counts as columns (notVoting is quorumPresent minus the three) and shows a secret vote's
    // ballots, which Obrady never does: the secrecy is read so that only an open vote's ballots are compared.
    postgraphile: ({ id }) => ({
      query:
        'query ComputedVotes($id: Int!) { sessionByRowId(rowId: $id) { votesBySessionId(orderBy: PRIMARY_KEY_ASC) { nodes { subject result secrecy countFor countAgainst countAbstain quorumPresent ballotsByVoteId(orderBy: SEAT_ID_ASC) { nodes { seatBySeatId { label } personByPersonId { fullName } option } } } } } }',
      variables: { id },
    }),
    rows: (data, target) => {
      if (target === 'obrady') {
        const votes = data.session?.votes ?? [];
        return `${votes.length} votes, ${sum(votes, (v) => v.ballots.length)} ballots`;
      }
      const votes = data.sessionByRowId?.votesBySessionId.nodes ?? [];
      const open = votes.filter((v) => v.secrecy === 'OPEN');
      return `${votes.length} votes, ${sum(open, (v) => v.ballotsByVoteId.nodes.length)} ballots`;
    },
  },
};

/**
 * Search (issue 14): one or two words drawn from every word of the titles and names, sometimes typed without
 * diacritics, so that requests are different queries, not only different bodies. Obrady only: PostGraphile's amber
 * schema has no full-text search, so nothing is compared and its column stays empty.
 */
shapes.search = {
  title: '1–2 words of the titles and names, the best 10 hits with snippets',
  pool: 'words',
  draw: (rng, pools) => {
    const words = Array.from({ length: rng() < 0.7 ? 1 : 2 }, () => pick(rng, pools.words));
    const query = words.join(' ');
    return { query: rng() < 0.3 ? query.normalize('NFD').replace(/\p{M}/gu, '').replace(/ł/g, 'l') : query };
  },
  obrady: ({ query }) => ({
    query:
      'query ComputedSearch($query: String!) { search(query: $query, first: 10) { totalCount stemming nodes { score snippet node { __typename id } } } }',
    variables: { query },
  }),
  postgraphile: null,
  rows: (data) => `${data.search.totalCount} hits (${data.search.nodes.length} shown)`,
};

/**
 * Obrady only (issue 14, item 4): PostGraphile has no statistics, and what a client would read from it to count them
 * (every attendance record of a body's term) is another workload, so this shape runs against Obrady alone. A body's
 * seats in a term, or its people, drawn at random.
 */
shapes.stats = {
  title: "attendance statistics of a body's term (per seat or per person)",
  pool: 'held',
  draw: (rng, pools) => ({ ...pick(rng, pools.held), groupBy: rng() < 0.5 ? 'SEAT' : 'PERSON' }),
  obrady: ({ body, term, groupBy }) => ({
    query:
      'query ComputedStats($term: Int!, $body: ID!, $groupBy: StatsGrouping) { attendanceStats(termNumber: $term, bodyId: $body, groupBy: $groupBy) { seat { label } person { fullName } sessions present absent notRecorded rate } }',
    variables: { term, body: globalId('Body', body), groupBy },
  }),
  postgraphile: null,
  rows: (data) =>
    `${data.attendanceStats.length} lines, ${sum(data.attendanceStats, (line) => line.sessions)} sessions`,
};

/** The request bodies of a shape for a target, drawn with `rng`; `n` makes each one unlike any other. */
export function bodyOf(shape, target, rng, pools, n) {
  const request = shapes[shape][target](shapes[shape].draw(rng, pools));
  return JSON.stringify({ ...request, variables: { ...request.variables, n } });
}

/**
 * The dashboard of the session in progress: its status, agenda, attendance, quorum and the vote under way.
 * PostGraphile has no quorum and no "current vote": it reads what a client needs to work them out, the body's quorum
 * rule and each record's countsTowardQuorum, and the latest vote with its status.
 */
export const dashboard = {
  obrady: (id) => ({
    query:
      'query Dashboard($id: ID!) { session(id: $id) { status agenda { title status } attendance { status seat { label } } quorum { present required reached } currentVote { subject counts { for against } } } }',
    variables: { id: globalId('Session', id) },
  }),
  postgraphile: (id) => ({
    query:
      'query Dashboard($id: Int!) { sessionByRowId(rowId: $id) { status bodyByBodyId { quorumRule } agendaItemsBySessionId(orderBy: POSITION_ASC) { nodes { title status } } attendanceRecordsBySessionId(orderBy: PRIMARY_KEY_ASC) { nodes { status countsTowardQuorum seatBySeatId { label } } } votesBySessionId(orderBy: PRIMARY_KEY_DESC, first: 1) { nodes { subject status countFor countAgainst } } } }',
    variables: { id },
  }),
  rows: (data, target) => {
    if (target === 'obrady') {
      const s = data.session;
      return `${s.agenda.length} items, ${s.attendance.length} records, vote ${s.currentVote ? 'open' : 'none'}`;
    }
    const s = data.sessionByRowId;
    const vote = s.votesBySessionId.nodes[0];
    return `${s.agendaItemsBySessionId.nodes.length} items, ${s.attendanceRecordsBySessionId.nodes.length} records, vote ${vote?.status === 'VOTING' ? 'open' : 'none'}`;
  },
};
