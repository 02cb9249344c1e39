import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { DataSource } from 'typeorm';
import type { MigrationInterface } from 'typeorm';
import { databaseUrl } from '../support/database-url';

/**
 * The reference-data migration is frozen: it inserts the rows it carries,
 * and nothing under src/db/seed/ can change what it does on a new database.
 * The digest below is of what it inserted when it was written; a correction
 * of the facts is a new migration, and this test fails if anyone edits this one.
 */
const DIGEST =
  'term:2:49b9aafede877dd489459e80cddc9efe district:18:be99e08558926977fa5e5b0d484d4640 body:38:1679e44e135cd3161941d8898d56586a seat:421:ebd271732c184f9473bac6f32c9c4011 person:1:30376b10af135c690d6439630e373ee2 mandate:2:6b66fe7d388e02f32b1a8e743018eec2 session:1:c2b0968880a992dc61cdf65655557c32 agenda_item:3:1d9d37f3b487a8bbd017f74b4003c5ab attendance_record:36:a4665c4994ffbd68d971b3cb120cfacb';

const TABLES: Record<string, string> = {
  term: 'id, number, numeral, election_date',
  district: 'id, number, numeral, name, slug, council_seats',
  body: 'id, kind, name, district_id, description, quorum_rule',
  seat: 'id, body_id, position, label, role, district_id, counts_toward_quorum',
  person: 'id, full_name, email, phone, synthetic',
  mandate: 'id, person_id, seat_id, term_id, title, starts_on, ends_on',
  session:
    'id, body_id, term_id, number, title, kind, status, scheduled_at, venue_name, venue_address, chair_id, description, last_sequence, synthetic',
  agenda_item: 'id, session_id, position, title, description, presenter, status, version',
  attendance_record:
    'id, session_id, seat_id, label, district_id, status, counts_toward_quorum, person_id, mode, version',
};

async function digestOfMigration(load: () => (new () => MigrationInterface)[]): Promise<string> {
  const adminUrl = process.env.OBRADY_TEST_ADMIN_URL!;
  const name = `obrady_frozen_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const dataSource = new DataSource({ type: 'postgres', url: databaseUrl(adminUrl, name), migrations: load() });
  try {
    await dataSource.initialize();
    await dataSource.runMigrations();
    // Timestamps are written in the session's zone: fix it, so the digest is the same on any server.
    await dataSource.query("SET TIME ZONE 'UTC'");
    const parts: string[] = [];
    for (const [table, columns] of Object.entries(TABLES)) {
      const [row] = (await dataSource.query(
        `SELECT count(*) AS n, md5(string_agg(json_build_array(${columns})::text, '|' ORDER BY id)) AS d FROM "${table}"`,
      )) as { n: string; d: string }[];
      parts.push(`${table}:${row!.n}:${row!.d}`);
    }
    return parts.join(' ');
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

/** The schema and reference-data migrations, loaded afresh (so a mock of the seed files would reach them). */
function firstTwoMigrations(): (new () => MigrationInterface)[] {
  let loaded: (new () => MigrationInterface)[] = [];
  jest.isolateModules(() => {
    /* eslint-disable @typescript-eslint/no-require-imports */
    loaded = [
      (require('../../src/db/migrations/1795532282460-InitialSchema') as Record<string, new () => MigrationInterface>)
        .InitialSchema1795532282460!,
      (require('../../src/db/migrations/1795532282461-ReferenceData') as Record<string, new () => MigrationInterface>)
        .ReferenceData1795532282461!,
    ];
    /* eslint-enable @typescript-eslint/no-require-imports */
  });
  return loaded;
}

afterEach(() => jest.resetModules());

describe('the reference-data migration', () => {
  it('inserts exactly what it inserted when it was written', async () => {
    expect(await digestOfMigration(firstTwoMigrations)).toBe(DIGEST);
  });

  it('inserts the same when the seed files change', async () => {
    jest.doMock('../../src/db/seed/krakow.json', () => ({ districts: [], terms: [], sessions: [] }), {
      virtual: false,
    });
    expect(await digestOfMigration(firstTwoMigrations)).toBe(DIGEST);
  });
});
