import type { QueryRunner } from 'typeorm';
import krakow from './krakow.json';

/**
 * The reference facts, from krakow.json (copied from the project's shared
 * data, each fact with its source) and the city's announcement of the
 * Convention's inaugural session of term IX
 * (convention-ix-inaugural-announcement.txt). Nothing here is made up: what
 * the sources do not say stays null, and no seat or person is invented.
 */

/** Polish letters to ASCII for slugs: "Prądnik Biały" -> "pradnik-bialy". */
export function slugify(name: string): string {
  return name
    .replace(/ł/g, 'l')
    .replace(/Ł/g, 'L')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

type DistrictFact = (typeof krakow.districts)[number];

const districtLabel = (d: DistrictFact): string => `Dzielnicy ${d.numeral} ${d.name}`;
const fill = (template: string, d: DistrictFact): string =>
  template.replace('{numeral}', d.numeral).replace('{name}', d.name);

export const CONVENTION_NAME = krakow.bodies.convention.name;

/**
 * Loads the reference data into an empty schema. It runs once, as a
 * migration, so a restart never loads it again; a correction to these facts
 * is a new migration.
 */
export async function loadReferenceData(runner: QueryRunner): Promise<void> {
  const one = async (sql: string, params: unknown[]): Promise<number> => {
    const rows = (await runner.query(sql, params)) as { id: number }[];
    return rows[0]!.id;
  };

  const termIds = new Map<number, number>();
  for (const term of krakow.terms) {
    termIds.set(
      term.number,
      await one('INSERT INTO term (number, numeral, election_date) VALUES ($1, $2, $3) RETURNING id', [
        term.number,
        term.numeral,
        term.districtElectionDate,
      ]),
    );
  }

  const districtIds = new Map<number, number>();
  for (const d of krakow.districts) {
    districtIds.set(
      d.number,
      await one(
        'INSERT INTO district (number, numeral, name, slug, council_seats) VALUES ($1, $2, $3, $4, $5) RETURNING id',
        [d.number, d.numeral, d.name, slugify(d.name), d.councilSeats],
      ),
    );
  }

  const body = (kind: string, name: string, districtId: number | null, description: string | null, rule: string) =>
    one(
      'INSERT INTO body (kind, name, district_id, description, quorum_rule) VALUES ($1, $2, $3, $4, $5) RETURNING id',
      [kind, name, districtId, description, rule],
    );
  const seat = (
    bodyId: number,
    position: number,
    label: string,
    role: string,
    districtId: number | null,
    counts = true,
  ) =>
    one(
      `INSERT INTO seat (body_id, position, label, role, district_id, counts_toward_quorum)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [bodyId, position, label, role, districtId, counts],
    );

  await body('CITY_COUNCIL', krakow.city.cityCouncil, null, null, 'MAJORITY');
  const convention = krakow.bodies.convention;
  const conventionId = await body(
    'CONVENTION',
    convention.name,
    null,
    `${convention.character} ${convention.members}`,
    // "At least half of its members present (18 of the 36 member seats)".
    'HALF',
  );

  // The Convention's chair presides; the quorum counts its 36 members only.
  const conventionChairSeat = await seat(conventionId, 1, 'Przewodniczący Konwentu', 'CHAIR', null, false);
  const memberSeats: { id: number; label: string; districtId: number }[] = [];
  for (const d of krakow.districts) {
    const districtId = districtIds.get(d.number)!;
    const councilId = await body(
      'DISTRICT_COUNCIL',
      fill(krakow.bodies.districtCouncil, d),
      districtId,
      null,
      'MAJORITY',
    );
    const boardId = await body('DISTRICT_BOARD', fill(krakow.bodies.districtBoard, d), districtId, null, 'MAJORITY');

    // A council has its statutory number of seats, one of them its chair's.
    await seat(councilId, 1, `Przewodniczący Rady ${districtLabel(d)}`, 'CHAIR', districtId);
    for (let position = 2; position <= d.councilSeats; position += 1) {
      await seat(councilId, position, `Radny ${districtLabel(d)}, mandat ${position}`, 'MEMBER', districtId);
    }
    // The size of a board is not in the sources; only its chair's seat is known to exist.
    await seat(boardId, 1, `Przewodniczący Zarządu ${districtLabel(d)}`, 'CHAIR', districtId);

    for (const [offset, label] of [
      [0, `Przewodniczący Rady ${districtLabel(d)}`],
      [1, `Przewodniczący Zarządu ${districtLabel(d)}`],
    ] as const) {
      const position = 2 * d.number + offset;
      memberSeats.push({ id: await seat(conventionId, position, label, 'MEMBER', districtId), label, districtId });
    }
  }

  const session = krakow.sessions[0]!;
  const chairId = await one('INSERT INTO person (full_name) VALUES ($1) RETURNING id', [session.chair.fullName]);
  await runner.query('INSERT INTO mandate (person_id, seat_id, term_id, title) VALUES ($1, NULL, NULL, $2)', [
    chairId,
    session.chair.title,
  ]);
  await runner.query('INSERT INTO mandate (person_id, seat_id, term_id, title) VALUES ($1, $2, $3, $4)', [
    chairId,
    conventionChairSeat,
    termIds.get(session.term),
    session.chair.conventionRole,
  ]);

  const sessionId = await one(
    `INSERT INTO session (body_id, term_id, number, title, kind, status, scheduled_at, venue_name, venue_address, chair_id)
     VALUES ($1, $2, $3, $4, $5, 'SCHEDULED', $6, $7, $8, $9) RETURNING id`,
    [
      conventionId,
      termIds.get(session.term),
      session.number,
      // The announcement's own words: "inauguracyjne posiedzenie Konwentu Przewodniczących Rad i Zarządów Dzielnic 9 kadencji".
      'Inauguracyjne posiedzenie Konwentu Przewodniczących Rad i Zarządów Dzielnic IX kadencji',
      session.kind,
      session.scheduledAt,
      session.venue.name,
      session.venue.address,
      chairId,
    ],
  );
  for (const item of session.agenda) {
    await runner.query('INSERT INTO agenda_item (session_id, position, title) VALUES ($1, $2, $3)', [
      sessionId,
      item.position,
      item.title,
    ]);
  }
  // "Udział w obradach potwierdzili Przewodniczący Rad i Zarządów wszystkich 18 Dzielnic":
  // 36 seats CONFIRMED; who actually came, and who sits in each seat, is not in the source.
  for (const member of memberSeats) {
    await runner.query(
      `INSERT INTO attendance_record (session_id, seat_id, label, district_id, status, counts_toward_quorum)
       VALUES ($1, $2, $3, $4, 'CONFIRMED', true)`,
      [sessionId, member.id, member.label, member.districtId],
    );
  }
}
