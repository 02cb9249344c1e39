import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import type { Client } from 'graphql-ws';
import { CastBallotDocument, CloseVoteDocument, OpenVoteDocument } from '../generated/graphql';
import type { VoteOption } from '../generated/graphql';
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
  wsClient,
} from '../support';
import type { GraphQLResponse, TestServer } from '../support';
import { sittingOf } from './votes-sitting';

/**
 * Two clerks at once, the body's clerk over HTTP and an admin over a
 * WebSocket, cast the ballots of all 36 seats while one of them closes the
 * vote midway: the session's lock orders them, so the log stays gapless and
 * the counts are exactly the ballots cast before the close.
 */
let server: TestServer;
let admin: string;
let clerk: string;
let bodyGid: string;
let seats: string[];
let ws: Client;

beforeAll(async () => {
  server = await startTestServer();
  admin = await token('ADMIN');
  const convention = await conventionOf(server);
  bodyGid = convention.bodyGid;
  clerk = await token('CLERK', { bodyIds: [bodyGid], subject: 'clerk-of-the-convention' });
  seats = convention.seatIds.map((id) => gid('Seat', id));
  ws = wsClient(server, admin);
});
afterAll(async () => {
  await ws?.dispose();
  await server?.stop();
});

/** One operation over the admin's WebSocket. */
function overWs<TData, TVariables extends Record<string, unknown>>(
  document: TypedDocumentNode<TData, TVariables>,
  variables: TVariables,
): Promise<GraphQLResponse<TData>> {
  return new Promise((resolve, reject) => {
    let result: GraphQLResponse<TData> | undefined;
    ws.subscribe<TData>(
      { query: print(document), variables },
      {
        next: (value) => (result = value as GraphQLResponse<TData>),
        error: reject,
        complete: () => resolve(result!),
      },
    );
  });
}

const OPTIONS: VoteOption[] = ['FOR', 'AGAINST', 'ABSTAIN', 'FOR'];

it('keeps the log gapless and the counts equal to the ballots cast before the close', async () => {
  const { sessionId } = await sittingOf(server, admin, { bodyGid, seats }, 36, { title: 'Konwent: wyścig' });
  const { openVote } = await query(
    server.url,
    OpenVoteDocument,
    { input: { sessionId, subject: 'Opinia Konwentu' } },
    bearer(clerk),
  );
  const voteId = openVote.id;

  let done = 0;
  let closing: Promise<GraphQLResponse<unknown>> | undefined;
  const outcomes: { seat: number; codes: unknown[] }[] = [];
  /** One clerk's casts, one after another; after the 12th cast of either, the admin closes the vote. */
  const caster = async (mine: number[], send: (seat: number) => Promise<GraphQLResponse<unknown>>) => {
    for (const seat of mine) {
      const result = await send(seat);
      outcomes.push({ seat, codes: codes(result) });
      done += 1;
      if (done === 12) closing = overWs(CloseVoteDocument, { id: voteId });
    }
  };
  const input = (seat: number) => ({
    input: { voteId, seatId: seats[seat]!, option: OPTIONS[seat % OPTIONS.length]! },
  });
  const evens = seats.map((_, i) => i).filter((i) => i % 2 === 0);
  const odds = seats.map((_, i) => i).filter((i) => i % 2 === 1);
  await Promise.all([
    caster(evens, (seat) => post(server.url, CastBallotDocument, input(seat), bearer(clerk))),
    caster(odds, (seat) => overWs(CastBallotDocument, input(seat))),
  ]);
  const closed = await closing!;
  expect(closed.errors).toBeUndefined();

  // Each cast either went in before the close or was refused as CONFLICT; both happened.
  expect(outcomes).toHaveLength(36);
  const cast = outcomes.filter((outcome) => outcome.codes.length === 0);
  const refused = outcomes.filter((outcome) => outcome.codes.length > 0);
  expect(refused.every((outcome) => outcome.codes.length === 1 && outcome.codes[0] === 'CONFLICT')).toBe(true);
  expect(cast.length).toBeGreaterThanOrEqual(12);
  expect(refused.length).toBeGreaterThan(0);

  // The log: 1..n, no gap, no repeat; the casts that went in are the BALLOT_CAST events before VOTE_CLOSED.
  const events = await sql<{ sequence: number; kind: string }>(
    server,
    'SELECT sequence, kind FROM session_event WHERE session_id = $1 ORDER BY sequence',
    [keyOf(sessionId)],
  );
  expect(events.map((event) => event.sequence)).toEqual(events.map((_, i) => i + 1));
  const kinds = events.map((event) => event.kind);
  const opened = kinds.indexOf('VOTE_OPENED');
  const closedAt = kinds.indexOf('VOTE_CLOSED');
  expect(kinds.slice(closedAt + 1)).toEqual([]);
  expect(kinds.slice(opened + 1, closedAt)).toEqual(cast.map(() => 'BALLOT_CAST'));

  // The counts fixed by the close are the ballots with a choice in the table, choice by choice.
  const [vote] = await sql<{ f: number; a: number; s: number; status: string }>(
    server,
    'SELECT count_for AS f, count_against AS a, count_abstain AS s, status FROM vote WHERE id = $1',
    [keyOf(voteId)],
  );
  const [ballots] = await sql<{ f: number; a: number; s: number }>(
    server,
    `SELECT count(*) FILTER (WHERE option = 'FOR')::int AS f, count(*) FILTER (WHERE option = 'AGAINST')::int AS a,
            count(*) FILTER (WHERE option = 'ABSTAIN')::int AS s FROM ballot WHERE vote_id = $1`,
    [keyOf(voteId)],
  );
  expect(vote).toEqual({ ...ballots, status: 'CLOSED' });
  const expected = { f: 0, a: 0, s: 0 };
  for (const { seat } of cast) {
    const option = OPTIONS[seat % OPTIONS.length]!;
    expected[option === 'FOR' ? 'f' : option === 'AGAINST' ? 'a' : 's'] += 1;
  }
  expect(ballots).toEqual(expected);
  const response = closed.data as { closeVote: { counts: { for: number; against: number; abstain: number } } };
  expect(response.closeVote.counts).toMatchObject({ for: expected.f, against: expected.a, abstain: expected.s });
});
