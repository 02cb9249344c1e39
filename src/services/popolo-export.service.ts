import { toGlobalId } from '../schema/global-id';
import { category, idOf, popoloInstant, instant, sourceOf } from './export-format.rules';
import type { ExportStyle } from './export-format.rules';
import type { AttendanceRow, BallotRow, SessionRow, TermSnapshot, VoteRow } from './term-snapshot.service';

/** Popolo's conventional options of a vote (http://www.popoloproject.com/specs/vote.html). */
const OPTIONS: Readonly<Record<string, string>> = { FOR: 'yes', AGAINST: 'no', ABSTAIN: 'abstain' };
/** Popolo's conventional results of a vote event; a vote without a quorum decided nothing, and says so. */
const RESULTS: Readonly<Record<string, string>> = { PASSED: 'pass', REJECTED: 'fail', NO_QUORUM: 'no quorum' };
/** Who is counted among a session's attendees: those present, including those who left early. */
const ATTENDED = new Set(['PRESENT', 'LEFT']);
/** Output is handed on in pieces of about this many characters, not one per record. */
const PIECE = 64 * 1024;

/**
 * /export/term-{n}/popolo.json: one term's public record in Popolo's JSON (http://www.popoloproject.com/specs/),
 * written as it is read, list after list, so that nothing but one session's attendees or one vote's named list is
 * ever held at once.
 *
 * - persons: everyone the term's record names; organizations: every body, with its kind as classification; areas:
 *   the 18 districts; posts: the seats; memberships: the term's mandates (post, organization, legislative period).
 * - events: the term as a legislative period, then its sessions as its children (parent_id), each with its
 *   attendees (those present; a deputy with role "deputy" and the seat they filled).
 * - vote_events: counts always; the named list (votes) of OPEN votes only. A deputy who voted is recorded with the
 *   role "deputy" and the seat (post_id): Popolo's on_behalf_of_id names a party, never a represented person, and is
 *   not used.
 */
export async function* popoloJson(snapshot: TermSnapshot, style: ExportStyle): AsyncGenerator<string> {
  const term = snapshot.term;
  const termId = toGlobalId('Term', term.id);
  yield `{"meta":${JSON.stringify({
    generator: 'Obrady',
    term: term.number,
    data_version: snapshot.version,
    synthetic: snapshot.includeSynthetic ? 'included' : 'excluded',
  })}`;
  yield* list('persons', snapshot.people(), (person) => ({
    id: toGlobalId('Person', person.id),
    name: person.full_name,
    identifiers: [{ scheme: 'obrady', identifier: toGlobalId('Person', person.id) }],
    synthetic: person.synthetic,
    sources: [sourceOf(style, 'Person', person.id)],
  }));
  yield* list('organizations', snapshot.bodies(), (body) => ({
    id: toGlobalId('Body', body.id),
    name: body.name,
    classification: category(body.kind),
    area_id: idOf('District', body.district_id),
    description: body.description,
    sources: [sourceOf(style, 'Body', body.id)],
  }));
  yield* list('areas', snapshot.districts(), (district) => ({
    id: toGlobalId('District', district.id),
    name: `Dzielnica ${district.numeral} ${district.name}`,
    identifier: district.numeral,
    classification: 'dzielnica',
    sources: [sourceOf(style, 'District', district.id)],
  }));
  yield* list('posts', snapshot.seats(), (seat) => ({
    id: toGlobalId('Seat', seat.id),
    label: seat.label,
    role: category(seat.role),
    organization_id: toGlobalId('Body', seat.body_id),
    area_id: idOf('District', seat.district_id),
  }));
  yield* list('memberships', snapshot.mandates(), (mandate) => ({
    id: `mandate-${mandate.id}`,
    label: mandate.title,
    role: mandate.title,
    person_id: toGlobalId('Person', mandate.person_id),
    organization_id: idOf('Body', mandate.body_id),
    post_id: idOf('Seat', mandate.seat_id),
    area_id: idOf('District', mandate.district_id),
    legislative_period_id: termId,
    start_date: mandate.starts_on,
    end_date: mandate.ends_on,
    // A mandate is read through its holder (Person.mandates).
    sources: [sourceOf(style, 'Person', mandate.person_id)],
  }));
  yield* list('events', events(snapshot, style), (event) => event);
  yield* list(
    'vote_events',
    grouped(snapshot.votes(), snapshot.ballots(), (ballot) => ballot.vote_id),
    ([vote, ballots]) => voteEvent(vote, ballots, style),
  );
  yield '}\n';
}

/** The term as the legislative period, then its sessions, each with its attendees. */
async function* events(snapshot: TermSnapshot, style: ExportStyle): AsyncGenerator<object> {
  const term = snapshot.term;
  const termId = toGlobalId('Term', term.id);
  yield {
    id: toGlobalId('Term', term.id),
    name: `Kadencja ${term.numeral}`,
    classification: 'legislative period',
    identifiers: [{ scheme: 'term-number', identifier: String(term.number) }],
    start_date: term.starts_on,
    end_date: term.ends_on,
    attendees: [],
    sources: [sourceOf(style, 'Term', term.id)],
  };
  const sessions = grouped(snapshot.sessions(), snapshot.attendance(), (record) => record.session_id);
  for await (const [session, records] of sessions) yield sessionEvent(session, records, termId, style);
}

function sessionEvent(session: SessionRow, records: AttendanceRow[], termId: string, style: ExportStyle) {
  const location = [session.venue_name, session.venue_address].filter(Boolean).join(', ');
  return {
    id: toGlobalId('Session', session.id),
    name: session.title,
    classification: 'session',
    identifiers: [{ scheme: 'session-number', identifier: String(session.number) }],
    description: session.description,
    // A session held starts when it was opened; one not (yet) held, when it was called for.
    start_date: popoloInstant(style, session.started_at ?? session.scheduled_at),
    end_date: popoloInstant(style, session.ended_at),
    status: category(session.status),
    location: location === '' ? null : location,
    organization_id: toGlobalId('Body', session.body_id),
    parent_id: termId,
    synthetic: session.synthetic,
    attendees: records
      .filter((record) => ATTENDED.has(record.status))
      .map((record) => ({
        id: idOf('Person', record.person_id),
        name: record.person_name ?? record.label,
        role: category(record.capacity),
        post_id: idOf('Seat', record.seat_id),
      })),
    sources: [sourceOf(style, 'Session', session.id)],
  };
}

function voteEvent(vote: VoteRow, ballots: BallotRow[], style: ExportStyle) {
  return {
    id: toGlobalId('Vote', vote.id),
    organization_id: toGlobalId('Body', vote.body_id),
    legislative_session_id: toGlobalId('Session', vote.session_id),
    motion: { text: vote.subject, requirement: category(vote.majority) },
    classification: category(vote.secrecy),
    status: category(vote.status),
    start_date: instant(style, vote.opened_at),
    end_date: instant(style, vote.closed_at),
    result: vote.result === null ? null : (RESULTS[vote.result] ?? null),
    counts: [
      { option: 'yes', value: vote.count_for },
      { option: 'no', value: vote.count_against },
      { option: 'abstain', value: vote.count_abstain },
    ],
    // Only OPEN votes have ballots: for a SECRET one, who voted how exists nowhere.
    votes: ballots.map((ballot) => ({
      voter_id: idOf('Person', ballot.person_id),
      option: ballot.option === null ? 'not voting' : OPTIONS[ballot.option]!,
      role: category(ballot.capacity),
      post_id: toGlobalId('Seat', ballot.seat_id),
    })),
    sources: [sourceOf(style, 'Vote', vote.id)],
  };
}

/** A JSON array under a key of the top object, written a piece at a time. */
async function* list<Row>(key: string, rows: AsyncIterable<Row>, item: (row: Row) => object): AsyncGenerator<string> {
  let piece = `,\n"${key}":[`;
  let first = true;
  for await (const row of rows) {
    piece += (first ? '\n' : ',\n') + JSON.stringify(item(row));
    first = false;
    if (piece.length >= PIECE) {
      yield piece;
      piece = '';
    }
  }
  yield `${piece}\n]`;
}

/**
 * Each parent with its children, from two lists in the same order (the children of one parent together): a merge,
 * so only one parent's children are held at a time.
 */
async function* grouped<Parent extends { id: number }, Child>(
  parents: AsyncIterable<Parent>,
  children: AsyncIterable<Child>,
  parentOf: (child: Child) => number,
): AsyncGenerator<[Parent, Child[]]> {
  const next = children[Symbol.asyncIterator]();
  let child = await next.next();
  try {
    for await (const parent of parents) {
      const mine: Child[] = [];
      while (!child.done && parentOf(child.value) === parent.id) {
        mine.push(child.value);
        child = await next.next();
      }
      yield [parent, mine];
    }
  } finally {
    await next.return?.();
  }
}
