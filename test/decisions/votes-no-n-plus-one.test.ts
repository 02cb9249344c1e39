import { AddAgendaItemDocument, SessionVotesDeepDocument } from '../generated/graphql';
import {
  bearer,
  conventionOf,
  keyOf,
  query,
  scheduleSession,
  sql,
  startTestServer,
  statementsOf,
  token,
} from '../support';
import type { TestServer } from '../support';

/**
 * A session's votes with their named lists cost the same number of
 * statements for 1 vote as for 20, each with 36 ballots: every level of
 * `session { votes { ballots { seat person } agendaItem } agenda { votes } }` is one batch.
 */
let server: TestServer;
let one: string;
let twenty: string;

/** A sitting of the Convention with all 36 members present, 4 agenda items, and `votes` closed votes, made with SQL. */
async function sittingWithVotes(admin: string, bodyGid: string, votes: number): Promise<string> {
  const sessionId = await scheduleSession(server, admin, bodyGid, `Konwent: ${votes} głosowań`);
  const items: number[] = [];
  for (let n = 1; n <= 4; n += 1) {
    const added = await query(
      server.url,
      AddAgendaItemDocument,
      { input: { sessionId, title: `Punkt ${n}` } },
      bearer(admin),
    );
    items.push(keyOf(added.addAgendaItem.id));
  }
  const session = keyOf(sessionId);
  await sql(
    server,
    "UPDATE attendance_record SET status = 'PRESENT', arrived_at = now() WHERE session_id = $1 AND counts_toward_quorum",
    [session],
  );
  for (let n = 0; n < votes; n += 1) {
    const [vote] = await sql<{ id: number }>(
      server,
      `INSERT INTO vote (session_id, agenda_item_id, subject, secrecy, majority, status, opened_at, closed_at,
                         quorum_seats, quorum_present, quorum_required, quorum_reached, count_for, count_against,
                         count_abstain, result)
       VALUES ($1, $2, $3, 'OPEN', 'SIMPLE', 'CLOSED', now(), now(), 36, 36, 18, true, 12, 12, 12, 'REJECTED')
       RETURNING id`,
      [session, items[n % items.length], `Wniosek ${n + 1}`],
    );
    await sql(
      server,
      `INSERT INTO ballot (vote_id, seat_id, seat_position, person_id, capacity, option, cast_at)
       SELECT $1, r.seat_id, s.position, r.person_id, r.capacity,
              (ARRAY['FOR', 'AGAINST', 'ABSTAIN'])[1 + s.position % 3], now()
         FROM attendance_record r JOIN seat s ON s.id = r.seat_id
        WHERE r.session_id = $2 AND r.counts_toward_quorum`,
      [vote!.id, session],
    );
  }
  return sessionId;
}

beforeAll(async () => {
  server = await startTestServer();
  const admin = await token('ADMIN');
  const { bodyGid } = await conventionOf(server);
  one = await sittingWithVotes(admin, bodyGid, 1);
  twenty = await sittingWithVotes(admin, bodyGid, 20);
});
afterAll(() => server?.stop());

const cost = (run: () => Promise<unknown>): Promise<number> => statementsOf(server, run);

it('reads 1 vote and 20 votes of 36 ballots each, with seats, people and items, in the same number of statements', async () => {
  const small = await cost(async () => {
    const { node } = await query(server.url, SessionVotesDeepDocument, { id: one });
    expect(node).toMatchObject({ votes: [{ counts: { for: 12, notVoting: 0 }, quorum: { present: 36 } }] });
  });
  const large = await cost(async () => {
    const { node } = await query(server.url, SessionVotesDeepDocument, { id: twenty });
    const votes = (node as { votes: { ballots: { seat: { label: string }; option: string | null }[] }[] }).votes;
    expect(votes).toHaveLength(20);
    expect(
      votes.every((vote) => vote.ballots.length === 36 && vote.ballots.every((b) => b.seat.label && b.option)),
    ).toBe(true);
    const agenda = (node as { agenda: { votes: unknown[] }[] }).agenda;
    expect(agenda.map((item) => item.votes.length)).toEqual([5, 5, 5, 5]);
  });
  expect(small).toBeGreaterThan(0);
  expect(large).toBe(small);
});
