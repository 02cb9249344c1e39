import type { DataSource, EntityManager } from 'typeorm';
import { AgendaItemStatus } from '../../entities/agenda-item.entity';
import { AttendanceMode, AttendanceStatus } from '../../entities/attendance-record.entity';
import { BodyKind } from '../../entities/body.entity';
import { SeatRole } from '../../entities/seat.entity';
import { SessionKind, SessionStatus } from '../../entities/session.entity';

/**
 * Synthetic sessions for load tests (npm run seed:demo -- --sessions N).
 *
 * Everything made here is visibly made up: sessions and people carry
 * synthetic = true, titles start with "[demo]", people are "Demo Person 0001"...
 * The same N always gives the same rows (up to their serial ids): the numbers
 * come from a seeded PRNG and the dates from fixed term windows and a fixed
 * "as of" day, never from the clock. A run first removes what the previous one
 * made, in the same transaction, so it can be repeated; it never changes or
 * removes a row that is not synthetic.
 */

/** The most sessions one run may add: 100 000 sessions make about 1.5 million attendance records. */
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
 * transaction: people holding every district seat in terms VIII and IX, and
 * sessions with their agenda and an attendance record per seat.
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
    const plan = planSessions(reference, people, personIds, sessions, mulberry32(seedOf(sessions)));
    await insertSessions(tx, plan);
    const byStatus: Partial<Record<SessionStatus, number>> = {};
    for (const status of plan.sessions.status) byStatus[status] = (byStatus[status] ?? 0) + 1;
    return {
      sessions,
      agendaItems: plan.agenda.session.length,
      attendanceRecords: plan.attendance.session.length,
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
 * through the API while the demo holders sat in the seats) would have to be
 * changed for the demo people to go: refuse rather than touch them.
 */
async function refuseIfReferenced(tx: EntityManager): Promise<void> {
  const [row] = (await tx.query(
    `SELECT
       (SELECT count(*)::int FROM attendance_record a
          JOIN person p ON p.id = a.person_id JOIN session s ON s.id = a.session_id
         WHERE p.synthetic AND NOT s.synthetic) AS attendance,
       (SELECT count(*)::int FROM session s JOIN person p ON p.id = s.chair_id
         WHERE p.synthetic AND NOT s.synthetic) AS chaired`,
  )) as { attendance: number; chaired: number }[];
  if (row!.attendance > 0 || row!.chaired > 0) {
    throw new DemoDataError(
      `${row!.attendance} attendance records and ${row!.chaired} sessions that are not synthetic refer to demo people; ` +
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
}

interface BodyRow {
  readonly id: number;
  readonly kind: BodyKind;
  readonly name: string;
  readonly districtNumber: number | null;
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
    `SELECT b.id, b.kind, b.name, d.number AS district_number
     FROM body b LEFT JOIN district d ON d.id = b.district_id
     WHERE b.kind = ANY($1::varchar[])`,
    [DEMO_BODY_KINDS],
  )) as { id: number; kind: BodyKind; name: string; district_number: number | null }[];
  const seatRows = (await tx.query(
    `SELECT id, body_id, position, label, role, district_id
     FROM seat WHERE body_id = ANY($1::int[]) ORDER BY position`,
    [bodyRows.map((b) => b.id)],
  )) as { id: number; body_id: number; position: number; label: string; role: SeatRole; district_id: number | null }[];
  const bodies = bodyRows
    .map((b): BodyRow => ({
      id: b.id,
      kind: b.kind,
      name: b.name,
      districtNumber: b.district_number,
      seats: seatRows
        .filter((s) => s.body_id === b.id)
        .map((s) => ({
          id: s.id,
          bodyId: s.body_id,
          position: s.position,
          label: s.label,
          role: s.role,
          districtId: s.district_id,
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
    mandates: { person: [], seat: [], term: [], title: [] },
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
        plan.names.push(`Demo Person ${String(plan.names.length + 1).padStart(4, '0')}`);
        give(plan.names.length - 1, seat, term.id);
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
    status: AttendanceStatus[];
    mode: (AttendanceMode | null)[];
    arrivedAt: (number | null)[];
  };
  readonly description: string;
}

function planSessions(
  reference: Reference,
  people: PeoplePlan,
  personIds: readonly number[],
  count: number,
  random: () => number,
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
    attendance: { session: [], seat: [], person: [], status: [], mode: [], arrivedAt: [] },
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

    // One record per seat, for whoever holds it in the term.
    for (const seat of body.seats) {
      plan.attendance.session.push(index);
      plan.attendance.seat.push(seat.id);
      plan.attendance.person.push(holderOf(seat.id, term.id));
      if (!closed) {
        // A cancelled session never met: its list stays as it was before, as when one is cancelled live.
        plan.attendance.status.push(AttendanceStatus.EXPECTED);
        plan.attendance.mode.push(null);
        plan.attendance.arrivedAt.push(null);
        continue;
      }
      const r = random();
      if (r < 0.85) {
        plan.attendance.status.push(AttendanceStatus.PRESENT);
        plan.attendance.mode.push(random() < 0.06 ? AttendanceMode.REMOTE : AttendanceMode.IN_PERSON);
        // Most arrive before the opening, some during the session.
        plan.attendance.arrivedAt.push(
          random() < 0.1 ? Math.min(startedAt! + int(5, 45) * 60, endedAt! - 60) : startedAt! - int(0, 20) * 60,
        );
      } else {
        plan.attendance.status.push(r < 0.93 ? AttendanceStatus.EXCUSED : AttendanceStatus.ABSENT);
        plan.attendance.mode.push(null);
        plan.attendance.arrivedAt.push(null);
      }
    }

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
                                    counts_toward_quorum, capacity)
     SELECT u.session_id, u.seat_id, u.person_id, seat.label, seat.district_id, u.status, u.mode,
            ${at('u.arrived_at')}, seat.counts_toward_quorum, 'HOLDER'
     FROM unnest($1::int[], $2::int[], $3::int[], $4::text[], $5::text[], $6::int[])
          AS u(session_id, seat_id, person_id, status, mode, arrived_at)
     JOIN seat ON seat.id = u.seat_id`,
    [r.session.map((i) => ids[i]!), r.seat, r.person, r.status, r.mode, r.arrivedAt],
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
