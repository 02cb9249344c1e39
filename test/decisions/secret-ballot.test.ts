import { Writable } from 'node:stream';
import pino from 'pino';
import {
  CastBallotDocument,
  CloseVoteDocument,
  OpenVoteDocument,
  RecordVoteCountsDocument,
} from '../generated/graphql';
import {
  bearer,
  codes,
  conventionOf,
  gid,
  keyOf,
  post,
  query,
  sql,
  startTestServer,
  token,
  unchangedBy,
} from '../support';
import type { TestServer } from '../support';
import { sittingOf } from './votes-sitting';

/**
 * A secret ballot leaves no trace of who voted how: a SECRET vote is run
 * through the API, with everything the server logs captured at trace, and
 * an attempt to cast a seat's ballot in it refused. Then every row of every
 * table, the event log, the log and /metrics are searched for a seat (or
 * its holder) next to a choice. The same search over an OPEN vote run the
 * same way finds the pairs, so the search is able to fail.
 */

const lines: string[] = [];
const capture = new Writable({
  write(chunk: Buffer, _encoding, done) {
    lines.push(chunk.toString());
    done();
  },
});

let server: TestServer;
let admin: string;
let bodyGid: string;
let seats: string[];
const OPTIONS = new Set(['FOR', 'AGAINST', 'ABSTAIN']);

beforeAll(async () => {
  server = await startTestServer({ env: { LOG_LEVEL: 'trace' }, log: pino({ level: 'trace' }, capture) });
  admin = await token('ADMIN');
  const convention = await conventionOf(server);
  bodyGid = convention.bodyGid;
  seats = convention.seatIds.map((id) => gid('Seat', id));
});
afterAll(() => server?.stop());

const as = () => bearer(admin);

/** The Convention sitting with 20 of 36 present and a vote of this secrecy open; ids of the session and the vote. */
async function voteUnderWay(secrecy: 'OPEN' | 'SECRET'): Promise<{ sessionId: string; voteId: string }> {
  const { sessionId } = await sittingOf(server, admin, { bodyGid, seats }, 20, {
    title: `Konwent, głosowanie ${secrecy}`,
  });
  const vote = await query(
    server.url,
    OpenVoteDocument,
    { input: { sessionId, subject: 'Wybór przewodniczącego Konwentu', secrecy } },
    as(),
  );
  return { sessionId, voteId: vote.openVote.id };
}

/** What the seats present could be recognised by: their keys and global ids, and their holders'. */
async function identifiersOf(sessionId: string): Promise<Set<string>> {
  const rows = await sql<{ seat_id: number; person_id: number | null }>(
    server,
    "SELECT seat_id, person_id FROM attendance_record WHERE session_id = $1 AND status = 'PRESENT'",
    [keyOf(sessionId)],
  );
  const ids = new Set<string>();
  for (const row of rows) {
    ids.add(String(row.seat_id)).add(gid('Seat', row.seat_id));
    if (row.person_id !== null) ids.add(String(row.person_id)).add(gid('Person', row.person_id));
  }
  return ids;
}

/** Every row of every table (listed from pg_tables, so a table added later is covered), as JSON text. */
async function everyRow(): Promise<{ table: string; row: string }[]> {
  const tables = await sql<{ name: string }>(
    server,
    `SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables
     WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1`,
  );
  const dump: { table: string; row: string }[] = [];
  for (const { name } of tables) {
    const rows = await sql<{ row: string }>(server, `SELECT row_to_json(t)::text AS row FROM ${name} t`);
    for (const { row } of rows) dump.push({ table: name, row });
  }
  // The dump holds what it should: the reference data, the sitting, its attendance, the vote and its events.
  for (const table of ['public.seat', 'public.attendance_record', 'public.vote', 'public.session_event']) {
    expect([table, dump.some((entry) => entry.table === table)]).toEqual([table, true]);
  }
  return dump;
}

/**
 * Objects, anywhere inside a JSON value, that hold a seat or a person (a key naming one, with the id of
 * one of `ids`) together with a choice: the pairs a secret ballot must never leave.
 */
function pairsIn(value: unknown, ids: ReadonlySet<string>, found: string[] = []): string[] {
  if (Array.isArray(value)) {
    for (const element of value) pairsIn(element, ids, found);
  } else if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    const who = entries.some(([key, inner]) => /seat|person/i.test(key) && ids.has(String(inner)));
    const choice = entries.some(([, inner]) => typeof inner === 'string' && OPTIONS.has(inner));
    if (who && choice) found.push(JSON.stringify(value));
    for (const [, inner] of entries) pairsIn(inner, ids, found);
  } else if (typeof value === 'string' && /^[[{]/.test(value)) {
    try {
      pairsIn(JSON.parse(value), ids, found);
    } catch {
      // text that only looks like JSON
    }
  }
  return found;
}

const metrics = async (): Promise<string> => (await fetch(server.url.replace(/\/graphql$/, '/metrics'))).text();

/** A record of the session's events, as stored. */
const eventLog = (sessionId: string) =>
  sql<{ kind: string; payload: Record<string, unknown> }>(
    server,
    'SELECT kind, payload FROM session_event WHERE session_id = $1 ORDER BY sequence',
    [keyOf(sessionId)],
  );

describe('a SECRET vote', () => {
  let secret: { sessionId: string; voteId: string };
  let refusedVariables: { input: { voteId: string; seatId: string; option: 'AGAINST' } };
  let dump: { table: string; row: string }[];
  let log: string;
  let metricsText: string;
  let ids: Set<string>;

  beforeAll(async () => {
    secret = await voteUnderWay('SECRET');
    refusedVariables = { input: { voteId: secret.voteId, seatId: seats[7]!, option: 'AGAINST' } };
    const refused = await unchangedBy(server, () => post(server.url, CastBallotDocument, refusedVariables, as()));
    expect(codes(refused)).toEqual(['BAD_USER_INPUT']);
    expect(refused.errors![0]!.message).not.toContain(seats[7]!);
    expect(refused.errors![0]!.message).not.toContain('AGAINST');
    await query(
      server.url,
      RecordVoteCountsDocument,
      { input: { voteId: secret.voteId, for: 12, against: 5, abstain: 3 } },
      as(),
    );
    const closed = await query(server.url, CloseVoteDocument, { id: secret.voteId }, as());
    expect(closed.closeVote).toMatchObject({
      status: 'CLOSED',
      result: 'PASSED',
      ballots: [],
      counts: { for: 12, against: 5, abstain: 3, notVoting: 0 },
    });
    ids = await identifiersOf(secret.sessionId);
    dump = await everyRow();
    log = lines.join('');
    metricsText = await metrics();
  });

  it('has no ballot rows, and no row of any table pairs a seat or a person with a choice', async () => {
    expect(await sql(server, 'SELECT * FROM ballot WHERE vote_id = $1', [keyOf(secret.voteId)])).toEqual([]);
    expect(dump.filter((entry) => entry.table === 'public.ballot')).toEqual([]);
    const pairs = dump.flatMap((entry) => pairsIn(entry.row, ids).map((pair) => `${entry.table}: ${pair}`));
    expect(pairs).toEqual([]);
  });

  it('leaves events holding only the vote and its counts: no ballot, no seat next to a choice', async () => {
    const events = await eventLog(secret.sessionId);
    const ofVote = events.filter((event) => event.kind.startsWith('VOTE_') || event.kind === 'BALLOT_CAST');
    expect(ofVote.map((event) => event.kind)).toEqual(['VOTE_OPENED', 'VOTE_COUNTS_RECORDED', 'VOTE_CLOSED']);
    for (const event of ofVote) {
      expect(Object.keys(event.payload)).not.toContain('ballot');
      expect(JSON.stringify(event.payload)).not.toMatch(/"option"|"seatId"/);
    }
    expect(pairsIn(events, ids)).toEqual([]);
  });

  it('logs the refused cast without the seat or the choice', () => {
    // The log was captured: the refusal is in it, as one line naming the operation and the code.
    const castLines = lines.filter((line) => line.includes('"operation":"CastBallot"'));
    expect(castLines).toHaveLength(1);
    expect(castLines[0]).toContain('BAD_USER_INPUT');
    for (const id of [seats[7]!, refusedVariables.input.voteId, JSON.stringify(refusedVariables)]) {
      expect(log).not.toContain(id);
    }
    expect(log).not.toMatch(/AGAINST|"option"|seatId/);
    expect(pairsIn(lines, ids)).toEqual([]);
  });

  it('adds no seat, person or choice to any label of /metrics', () => {
    expect(metricsText).toMatch(/obrady_graphql_requests_total\{operation="CastBallot"/);
    for (const id of [...ids].filter((id) => !/^\d+$/.test(id))) expect(metricsText).not.toContain(id);
    expect(metricsText).not.toMatch(/AGAINST|ABSTAIN|seat/i);
  });
});

describe('the same search over an OPEN vote', () => {
  it('finds the seat next to its choice in the ballot table and in the event log', async () => {
    const open = await voteUnderWay('OPEN');
    await query(
      server.url,
      CastBallotDocument,
      { input: { voteId: open.voteId, seatId: seats[7]!, option: 'AGAINST' } },
      as(),
    );
    const ids = await identifiersOf(open.sessionId);
    const pairs = (await everyRow()).flatMap((entry) => pairsIn(entry.row, ids).map(() => entry.table));
    expect(new Set(pairs)).toEqual(new Set(['public.ballot', 'public.session_event']));
    expect(pairsIn(await eventLog(open.sessionId), ids).length).toBeGreaterThan(0);
  });
});
