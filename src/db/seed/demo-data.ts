import type { DataSource, EntityManager } from 'typeorm';
import { AgendaItemStatus } from '../../entities/agenda-item.entity';
import { AttendanceCapacity, AttendanceMode, AttendanceStatus } from '../../entities/attendance-record.entity';
import { VoteOption } from '../../entities/ballot.entity';
import { BodyKind } from '../../entities/body.entity';
import type { QuorumRule } from '../../entities/body.entity';
import { SeatRole } from '../../entities/seat.entity';
import { SessionKind, SessionStatus } from '../../entities/session.entity';
import { SpeechKind, SpeechStatus } from '../../entities/speech-request.entity';
import { MajorityRule, VoteResult, VoteSecrecy, VoteStatus } from '../../entities/vote.entity';
import { requiredForQuorum } from '../../services/quorum.rules';

/**
 * Synthetic sessions for load tests (npm run seed:demo -- --sessions N).
 *
 * Everything made here is visibly made up: sessions and people carry
 * synthetic = true, titles start with "[demo]", people are "Demo Person 0001"...
 * (the Convention's deputies too); agenda items, attendance records, votes,
 * ballots and requests for the floor belong to a synthetic session, and vote
 * subjects start with "[demo]" as well. No session_event rows are written, for
 * votes and speeches as for the agenda and attendance: a demo session's log
 * is empty (last_sequence 0), the rows are its state as of its closing.
 * The same N always gives the same rows (up to their serial ids): the numbers
 * come from a seeded PRNG and the dates from fixed term windows and a fixed
 * "as of" day, never from the clock. A run first removes what the previous one
 * made, in the same transaction, so it can be repeated; it never changes or
 * removes a row that is not synthetic.
 */

/**
 * The most sessions one run may add: 100 000 sessions make about 1.6 million attendance records, 100 000 votes with
 * 1.6 million ballots, and 630 000 requests for the floor.
 */
export const MAX_DEMO_SESSIONS = 100_000;

/** Starts every title the generator writes, so that demo rows are found (and seen) with one search. */
export const DEMO_PREFIX = '[demo]';

/**
 * The day the demo data is "as of": sessions before it are over (CLOSED, a few
 * CANCELLED), the later ones SCHEDULED. Fixed rather than today's date so that
 * a given N always gives the same rows.
 */
export const DEMO_AS_OF = '2026-06-01';

/** When demo sessions of each term take place: inside the term, clear of its first and last weeks. */
export const DEMO_TERM_WINDOWS: readonly { readonly term: number; readonly from: string; readonly to: string }[] = [
  { term: 8, from: '2019-01-01', to: '2023-11-30' },
  { term: 9, from: '2024-02-01', to: '2026-11-30' },
];

/** Scheduled times are wall-clock times in the city's zone, as its announcements give them. */
const TIME_ZONE = 'Europe/Warsaw';

/** Rows per INSERT statement: large enough to amortise a round trip, small enough to keep each statement well under a second. */
const CHUNK_ROWS = 20_000;

/** How often the holder of a district seat in term VIII keeps it in term IX. */
const RE_ELECTED = 0.4;

/** How often a body of each kind meets, relative to the others: councils hold most of the sessions. */
const BODY_WEIGHT: Readonly<Record<string, number>> = {
  [BodyKind.DISTRICT_COUNCIL]: 3,
  [BodyKind.DISTRICT_BOARD]: 1,
  [BodyKind.CONVENTION]: 1,
};

/** The City Council has no seats in the reference data, so it gets no demo sessions. */
const DEMO_BODY_KINDS = [BodyKind.CONVENTION, BodyKind.DISTRICT_COUNCIL, BodyKind.DISTRICT_BOARD] as const;

const OPENING_ITEMS = [
  'Otwarcie posiedzenia i stwierdzenie kworum',
  'Przyjęcie porządku obrad',
  'Przyjęcie protokołu z poprzedniego posiedzenia',
];
const TOPICS = [
  'Informacja Przewodniczącego Zarządu o pracach między posiedzeniami',
  'Zaopiniowanie projektu uchwały Rady Miasta Krakowa',
  'Podział środków na zadania powierzone Dzielnicy',
  'Zmiany w budżecie Dzielnicy',
  'Remonty chodników i dróg lokalnych',
  'Zieleń osiedlowa i nasadzenia drzew',
  'Bezpieczeństwo: informacja Komisariatu Policji',
  'Informacja Straży Miejskiej',
  'Wnioski do budżetu obywatelskiego',
  'Imprezy kulturalne i sportowe w Dzielnicy',
  'Współpraca ze szkołami i przedszkolami',
  'Opinia w sprawie lokalizacji inwestycji',
  'Komunikacja miejska: trasy i przystanki',
  'Sprawy lokalowe',
  'Skargi i wnioski mieszkańców',
  'Sprawozdania komisji',
];
const CLOSING_ITEMS = ['Wolne wnioski', 'Zamknięcie posiedzenia'];
const CANCELLATION_REASONS = [
  'Odwołane z przyczyn organizacyjnych',
  'Zmiana terminu na wniosek Przewodniczącego',
  'Brak możliwości zebrania kworum',
];

export interface DemoSummary {
  readonly sessions: number;
  readonly agendaItems: number;
  readonly attendanceRecords: number;
  readonly votes: number;
  readonly ballots: number;
  readonly speechRequests: number;
  readonly persons: number;
  readonly mandates: number;
  readonly byStatus: Readonly<Partial<Record<SessionStatus, number>>>;
  /** What the previous run had left, removed first. */
  readonly removed: { readonly sessions: number; readonly persons: number };
}

/** The demo data cannot be replaced without touching rows that are not synthetic. */
export class DemoDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DemoDataError';
  }
}

/**
 * Replaces the demo data with `sessions` synthetic sessions, in one
 * transaction: people holding every district seat in terms VIII and IX (and
 * the deputies the Convention's members designated), and sessions with their
 * agenda and an attendance record per seat; the closed ones also with votes
 * (their named lists or, when secret, counts only) and speeches.
 */
export async function seedDemoData(dataSource: DataSource, sessions: number): Promise<DemoSummary> {
  if (!Number.isInteger(sessions) || sessions < 1 || sessions > MAX_DEMO_SESSIONS) {
    throw new RangeError(`sessions must be a whole number from 1 to ${MAX_DEMO_SESSIONS}, got ${sessions}`);
  }
  return dataSource.transaction(async (tx) => {
    // Two seeders at once would each delete the other's rows half-way.
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['obrady:seed-demo']);
    await refuseIfReferenced(tx);
    const removed = await removeDemoData(tx);
    const reference = await readReference(tx);
    // People do not depend on N: Demo Person 0001 holds the same seat whatever the number of sessions.
    const people = planPeople(reference, mulberry32(0x0b7ad7));
    const personIds = await insertPeople(tx, people);
    // Votes, speeches, deputies and thin sessions draw on a sequence of their own, so that adding them left the
    // other draws (bodies, dates, agenda, who came) as they were.
    const plan = planSessions(
      reference,
      people,
      personIds,
      sessions,
      mulberry32(seedOf(sessions)),
      mulberry32(seedOf(sessions) ^ 0x5eed),
    );
    await insertSessions(tx, plan);
    const byStatus: Partial<Record<SessionStatus, number>> = {};
    for (const status of plan.sessions.status) byStatus[status] = (byStatus[status] ?? 0) + 1;
    return {
      sessions,
      agendaItems: plan.agenda.session.length,
      attendanceRecords: plan.attendance.session.length,
      votes: plan.votes.session.length,
      ballots: plan.ballots.vote.length,
      speechRequests: plan.speeches.session.length,
      persons: people.names.length,
      mandates: people.mandates.person.length,
      byStatus,
      removed,
    };
  });
}

// --- removing the previous run -------------------------------------------------------------

/**
 * Rows that are not synthetic but point at a demo person (a session scheduled
 * through the API while the demo holders sat in the seats, a deputy recorded
 * for one, a ballot they cast) or at a demo session's item or record would
 * have to be changed for the demo rows to go: refuse rather than touch them.
 */
async function refuseIfReferenced(tx: EntityManager): Promise<void> {
  const [row] = (await tx.query(
    `SELECT
       (SELECT count(*)::int FROM attendance_record a JOIN session s ON s.id = a.session_id
         WHERE NOT s.synthetic
           AND EXISTS (SELECT 1 FROM person p WHERE p.id IN (a.person_id, a.on_behalf_of_id) AND p.synthetic))
       + (SELECT count(*)::int FROM ballot b JOIN vote v ON v.id = b.vote_id JOIN session s ON s.id = v.session_id
           JOIN person p ON p.id = b.person_id WHERE p.synthetic AND NOT s.synthetic)
       + (SELECT count(*)::int FROM vote v JOIN session s ON s.id = v.session_id
           JOIN agenda_item i ON i.id = v.agenda_item_id JOIN session si ON si.id = i.session_id
          WHERE si.synthetic AND NOT s.synthetic)
       + (SELECT count(*)::int FROM speech_request r JOIN session s ON s.id = r.session_id
           LEFT JOIN agenda_item i ON i.id = r.agenda_item_id LEFT JOIN session si ON si.id = i.session_id
           JOIN attendance_record a ON a.id = r.attendance_record_id JOIN session sa ON sa.id = a.session_id
          WHERE NOT s.synthetic AND (si.synthetic OR sa.synthetic)) AS records,
       (SELECT count(*)::int FROM session s JOIN person p ON p.id = s.chair_id
         WHERE p.synthetic AND NOT s.synthetic) AS chaired`,
  )) as { records: number; chaired: number }[];
  if (row!.records > 0 || row!.chaired > 0) {
    throw new DemoDataError(
      `${row!.records} attendance records, ballots, votes or requests for the floor and ${row!.chaired} sessions ` +
        'that are not synthetic refer to demo people or demo sessions; ' +
        'seed:demo never changes rows that are not synthetic, so remove or correct those first',
    );
  }
}

/** Deletes the synthetic rows, children before parents. */
async function removeDemoData(tx: EntityManager): Promise<{ sessions: number; persons: number }> {
  const count = async (sql: string): Promise<number> =>
    ((await tx.query(`WITH gone AS (${sql} RETURNING 1) SELECT count(*)::int AS n FROM gone`)) as { n: number }[])[0]!
      .n;
  const demoSessions = 'SELECT id FROM session WHERE synthetic';
  const demoPeople = 'SELECT id FROM person WHERE synthetic';
  const demoVotes = `SELECT id FROM vote WHERE session_id IN (${demoSessions})`;
  await count(`DELETE FROM speech_request WHERE session_id IN (${demoSessions})`);
  await count(`DELETE FROM ballot WHERE vote_id IN (${demoVotes})`);
  await count(`DELETE FROM vote WHERE session_id IN (${demoSessions})`);
  // The deputies' records go with the sessions; the deputies themselves are demo people, removed with them below.
  await count(`DELETE FROM attendance_record WHERE session_id IN (${demoSessions})`);
  await count(`DELETE FROM agenda_item WHERE session_id IN (${demoSessions})`);
  await count(`DELETE FROM session_event WHERE session_id IN (${demoSessions})`);
  const sessions = await count('DELETE FROM session WHERE synthetic');
  await count(`DELETE FROM mandate WHERE person_id IN (${demoPeople})`);
  const persons = await count('DELETE FROM person WHERE synthetic');
  return { sessions, persons };
}

// --- what is there -----------------------------------------------------------------------------

interface SeatRow {
  readonly id: number;
  readonly bodyId: number;
  readonly position: number;
  readonly label: string;
  readonly role: SeatRole;
  readonly districtId: number | null;
  readonly countsTowardQuorum: boolean;
}

interface BodyRow {
  readonly id: number;
  readonly kind: BodyKind;
  readonly name: string;
  readonly districtNumber: number | null;
  readonly quorumRule: QuorumRule;
  readonly admitsDeputies: boolean;
  /** By position. */
  readonly seats: SeatRow[];
}

interface Reference {
  /** Terms VIII and IX, in that order, with their windows as wall-clock seconds. */
  readonly terms: { readonly id: number; readonly number: number; readonly from: number; readonly to: number }[];
  /** The Convention, then each district's council and board, by district number. */
  readonly bodies: BodyRow[];
  /** `${seatId}:${termId}` -> the person holding it, from mandates that are not synthetic. */
  readonly realHolders: Map<string, number>;
  /** `${bodyId}:${termId}` -> the highest session number already used. */
  readonly lastNumbers: Map<string, number>;
}

const KIND_ORDER: Readonly<Record<string, number>> = {
  [BodyKind.CONVENTION]: 0,
  [BodyKind.DISTRICT_COUNCIL]: 1,
  [BodyKind.DISTRICT_BOARD]: 2,
};

const holderKey = (seatId: number, termId: number): string => `${seatId}:${termId}`;

/** Reads the bodies, seats and holders, ordered by natural keys so that the serial ids do not steer the PRNG. */
async function readReference(tx: EntityManager): Promise<Reference> {
  const termRows = (await tx.query('SELECT id, number FROM term WHERE number = ANY($1::int[])', [
    DEMO_TERM_WINDOWS.map((w) => w.term),
  ])) as { id: number; number: number }[];
  const terms = DEMO_TERM_WINDOWS.map((window) => {
    const row = termRows.find((t) => t.number === window.term);
    if (!row) throw new DemoDataError(`term ${window.term} is missing from the reference data`);
    return { id: row.id, number: row.number, from: wallDay(window.from), to: wallDay(window.to) };
  });

  const bodyRows = (await tx.query(
    `SELECT b.id, b.kind, b.name, d.number AS district_number, b.quorum_rule, b.admits_deputies
     FROM body b LEFT JOIN district d ON d.id = b.district_id
     WHERE b.kind = ANY($1::varchar[])`,
    [DEMO_BODY_KINDS],
  )) as {
    id: number;
    kind: BodyKind;
    name: string;
    district_number: number | null;
    quorum_rule: QuorumRule;
    admits_deputies: boolean;
  }[];
  const seatRows = (await tx.query(
    `SELECT id, body_id, position, label, role, district_id, counts_toward_quorum
     FROM seat WHERE body_id = ANY($1::int[]) ORDER BY position`,
    [bodyRows.map((b) => b.id)],
  )) as {
    id: number;
    body_id: number;
    position: number;
    label: string;
    role: SeatRole;
    district_id: number | null;
    counts_toward_quorum: boolean;
  }[];
  const bodies = bodyRows
    .map((b): BodyRow => ({
      id: b.id,
      kind: b.kind,
      name: b.name,
      districtNumber: b.district_number,
      quorumRule: b.quorum_rule,
      admitsDeputies: b.admits_deputies,
      seats: seatRows
        .filter((s) => s.body_id === b.id)
        .map((s) => ({
          id: s.id,
          bodyId: s.body_id,
          position: s.position,
          label: s.label,
          role: s.role,
          districtId: s.district_id,
          countsTowardQuorum: s.counts_toward_quorum,
        })),
    }))
    .filter((b) => b.seats.length > 0)
    .sort((a, b) => (a.districtNumber ?? 0) - (b.districtNumber ?? 0) || KIND_ORDER[a.kind]! - KIND_ORDER[b.kind]!);
  if (bodies.length === 0) throw new DemoDataError('no district council, board or Convention has seats');

  // The demo rows are gone by now, so every mandate left is a real one; the latest wins, as in the seat holder loader.
  const holderRows = (await tx.query(
    `SELECT DISTINCT ON (seat_id, term_id) seat_id, term_id, person_id
     FROM mandate WHERE seat_id = ANY($1::int[]) AND term_id = ANY($2::int[])
     ORDER BY seat_id, term_id, starts_on DESC NULLS LAST, id DESC`,
    [seatRows.map((s) => s.id), terms.map((t) => t.id)],
  )) as { seat_id: number; term_id: number; person_id: number }[];
  const numberRows = (await tx.query(
    `SELECT body_id, term_id, max(number)::int AS last FROM session
     WHERE body_id = ANY($1::int[]) AND term_id = ANY($2::int[]) GROUP BY body_id, term_id`,
    [bodies.map((b) => b.id), terms.map((t) => t.id)],
  )) as { body_id: number; term_id: number; last: number }[];
  return {
    terms,
    bodies,
    realHolders: new Map(holderRows.map((r) => [holderKey(r.seat_id, r.term_id), r.person_id])),
    lastNumbers: new Map(numberRows.map((r) => [`${r.body_id}:${r.term_id}`, r.last])),
  };
}

// --- people ------------------------------------------------------------------------------------

interface PeoplePlan {
  /** "Demo Person 0001"...; a demo person is referred to by its index here until it has an id. */
  readonly names: string[];
  /** `${seatId}:${termId}` -> index in names. */
  readonly demoHolders: Map<string, number>;
  /** `${seatId}:${termId}` -> index in names: the deputy a demo holder of a seat in a body that admits deputies designated. */
  readonly deputies: Map<string, number>;
  readonly mandates: { person: number[]; seat: number[]; term: number[]; title: string[] };
}

/**
 * A demo holder for every district seat without a real one, in both terms
 * (some re-elected from VIII to IX); the Convention's member seats go to the
 * demo holders of the district chairs they stand for. Seats with a real
 * holder keep it: the Convention's chair stays Artur Buszek's in term IX.
 */
function planPeople(reference: Reference, random: () => number): PeoplePlan {
  const plan: PeoplePlan = {
    names: [],
    demoHolders: new Map(),
    deputies: new Map(),
    mandates: { person: [], seat: [], term: [], title: [] },
  };
  const newPerson = (): number => {
    plan.names.push(`Demo Person ${String(plan.names.length + 1).padStart(4, '0')}`);
    return plan.names.length - 1;
  };
  const give = (person: number, seat: SeatRow, termId: number): void => {
    plan.demoHolders.set(holderKey(seat.id, termId), person);
    plan.mandates.person.push(person);
    plan.mandates.seat.push(seat.id);
    plan.mandates.term.push(termId);
    plan.mandates.title.push(`${DEMO_PREFIX} ${seat.label}`);
  };
  const districtBodies = reference.bodies.filter((b) => b.kind !== BodyKind.CONVENTION);
  const districtChairs = districtBodies.flatMap((b) => b.seats.filter((s) => s.role === SeatRole.CHAIR));
  reference.terms.forEach((term, index) => {
    const previous = reference.terms[index - 1];
    for (const seat of districtBodies.flatMap((b) => b.seats)) {
      if (reference.realHolders.has(holderKey(seat.id, term.id))) continue;
      const incumbent = previous && plan.demoHolders.get(holderKey(seat.id, previous.id));
      if (incumbent !== undefined && random() < RE_ELECTED) {
        give(incumbent, seat, term.id);
      } else {
        give(newPerson(), seat, term.id);
      }
    }
    for (const body of reference.bodies.filter((b) => b.kind === BodyKind.CONVENTION)) {
      for (const seat of body.seats.filter((s) => s.role === SeatRole.MEMBER)) {
        if (reference.realHolders.has(holderKey(seat.id, term.id))) continue;
        // A member seat stands for one district chair, and is labelled as that chair's seat.
        const chair = districtChairs.find((s) => s.districtId === seat.districtId && s.label === seat.label);
        const holder = chair && plan.demoHolders.get(holderKey(chair.id, term.id));
        if (holder !== undefined) give(holder, seat, term.id);
      }
    }
  });
  // Named after all the holders, so that the holders' names stay as they were before deputies existed. A deputy
  // holds no seat: only a demo holder designates one, so a real holder is never shown as sending anyone.
  for (const term of reference.terms) {
    for (const body of reference.bodies.filter((b) => b.admitsDeputies)) {
      for (const seat of body.seats) {
        if (plan.demoHolders.has(holderKey(seat.id, term.id)))
          plan.deputies.set(holderKey(seat.id, term.id), newPerson());
      }
    }
  }
  return plan;
}

async function insertPeople(tx: EntityManager, people: PeoplePlan): Promise<number[]> {
  const rows = (await bulkInsert(
    tx,
    `INSERT INTO person (full_name, synthetic)
     SELECT u.full_name, true FROM unnest($1::text[]) WITH ORDINALITY AS u(full_name, i) ORDER BY u.i
     RETURNING id, full_name`,
    [people.names],
  )) as { id: number; full_name: string }[];
  const idOf = new Map(rows.map((r) => [r.full_name, r.id]));
  const ids = people.names.map((name) => idOf.get(name)!);
  await bulkInsert(
    tx,
    `INSERT INTO mandate (person_id, seat_id, term_id, title)
     SELECT * FROM unnest($1::int[], $2::int[], $3::int[], $4::text[])`,
    [people.mandates.person.map((p) => ids[p]!), people.mandates.seat, people.mandates.term, people.mandates.title],
  );
  return ids;
}

// --- sessions ----------------------------------------------------------------------------------

/** Column arrays, one entry per row; times are wall-clock seconds in TIME_ZONE (see wallDay). */
interface SessionsPlan {
  readonly sessions: {
    body: number[];
    term: number[];
    number: number[];
    title: string[];
    kind: SessionKind[];
    status: SessionStatus[];
    scheduledAt: number[];
    startedAt: (number | null)[];
    endedAt: (number | null)[];
    chair: (number | null)[];
    cancellationReason: (string | null)[];
    createdAt: number[];
  };
  /** `session` is the index of the session in `sessions` until the sessions have ids. */
  readonly agenda: {
    session: number[];
    position: number[];
    title: string[];
    status: AgendaItemStatus[];
    startedAt: (number | null)[];
    endedAt: (number | null)[];
  };
  readonly attendance: {
    session: number[];
    seat: number[];
    person: (number | null)[];
    capacity: AttendanceCapacity[];
    onBehalfOf: (number | null)[];
    status: AttendanceStatus[];
    mode: (AttendanceMode | null)[];
    arrivedAt: (number | null)[];
  };
  /** One vote at the end of some agenda items of the closed sessions; `item` is the index in `agenda`. */
  readonly votes: {
    session: number[];
    item: number[];
    subject: string[];
    secrecy: VoteSecrecy[];
    majority: MajorityRule[];
    openedAt: number[];
    closedAt: number[];
    quorumSeats: number[];
    quorumPresent: number[];
    quorumRequired: number[];
    quorumReached: boolean[];
    countFor: number[];
    countAgainst: number[];
    countAbstain: number[];
    countsRecorded: boolean[];
    result: VoteResult[];
  };
  /** The named lists of the OPEN votes; `vote` is the index in `votes`. */
  readonly ballots: {
    vote: number[];
    seat: number[];
    seatPosition: number[];
    person: (number | null)[];
    capacity: AttendanceCapacity[];
    option: (VoteOption | null)[];
    castAt: (number | null)[];
  };
  /** `item` is the index in `agenda`, `record` the index in `attendance`. */
  readonly speeches: {
    session: number[];
    item: number[];
    record: number[];
    kind: SpeechKind[];
    status: SpeechStatus[];
    requestedAt: number[];
    startedAt: (number | null)[];
    endedAt: (number | null)[];
    timeLimit: (number | null)[];
  };
  readonly description: string;
}

function planSessions(
  reference: Reference,
  people: PeoplePlan,
  personIds: readonly number[],
  count: number,
  random: () => number,
  decide: () => number,
): SessionsPlan {
  const int = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const holderOf = (seatId: number, termId: number): number | null => {
    const demo = people.demoHolders.get(holderKey(seatId, termId));
    // A real person is never put into a made-up session: a seat with a real holder stays unnamed there.
    return demo !== undefined ? personIds[demo]! : null;
  };
  const asOf = wallDay(DEMO_AS_OF);
  const weights = reference.bodies.map((b) => BODY_WEIGHT[b.kind] ?? 1);
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  const termDays = reference.terms.map((t) => (t.to - t.from) / DAY + 1);
  const totalDays = termDays.reduce((a, b) => a + b, 0);

  const plan: SessionsPlan = {
    sessions: {
      body: [],
      term: [],
      number: [],
      title: [],
      kind: [],
      status: [],
      scheduledAt: [],
      startedAt: [],
      endedAt: [],
      chair: [],
      cancellationReason: [],
      createdAt: [],
    },
    agenda: { session: [], position: [], title: [], status: [], startedAt: [], endedAt: [] },
    attendance: {
      session: [],
      seat: [],
      person: [],
      capacity: [],
      onBehalfOf: [],
      status: [],
      mode: [],
      arrivedAt: [],
    },
    votes: {
      session: [],
      item: [],
      subject: [],
      secrecy: [],
      majority: [],
      openedAt: [],
      closedAt: [],
      quorumSeats: [],
      quorumPresent: [],
      quorumRequired: [],
      quorumReached: [],
      countFor: [],
      countAgainst: [],
      countAbstain: [],
      countsRecorded: [],
      result: [],
    },
    ballots: { vote: [], seat: [], seatPosition: [], person: [], capacity: [], option: [], castAt: [] },
    speeches: {
      session: [],
      item: [],
      record: [],
      kind: [],
      status: [],
      requestedAt: [],
      startedAt: [],
      endedAt: [],
      timeLimit: [],
    },
    description: `${DEMO_PREFIX} Dane syntetyczne do testów obciążeniowych (npm run seed:demo -- --sessions ${count}).`,
  };
  const bodyOf: BodyRow[] = [];

  for (let index = 0; index < count; index += 1) {
    // A body, weighted by how often its kind meets.
    let roll = random() * totalWeight;
    let b = 0;
    while (roll >= weights[b]! && b < weights.length - 1) roll -= weights[b++]!;
    const body = reference.bodies[b]!;

    // A working day in one of the terms, uniform over their days together.
    let day = Math.floor(random() * totalDays);
    let t = 0;
    while (day >= termDays[t]!) day -= termDays[t++]!;
    const term = reference.terms[t]!;
    let date = term.from + day * DAY;
    // Weekends move back to the Friday; the windows start on weekdays, so this stays inside.
    const weekday = new Date(date * 1000).getUTCDay();
    if (weekday === 6) date -= DAY;
    if (weekday === 0) date -= 2 * DAY;
    // Councils meet late in the afternoon (16:00 to 18:00), boards in office hours, the Convention at noon or 17:00.
    const minutes =
      body.kind === BodyKind.DISTRICT_BOARD
        ? int(9, 15) * 60
        : body.kind === BodyKind.CONVENTION
          ? pick([12, 17]) * 60
          : int(32, 36) * 30;
    const scheduledAt = date + minutes * 60;

    const kind = random() < 0.12 ? SessionKind.EXTRAORDINARY : SessionKind.ORDINARY;
    const status =
      scheduledAt >= asOf ? SessionStatus.SCHEDULED : random() < 0.06 ? SessionStatus.CANCELLED : SessionStatus.CLOSED;
    const closed = status === SessionStatus.CLOSED;

    // The agenda: the usual opening and closing items around 3 to 7 topics, about 10 items in all.
    const topics = [...TOPICS];
    const chosen: string[] = [];
    for (let n = int(3, 7); n > 0; n -= 1) chosen.push(topics.splice(Math.floor(random() * topics.length), 1)[0]!);
    const items = [...OPENING_ITEMS, ...chosen, ...CLOSING_ITEMS];
    const startedAt = closed ? scheduledAt + int(0, 10) * 60 : null;
    let clock = startedAt ?? 0;
    const firstItem = plan.agenda.session.length;
    items.forEach((title, i) => {
      plan.agenda.session.push(index);
      plan.agenda.position.push(i + 1);
      plan.agenda.title.push(`${DEMO_PREFIX} ${title}`);
      plan.agenda.status.push(closed ? AgendaItemStatus.DONE : AgendaItemStatus.PENDING);
      if (closed) {
        clock += int(0, 2) * 60;
        plan.agenda.startedAt.push(clock);
        clock += int(2, 25) * 60;
        plan.agenda.endedAt.push(clock);
      } else {
        plan.agenda.startedAt.push(null);
        plan.agenda.endedAt.push(null);
      }
    });
    const endedAt = closed ? clock + int(1, 5) * 60 : null;

    // One record per seat, for whoever holds it in the term, or the deputy they designated (drawn on `decide`).
    // A few sessions start thin: many members come late, and the first votes find no quorum.
    const lateShare = closed && decide() < 0.15 ? 0.6 : 0.1;
    const firstRecord = plan.attendance.session.length;
    const a = plan.attendance;
    for (const seat of body.seats) {
      const holder = holderOf(seat.id, term.id);
      let status = AttendanceStatus.EXPECTED;
      let mode: AttendanceMode | null = null;
      let arrivedAt: number | null = null;
      // A cancelled session never met: its list stays as it was before, as when one is cancelled live.
      if (closed) {
        const r = random();
        if (r < 0.85) {
          status = AttendanceStatus.PRESENT;
          mode = random() < 0.06 ? AttendanceMode.REMOTE : AttendanceMode.IN_PERSON;
          // Most arrive before the opening, some during the session.
          arrivedAt =
            random() < lateShare ? Math.min(startedAt! + int(5, 45) * 60, endedAt! - 60) : startedAt! - int(0, 20) * 60;
        } else {
          status = r < 0.93 ? AttendanceStatus.EXCUSED : AttendanceStatus.ABSENT;
        }
      }
      // Where the body admits deputies, a quarter of the members present sent the one they designated.
      const deputy = people.deputies.get(holderKey(seat.id, term.id));
      const byDeputy = status === AttendanceStatus.PRESENT && deputy !== undefined && decide() < 0.25;
      a.session.push(index);
      a.seat.push(seat.id);
      a.person.push(byDeputy ? personIds[deputy]! : holder);
      a.capacity.push(byDeputy ? AttendanceCapacity.DEPUTY : AttendanceCapacity.HOLDER);
      a.onBehalfOf.push(byDeputy ? holder : null);
      a.status.push(status);
      a.mode.push(mode);
      a.arrivedAt.push(arrivedAt);
    }

    if (closed) planDecisions(plan, body, index, firstItem, firstRecord, decide);

    const chairSeat = body.seats.find((s) => s.role === SeatRole.CHAIR);
    bodyOf.push(body);
    plan.sessions.body.push(body.id);
    plan.sessions.term.push(term.id);
    plan.sessions.kind.push(kind);
    plan.sessions.status.push(status);
    plan.sessions.scheduledAt.push(scheduledAt);
    plan.sessions.startedAt.push(startedAt);
    plan.sessions.endedAt.push(endedAt);
    plan.sessions.chair.push(chairSeat ? holderOf(chairSeat.id, term.id) : null);
    plan.sessions.cancellationReason.push(
      status === SessionStatus.CANCELLED ? `${DEMO_PREFIX} ${pick(CANCELLATION_REASONS)}` : null,
    );
    // Announced two weeks ahead.
    plan.sessions.createdAt.push(scheduledAt - 14 * DAY);
  }

  // Numbers follow the dates within each body's term, after the last real session's number.
  const groups = new Map<string, number[]>();
  for (let index = 0; index < count; index += 1) {
    const key = `${plan.sessions.body[index]}:${plan.sessions.term[index]}`;
    const group = groups.get(key);
    if (group) group.push(index);
    else groups.set(key, [index]);
  }
  for (const [key, indexes] of groups) {
    indexes.sort((a, b) => plan.sessions.scheduledAt[a]! - plan.sessions.scheduledAt[b]! || a - b);
    const last = reference.lastNumbers.get(key) ?? 0;
    indexes.forEach((index, rank) => (plan.sessions.number[index] = last + rank + 1));
  }
  for (let index = 0; index < count; index += 1) {
    const body = bodyOf[index]!;
    const extraordinary = plan.sessions.kind[index] === SessionKind.EXTRAORDINARY;
    const word =
      body.kind === BodyKind.DISTRICT_COUNCIL
        ? extraordinary
          ? 'sesja nadzwyczajna'
          : 'sesja'
        : extraordinary
          ? 'posiedzenie nadzwyczajne'
          : 'posiedzenie';
    plan.sessions.title.push(`${DEMO_PREFIX} ${body.name}: ${word} nr ${plan.sessions.number[index]}`);
  }
  return plan;
}

// --- votes and speeches ------------------------------------------------------------------------

/** Items after the opening ones and before "Wolne wnioski" are the topics: what the body gives opinions on and decides. */
const FIRST_TOPIC = OPENING_ITEMS.length;

/** How often an item is voted on: the agenda and the minutes usually, a topic now and then. */
const VOTED = { agenda: 0.5, minutes: 0.3, topic: 0.15 } as const;

/** Bodies with fewer seats that count do not vote: the reference data seats only a district board's chair. */
const MIN_VOTING_SEATS = 3;

/**
 * The votes and speeches of one closed session, from its agenda and
 * attendance as planned: a vote at the end of some items, with the quorum and
 * the named list as they stood when it opened (only members already there
 * count), and a few requests for the floor before it. Only the choices are
 * drawn: the quorum follows from the attendance, the counts from the ballots
 * and the result from the majority rule, as the live meeting would give them.
 */
function planDecisions(
  plan: SessionsPlan,
  body: BodyRow,
  session: number,
  firstItem: number,
  firstRecord: number,
  random: () => number,
): void {
  const int = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
  const a = plan.attendance;
  const items = plan.agenda.session.length - firstItem;
  const counting = body.seats.filter((seat) => seat.countsTowardQuorum).length;
  /** Records (indexes in attendance) present at a moment: the seat's k-th record is firstRecord + k. */
  const presentAt = (moment: number): number[] =>
    body.seats.flatMap((_, k) => {
      const record = firstRecord + k;
      const arrived = a.arrivedAt[record];
      return a.status[record] === AttendanceStatus.PRESENT && arrived !== null && arrived <= moment ? [record] : [];
    });

  for (let i = 0; i < items; i += 1) {
    const item = firstItem + i;
    const position = plan.agenda.position[item]!;
    const title = plan.agenda.title[item]!.slice(DEMO_PREFIX.length + 1);
    const itemStart = plan.agenda.startedAt[item]!;
    const itemEnd = plan.agenda.endedAt[item]!;
    const topic = i >= FIRST_TOPIC && i < items - CLOSING_ITEMS.length;
    const openFloor = i === items - CLOSING_ITEMS.length;
    const share = position === 2 ? VOTED.agenda : position === 3 ? VOTED.minutes : topic ? VOTED.topic : 0;
    const voted = counting >= MIN_VOTING_SEATS && share > 0 && random() < share;
    // Items last at least two minutes: the vote takes their last two, the speeches what comes before.
    const openedAt = voted ? itemEnd - 120 + int(0, 30) : itemEnd;
    if (topic || openFloor) planSpeeches(plan, session, item, itemStart, openedAt, presentAt, random);
    if (!voted) continue;

    const secrecy = topic && random() < 0.15 ? VoteSecrecy.SECRET : VoteSecrecy.OPEN;
    const roll = random();
    const majority =
      !topic || roll < 0.7
        ? MajorityRule.SIMPLE
        : roll < 0.9
          ? MajorityRule.ABSOLUTE_OF_PRESENT
          : MajorityRule.ABSOLUTE_OF_SEATS;
    const present = presentAt(openedAt).filter((record) => body.seats[record - firstRecord]!.countsTowardQuorum);
    const required = requiredForQuorum(body.quorumRule, counting);
    const reached = present.length >= required;
    // Most motions are agreed on; about one in four is disputed.
    const support = random() < 0.25 ? 0.35 + random() * 0.3 : 0.8 + random() * 0.15;
    const choose = (): VoteOption | null => {
      const r = random();
      if (r < 0.04) return null;
      if (r < 0.04 + 0.96 * support) return VoteOption.FOR;
      return random() < 0.7 ? VoteOption.AGAINST : VoteOption.ABSTAIN;
    };
    // Without the quorum the chair closes the vote at once, nothing is cast: NO_QUORUM.
    const closedAt = reached ? openedAt + int(30, 90) : openedAt + int(10, 30);
    const vote = plan.votes.session.length;
    const counts = { [VoteOption.FOR]: 0, [VoteOption.AGAINST]: 0, [VoteOption.ABSTAIN]: 0 };
    for (const record of present) {
      const option = reached ? choose() : null;
      if (option) counts[option] += 1;
      // A SECRET vote keeps the counts and nothing else: who voted how is never written anywhere.
      if (secrecy === VoteSecrecy.SECRET) continue;
      const seat = body.seats[record - firstRecord]!;
      plan.ballots.vote.push(vote);
      plan.ballots.seat.push(seat.id);
      plan.ballots.seatPosition.push(seat.position);
      plan.ballots.person.push(a.person[record]!);
      plan.ballots.capacity.push(a.capacity[record]!);
      plan.ballots.option.push(option);
      plan.ballots.castAt.push(option ? int(openedAt + 1, closedAt) : null);
    }
    const v = plan.votes;
    v.session.push(session);
    v.item.push(item);
    v.subject.push(`${DEMO_PREFIX} ${topic ? `Projekt uchwały: ${title}` : title}`);
    v.secrecy.push(secrecy);
    v.majority.push(majority);
    v.openedAt.push(openedAt);
    v.closedAt.push(closedAt);
    v.quorumSeats.push(counting);
    v.quorumPresent.push(present.length);
    v.quorumRequired.push(required);
    v.quorumReached.push(reached);
    v.countFor.push(counts.FOR);
    v.countAgainst.push(counts.AGAINST);
    v.countAbstain.push(counts.ABSTAIN);
    // The tellers count only a vote that had its quorum.
    v.countsRecorded.push(secrecy === VoteSecrecy.SECRET && reached);
    v.result.push(
      reached ? resultOf(majority, counts.FOR, counts.AGAINST, present.length, counting) : VoteResult.NO_QUORUM,
    );
  }
}

/** The majority rules of MajorityRule, on the counts and the quorum fixed at the opening. */
function resultOf(
  majority: MajorityRule,
  countFor: number,
  countAgainst: number,
  present: number,
  seats: number,
): VoteResult {
  const passed =
    majority === MajorityRule.SIMPLE
      ? countFor > countAgainst
      : countFor > (majority === MajorityRule.ABSOLUTE_OF_PRESENT ? present : seats) / 2;
  return passed ? VoteResult.PASSED : VoteResult.REJECTED;
}

/** Speech kinds as they come up in a discussion: mostly speakers in turn, some replies, a formal motion now and then. */
const SPEECH_KINDS: readonly (readonly [SpeechKind, number])[] = [
  // kind, cumulative share
  [SpeechKind.FORMAL_MOTION, 0.08],
  [SpeechKind.AD_VOCEM, 0.23],
  [SpeechKind.REGULAR, 1],
];

/** Seconds the chair grants; a speaker in turn gets five minutes, or (three times in ten) no limit. */
const TIME_LIMITS: Readonly<Record<SpeechKind, number>> = {
  [SpeechKind.FORMAL_MOTION]: 120,
  [SpeechKind.AD_VOCEM]: 60,
  [SpeechKind.REGULAR]: 300,
};

/** Up to three requests for the floor in [from, to), one speaker after another, by members present when they asked. */
function planSpeeches(
  plan: SessionsPlan,
  session: number,
  item: number,
  from: number,
  to: number,
  presentAt: (moment: number) => number[],
  random: () => number,
): void {
  const int = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
  let clock = from;
  for (let n = int(0, 3); n > 0; n -= 1) {
    const requestedAt = clock + int(5, 60);
    const present = presentAt(requestedAt);
    if (present.length === 0) break;
    const record = present[Math.floor(random() * present.length)]!;
    const roll = random();
    const [drawn] = SPEECH_KINDS.find(([, share]) => roll < share)!;
    // A reply ad vocem answers the speech before it: the first one of an item is a speaker in turn.
    const kind = drawn === SpeechKind.AD_VOCEM && clock === from ? SpeechKind.REGULAR : drawn;
    const timeLimit = kind === SpeechKind.REGULAR && random() < 0.3 ? null : TIME_LIMITS[kind];
    const withdrawn = random() < 0.1;
    const startedAt = requestedAt + int(0, 30);
    const endedAt = startedAt + int(20, timeLimit ?? 420);
    if ((withdrawn ? requestedAt : endedAt) >= to) break;
    const s = plan.speeches;
    s.session.push(session);
    s.item.push(item);
    s.record.push(record);
    s.kind.push(kind);
    s.status.push(withdrawn ? SpeechStatus.WITHDRAWN : SpeechStatus.DONE);
    s.requestedAt.push(requestedAt);
    s.startedAt.push(withdrawn ? null : startedAt);
    s.endedAt.push(withdrawn ? null : endedAt);
    s.timeLimit.push(timeLimit);
    clock = withdrawn ? requestedAt : endedAt;
  }
}

/** A wall-clock time in TIME_ZONE, sent as seconds, as a timestamptz. */
const at = (column: string): string => `(to_timestamp(${column}) AT TIME ZONE 'UTC') AT TIME ZONE '${TIME_ZONE}'`;

async function insertSessions(tx: EntityManager, plan: SessionsPlan): Promise<void> {
  const s = plan.sessions;
  const rows = (await bulkInsert(
    tx,
    `INSERT INTO session (body_id, term_id, number, title, kind, status, scheduled_at, started_at, ended_at,
                          chair_id, description, cancellation_reason, created_at, synthetic)
     SELECT u.body_id, u.term_id, u.number, u.title, u.kind, u.status, ${at('u.scheduled_at')}, ${at('u.started_at')},
            ${at('u.ended_at')}, u.chair_id, $13::text, u.cancellation_reason, ${at('u.created_at')}, true
     FROM unnest($1::int[], $2::int[], $3::int[], $4::text[], $5::text[], $6::text[], $7::int[], $8::int[], $9::int[],
                 $10::int[], $11::text[], $12::int[])
          AS u(body_id, term_id, number, title, kind, status, scheduled_at, started_at, ended_at,
               chair_id, cancellation_reason, created_at)
     RETURNING id, body_id, term_id, number`,
    [
      s.body,
      s.term,
      s.number,
      s.title,
      s.kind,
      s.status,
      s.scheduledAt,
      s.startedAt,
      s.endedAt,
      s.chair,
      s.cancellationReason,
      s.createdAt,
    ],
    [plan.description],
  )) as { id: number; body_id: number; term_id: number; number: number }[];
  const idOf = new Map(rows.map((r) => [`${r.body_id}:${r.term_id}:${r.number}`, r.id]));
  const ids = s.body.map((body, i) => idOf.get(`${body}:${s.term[i]}:${s.number[i]}`)!);

  const a = plan.agenda;
  await bulkInsert(
    tx,
    `INSERT INTO agenda_item (session_id, position, title, status, started_at, ended_at)
     SELECT u.session_id, u.position, u.title, u.status, ${at('u.started_at')}, ${at('u.ended_at')}
     FROM unnest($1::int[], $2::int[], $3::text[], $4::text[], $5::int[], $6::int[])
          AS u(session_id, position, title, status, started_at, ended_at)`,
    [a.session.map((i) => ids[i]!), a.position, a.title, a.status, a.startedAt, a.endedAt],
  );

  // The label, district and quorum flag are the seat's, copied as the live attendance list does.
  const r = plan.attendance;
  await bulkInsert(
    tx,
    `INSERT INTO attendance_record (session_id, seat_id, person_id, label, district_id, status, mode, arrived_at,
                                    counts_toward_quorum, capacity, on_behalf_of_id)
     SELECT u.session_id, u.seat_id, u.person_id, seat.label, seat.district_id, u.status, u.mode,
            ${at('u.arrived_at')}, seat.counts_toward_quorum, u.capacity, u.on_behalf_of_id
     FROM unnest($1::int[], $2::int[], $3::int[], $4::text[], $5::text[], $6::int[], $7::text[], $8::int[])
          AS u(session_id, seat_id, person_id, status, mode, arrived_at, capacity, on_behalf_of_id)
     JOIN seat ON seat.id = u.seat_id`,
    [r.session.map((i) => ids[i]!), r.seat, r.person, r.status, r.mode, r.arrivedAt, r.capacity, r.onBehalfOf],
  );

  // Items, records and votes are found by their natural keys (session and position, session and seat, the item:
  // at most one vote each) in the statements that refer to them, rather than sent back and forth.
  const v = plan.votes;
  const itemPosition = (item: number): number => plan.agenda.position[item]!;
  await bulkInsert(
    tx,
    `INSERT INTO vote (session_id, agenda_item_id, subject, secrecy, majority, status, opened_at, closed_at,
                       quorum_seats, quorum_present, quorum_required, quorum_reached,
                       count_for, count_against, count_abstain, counts_recorded, result)
     SELECT u.session_id, i.id, u.subject, u.secrecy, u.majority, $17::text, ${at('u.opened_at')},
            ${at('u.closed_at')}, u.quorum_seats, u.quorum_present, u.quorum_required, u.quorum_reached,
            u.count_for, u.count_against, u.count_abstain, u.counts_recorded, u.result
     FROM unnest($1::int[], $2::int[], $3::text[], $4::text[], $5::text[], $6::int[], $7::int[], $8::int[],
                 $9::int[], $10::int[], $11::bool[], $12::int[], $13::int[], $14::int[], $15::bool[], $16::text[])
          AS u(session_id, position, subject, secrecy, majority, opened_at, closed_at, quorum_seats,
               quorum_present, quorum_required, quorum_reached, count_for, count_against, count_abstain,
               counts_recorded, result)
     JOIN agenda_item i ON i.session_id = u.session_id AND i.position = u.position`,
    [
      v.session.map((i) => ids[i]!),
      v.item.map(itemPosition),
      v.subject,
      v.secrecy,
      v.majority,
      v.openedAt,
      v.closedAt,
      v.quorumSeats,
      v.quorumPresent,
      v.quorumRequired,
      v.quorumReached,
      v.countFor,
      v.countAgainst,
      v.countAbstain,
      v.countsRecorded,
      v.result,
    ],
    [VoteStatus.CLOSED],
  );

  const b = plan.ballots;
  await bulkInsert(
    tx,
    `INSERT INTO ballot (vote_id, seat_id, seat_position, person_id, capacity, option, cast_at)
     SELECT v.id, u.seat_id, u.seat_position, u.person_id, u.capacity, u.option, ${at('u.cast_at')}
     FROM unnest($1::int[], $2::int[], $3::int[], $4::int[], $5::int[], $6::text[], $7::text[], $8::int[])
          AS u(session_id, position, seat_id, seat_position, person_id, capacity, option, cast_at)
     JOIN agenda_item i ON i.session_id = u.session_id AND i.position = u.position
     JOIN vote v ON v.agenda_item_id = i.id`,
    [
      b.vote.map((vote) => ids[v.session[vote]!]!),
      b.vote.map((vote) => itemPosition(v.item[vote]!)),
      b.seat,
      b.seatPosition,
      b.person,
      b.capacity,
      b.option,
      b.castAt,
    ],
  );

  const sp = plan.speeches;
  await bulkInsert(
    tx,
    `INSERT INTO speech_request (session_id, agenda_item_id, attendance_record_id, kind, status, requested_at,
                                 started_at, ended_at, time_limit_seconds)
     SELECT u.session_id, i.id, r.id, u.kind, u.status, ${at('u.requested_at')},
            ${at('u.started_at')}, ${at('u.ended_at')}, u.time_limit_seconds
     FROM unnest($1::int[], $2::int[], $3::int[], $4::text[], $5::text[], $6::int[], $7::int[], $8::int[], $9::int[])
          AS u(session_id, position, seat_id, kind, status, requested_at, started_at, ended_at, time_limit_seconds)
     JOIN agenda_item i ON i.session_id = u.session_id AND i.position = u.position
     JOIN attendance_record r ON r.session_id = u.session_id AND r.seat_id = u.seat_id`,
    [
      sp.session.map((i) => ids[i]!),
      sp.item.map(itemPosition),
      sp.record.map((i) => r.seat[i]!),
      sp.kind,
      sp.status,
      sp.requestedAt,
      sp.startedAt,
      sp.endedAt,
      sp.timeLimit,
    ],
  );
}

// --- helpers -----------------------------------------------------------------------------------

/**
 * One INSERT ... SELECT FROM unnest per CHUNK_ROWS rows: each column goes as
 * one array parameter, so a chunk costs one statement and a handful of
 * parameters however many rows it holds. `constants` follow the columns.
 */
async function bulkInsert(
  tx: EntityManager,
  sql: string,
  columns: readonly (readonly unknown[])[],
  constants: readonly unknown[] = [],
): Promise<unknown[]> {
  const rows = columns[0]!.length;
  const returned: unknown[] = [];
  for (let from = 0; from < rows; from += CHUNK_ROWS) {
    const result = (await tx.query(sql, [
      ...columns.map((column) => column.slice(from, from + CHUNK_ROWS)),
      ...constants,
    ])) as unknown;
    if (Array.isArray(result)) returned.push(...(result as unknown[]));
  }
  return returned;
}

const DAY = 86_400;

/** Midnight of an ISO day as wall-clock seconds: the seconds since 1970-01-01 00:00 on a clock that ignores zones. */
function wallDay(iso: string): number {
  const [year, month, day] = iso.split('-').map(Number);
  return Date.UTC(year!, month! - 1, day!) / 1000;
}

function seedOf(sessions: number): number {
  return (0x9e3779b9 ^ Math.imul(sessions, 0x85ebca6b)) >>> 0;
}

/** mulberry32: a small, fast 32-bit PRNG; the same seed gives the same sequence on every platform. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
