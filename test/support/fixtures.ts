import { fromGlobalId, toGlobalId } from '../../src/schema/global-id';
import { ScheduleSessionDocument } from '../generated/graphql';
import { sql } from './database';
import { post } from './http';
import type { TestServer } from './test-server';
import { bearer } from './tokens';

/** Objects of the domain the suites set up: councils and their seats, a person holding a seat, a session. */

export const gid = toGlobalId;

/** The database key behind a global id. */
export const keyOf = (id: string): number => fromGlobalId(id, 'id').key;

/** A district council's body and its seats, from the reference data. */
export async function councilOf(
  server: TestServer,
  districtNumber: number,
): Promise<{ bodyId: number; bodyGid: string; seatIds: number[] }> {
  const rows = await sql<{ body_id: number; seat_id: number }>(
    server,
    `SELECT b.id AS body_id, s.id AS seat_id FROM body b
     JOIN district d ON d.id = b.district_id JOIN seat s ON s.body_id = b.id
     WHERE d.number = $1 AND b.kind = 'DISTRICT_COUNCIL' ORDER BY s.position`,
    [districtNumber],
  );
  const bodyId = rows[0]!.body_id;
  return { bodyId, bodyGid: gid('Body', bodyId), seatIds: rows.map((row) => row.seat_id) };
}

/**
 * The Convention's body and its 36 members' seats (those that count toward the quorum), from the reference
 * data, in seat order; the presiding seat, which does not count, is left out.
 */
export async function conventionOf(
  server: TestServer,
): Promise<{ bodyId: number; bodyGid: string; seatIds: number[] }> {
  const rows = await sql<{ body_id: number; seat_id: number }>(
    server,
    `SELECT b.id AS body_id, s.id AS seat_id FROM body b JOIN seat s ON s.body_id = b.id
     WHERE b.kind = 'CONVENTION' AND s.counts_toward_quorum ORDER BY s.position`,
  );
  const bodyId = rows[0]!.body_id;
  return { bodyId, bodyGid: gid('Body', bodyId), seatIds: rows.map((row) => row.seat_id) };
}

export interface SeatHolder {
  readonly personId: number;
  readonly personGid: string;
  readonly seatGid: string;
  readonly bodyGid: string;
  readonly email: string;
  readonly phone: string;
}

/**
 * A person with contact details (set with SQL: no mutation writes them) who
 * holds a member's seat of a district council in term IX.
 */
export async function createSeatHolder(
  server: TestServer,
  districtNumber: number,
  seatIndex = 1,
  contact: { email: string; phone: string; fullName?: string } = {
    email: `radna.d${districtNumber}@example.org`,
    phone: `+48 12 616 ${String(districtNumber).padStart(2, '0')} 77`,
  },
): Promise<SeatHolder> {
  const council = await councilOf(server, districtNumber);
  const seatId = council.seatIds[seatIndex]!;
  const [person] = await sql<{ id: number }>(
    server,
    'INSERT INTO person (full_name, email, phone) VALUES ($1, $2, $3) RETURNING id',
    [contact.fullName ?? `Radna Testowa Dzielnicy ${districtNumber}`, contact.email, contact.phone],
  );
  await sql(
    server,
    `INSERT INTO mandate (person_id, seat_id, term_id, title)
     VALUES ($1, $2, (SELECT id FROM term WHERE number = 9), 'Radna Dzielnicy')`,
    [person!.id, seatId],
  );
  return {
    personId: person!.id,
    personGid: gid('Person', person!.id),
    seatGid: gid('Seat', seatId),
    bodyGid: council.bodyGid,
    email: contact.email,
    phone: contact.phone,
  };
}

/** A person (no contact details) holding a seat in term IX under a title; their id. */
export async function holdSeat(server: TestServer, seatId: number, fullName: string, title: string): Promise<number> {
  const [person] = await sql<{ id: number }>(server, 'INSERT INTO person (full_name) VALUES ($1) RETURNING id', [
    fullName,
  ]);
  await sql(
    server,
    `INSERT INTO mandate (person_id, seat_id, term_id, title)
     VALUES ($1, $2, (SELECT id FROM term WHERE number = 9), $3)`,
    [person!.id, seatId, title],
  );
  return person!.id;
}

/** Schedules a session of a body in term IX with an admin's token; its id. */
export async function scheduleSession(
  server: TestServer,
  adminToken: string,
  bodyGid: string,
  title = 'Sesja testowa',
): Promise<string> {
  const result = await post(
    server.url,
    ScheduleSessionDocument,
    { input: { bodyId: bodyGid, termNumber: 9, title, scheduledAt: '2031-03-05T18:00:00+01:00' } },
    bearer(adminToken),
  );
  if (!result.data?.scheduleSession) throw new Error(`scheduleSession failed: ${JSON.stringify(result.errors)}`);
  return result.data.scheduleSession.id;
}
