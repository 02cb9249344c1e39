import { createHash } from 'node:crypto';
import { seedDemoData } from '../../src/db/seed/demo-data';
import { sittingOf } from '../decisions/votes-sitting';
import {
  AddAgendaItemDocument,
  AttendanceStatsDocument,
  CastBallotDocument,
  CloseVoteDocument,
  ExportedSessionDocument,
  OpenVoteDocument,
  RecordAttendanceDocument,
  RecordVoteCountsDocument,
  RequestFloorDocument,
  SessionsDocument,
} from '../generated/graphql';
import type { ExportedSessionQuery, VoteOption } from '../generated/graphql';
import {
  bearer,
  conventionOf,
  csvRecords,
  download,
  gid,
  holdSeat,
  popoloSchemas,
  query,
  sql,
  startTestServer,
  statementsOf,
  token,
  unchangedBy,
  unzip,
} from '../support';
import type { Download, TestServer } from '../support';

/**
 * The bulk exports (/export/), through the real server: a meeting of the Convention held through the API (a
 * deputy in a seat, an OPEN vote with its named list, a SECRET one with the tellers' counts, a request for the
 * floor) beside the demo data set, read back as Popolo (validated against Popolo's own schemas) and as CSV
 * (compared, line by line, with the API's answers); caching by data version; personal data and secret ballots;
 * synthetic rows left out unless asked for; bad requests.
 */
let server: TestServer;
let admin: string;
let meeting: { sessionId: string; openVoteId: string; secretVoteId: string; deputyId: string; seats: string[] };

/** Contact details that must appear in no export: every person gets some, made from their id. */
const PRIVATE = /@prywatna\.example|\+48 999/;

type Session = NonNullable<ExportedSessionQuery['session']>;

beforeAll(async () => {
  server = await startTestServer();
  await seedDemoData(server.server.database.dataSource, 12);
  admin = await token('ADMIN');
  const as = bearer(admin);
  const convention = await conventionOf(server);
  const seats = convention.seatIds.map((id) => gid('Seat', id));
  // The holder of the first member's seat, whose deputy attends and votes for her.
  await holdSeat(server, convention.seatIds[0]!, 'Przewodnicząca Eksportowa', 'Przewodnicząca Rady Dzielnicy');
  const { sessionId, itemId } = await sittingOf(
    server,
    admin,
    { bodyGid: convention.bodyGid, seats: seats.slice(1) },
    19,
  );
  const deputy = await query(
    server.url,
    RecordAttendanceDocument,
    { input: { sessionId, seatId: seats[0]!, status: 'PRESENT', deputy: { fullName: 'Jan Zastępca' } } },
    as,
  );
  const open = (
    await query(
      server.url,
      OpenVoteDocument,
      { input: { sessionId, subject: 'Opinia o budżecie', agendaItemId: itemId } },
      as,
    )
  ).openVote;
  const choices: VoteOption[] = ['FOR', 'AGAINST', 'ABSTAIN', 'FOR'];
  for (const [index, option] of choices.entries()) {
    await query(server.url, CastBallotDocument, { input: { voteId: open.id, seatId: seats[index]!, option } }, as);
  }
  await query(server.url, CloseVoteDocument, { id: open.id }, as);
  const secret = (
    await query(
      server.url,
      OpenVoteDocument,
      { input: { sessionId, subject: 'Wybór sekretarza', secrecy: 'SECRET' } },
      as,
    )
  ).openVote;
  await query(
    server.url,
    RecordVoteCountsDocument,
    { input: { voteId: secret.id, for: 12, against: 5, abstain: 2 } },
    as,
  );
  await query(server.url, CloseVoteDocument, { id: secret.id }, as);
  const asked = (await exported(sessionId)).attendance.find((record) => record.seat?.id === seats[1])!;
  await query(server.url, RequestFloorDocument, { input: { sessionId, attendanceRecordId: asked.id } }, as);
  // Personal data the exports must never carry: set with SQL, as no mutation writes it.
  await sql(server, `UPDATE person SET email = 'osoba' || id || '@prywatna.example', phone = '+48 999 ' || id`);
  meeting = {
    sessionId,
    openVoteId: open.id,
    secretVoteId: secret.id,
    deputyId: deputy.recordAttendance.person!.id,
    seats,
  };
}, 180_000);
afterAll(() => server?.stop());

const exported = async (id: string): Promise<Session> =>
  (await query(server.url, ExportedSessionDocument, { id })).session!;

async function fetched(path: string, headers: Record<string, string> = {}): Promise<Download> {
  const result = await download(server, path, { headers });
  if (result.status !== 200) throw new Error(`${path}: ${result.status} ${result.body.toString()}`);
  return result;
}

interface Popolo {
  meta: { data_version: string; synthetic: string };
  persons: { id: string; name: string; synthetic: boolean }[];
  organizations: { id: string; classification: string }[];
  areas: { id: string; name: string }[];
  posts: { id: string; organization_id: string }[];
  memberships: Record<string, unknown>[];
  events: {
    id: string;
    parent_id?: string;
    classification: string;
    synthetic?: boolean;
    attendees: Record<string, unknown>[];
  }[];
  vote_events: {
    id: string;
    legislative_session_id: string;
    counts: { option: string; value: number }[];
    votes: { voter_id: string | null; option: string; role: string; post_id: string }[];
  }[];
}

const popolo = async (query = ''): Promise<Popolo> =>
  JSON.parse((await fetched(`/export/term-9/popolo.json${query}`)).body.toString('utf8')) as Popolo;

const csvFiles = async (query = ''): Promise<Map<string, string>> =>
  unzip((await fetched(`/export/term-9/csv.zip${query}`)).body);

const table = (files: Map<string, string>, name: string): Record<string, string>[] => csvRecords(files.get(name)!);

/** Lines in one order, whichever order each side lists them in. */
const byId = <T extends { id: string }>(rows: readonly T[]): T[] => [...rows].sort((a, b) => a.id.localeCompare(b.id));

/** A CSV field as the API's value: empty is null. */
const value = (field: string | undefined): string | null => (field === '' || field === undefined ? null : field);

describe('/export/term-{n}/popolo.json', () => {
  it("is valid Popolo: every object meets Popolo's JSON schema for its kind", async () => {
    const schema = popoloSchemas();
    const kinds = {
      persons: 'person',
      organizations: 'organization',
      areas: 'area',
      posts: 'post',
      memberships: 'membership',
      events: 'event',
      vote_events: 'vote_event',
    } as const;
    for (const variant of ['', '?synthetic=include']) {
      const file = (await popolo(variant)) as unknown as Record<string, unknown[]>;
      for (const [list, kind] of Object.entries(kinds)) {
        const validate = schema(kind);
        expect(file[list]!.length).toBeGreaterThan(0);
        for (const item of file[list]!) {
          if (!validate(item)) throw new Error(`${list} ${JSON.stringify(item)}: ${JSON.stringify(validate.errors)}`);
        }
      }
    }
  });

  it('holds the districts, bodies, seats and term as the reference data does', async () => {
    const file = await popolo();
    const [counts] = await sql<{ districts: number; bodies: number; seats: number }>(
      server,
      `SELECT (SELECT count(*)::int FROM district) AS districts, (SELECT count(*)::int FROM body) AS bodies,
              (SELECT count(*)::int FROM seat) AS seats`,
    );
    expect(file.areas).toHaveLength(18);
    expect(file.areas).toHaveLength(counts!.districts);
    expect(file.organizations).toHaveLength(counts!.bodies);
    expect(new Set(file.organizations.map((body) => body.classification))).toEqual(
      new Set(['city_council', 'convention', 'district_council', 'district_board']),
    );
    expect(file.posts).toHaveLength(counts!.seats);
    const term = file.events.find((event) => event.classification === 'legislative period')!;
    expect(term.id).toBe(gid('Term', 2));
    // Every session is a part of the term, and every mandate of the term names it.
    for (const event of file.events.filter((candidate) => candidate !== term)) expect(event.parent_id).toBe(term.id);
    expect(file.memberships.length).toBeGreaterThan(0);
    for (const membership of file.memberships) expect(membership.legislative_period_id).toBe(term.id);
    expect(file.memberships).toContainEqual(
      expect.objectContaining({
        post_id: meeting.seats[0],
        organization_id: (await conventionOf(server)).bodyGid,
        role: 'Przewodnicząca Rady Dzielnicy',
      }),
    );
  });

  it("records the meeting's votes: counts always, the named list of the OPEN vote, a deputy by role", async () => {
    // With the synthetic rows, as the API answers: the demo data's people hold the other seats of the Convention.
    const file = await popolo('?synthetic=include');
    const session = await exported(meeting.sessionId);
    const open = session.votes.find((vote) => vote.id === meeting.openVoteId)!;
    const openEvent = file.vote_events.find((event) => event.id === meeting.openVoteId)!;
    expect(openEvent.legislative_session_id).toBe(meeting.sessionId);
    expect(openEvent.counts).toEqual([
      { option: 'yes', value: open.counts.for },
      { option: 'no', value: open.counts.against },
      { option: 'abstain', value: open.counts.abstain },
    ]);
    const options: Record<string, string> = { FOR: 'yes', AGAINST: 'no', ABSTAIN: 'abstain' };
    expect(openEvent.votes).toEqual(
      open.ballots.map((ballot) => ({
        voter_id: ballot.person?.id ?? null,
        option: ballot.option ? options[ballot.option] : 'not voting',
        role: ballot.capacity.toLowerCase(),
        post_id: ballot.seat.id,
      })),
    );
    expect(openEvent.votes).toContainEqual({
      voter_id: meeting.deputyId,
      option: 'yes',
      role: 'deputy',
      post_id: meeting.seats[0],
    });
    const sessionEvent = file.events.find((event) => event.id === meeting.sessionId)!;
    expect(sessionEvent.attendees).toContainEqual(
      expect.objectContaining({
        id: meeting.deputyId,
        name: 'Jan Zastępca',
        role: 'deputy',
        post_id: meeting.seats[0],
      }),
    );
    // Popolo's on_behalf_of_id names a party, never a represented person.
    expect(JSON.stringify(file)).not.toContain('on_behalf_of');
  });
});

describe('/export/term-{n}/csv.zip', () => {
  const FILES = [
    'people',
    'bodies',
    'seats',
    'mandates',
    'sessions',
    'agenda_items',
    'attendance',
    'votes',
    'ballots',
    'speeches',
    'session_events',
    'sources',
  ].map((kind) => `${kind}.csv`);

  it('holds a README describing every column of every file, and one CSV per kind, each with a header row', async () => {
    const files = await csvFiles();
    expect([...files.keys()].sort()).toEqual(['README.md', ...FILES].sort());
    const readme = files.get('README.md')!;
    for (const file of FILES) {
      expect(readme).toContain(`## ${file}`);
      const header = files.get(file)!.split('\n')[0]!.split(',');
      expect(header.length).toBeGreaterThan(1);
      const section = readme.slice(readme.indexOf(`## ${file}`)).split('\n## ')[0]!;
      for (const column of header) expect(section).toContain(`- \`${column}\`: `);
    }
  });

  it("round-trips: every session's lines equal what the API answers for it", async () => {
    const files = await csvFiles('?synthetic=include');
    const sessions = table(files, 'sessions.csv');
    const listed = await query(server.url, SessionsDocument, { filter: { termNumber: 9 }, first: 100 });
    expect(sessions.map((row) => row.id).sort()).toEqual(listed.sessions.edges.map((edge) => edge.node.id).sort());
    const bySession = (name: string, key = 'session_id') => {
      const lines = new Map<string, Record<string, string>[]>();
      for (const row of table(files, name)) lines.set(row[key]!, [...(lines.get(row[key]!) ?? []), row]);
      return (id: string) => lines.get(id) ?? [];
    };
    const agenda = bySession('agenda_items.csv');
    const attendance = bySession('attendance.csv');
    const votes = bySession('votes.csv');
    const speeches = bySession('speeches.csv');
    const events = bySession('session_events.csv');
    const ballots = bySession('ballots.csv', 'vote_id');
    for (const row of sessions) {
      const api = await exported(row.id!);
      expect({
        id: row.id,
        number: Number(row.number),
        title: row.title,
        kind: row.kind,
        status: row.status,
        scheduledAt: row.scheduled_at,
        startedAt: value(row.started_at),
        endedAt: value(row.ended_at),
        lastSequence: Number(row.last_sequence),
        synthetic: row.synthetic === 'true',
        body: { id: row.body_id },
        chair: value(row.chair_id) && { id: row.chair_id },
        venue: row.venue_name ? { name: row.venue_name, address: value(row.venue_address) } : null,
      }).toEqual({
        ...api,
        agenda: undefined,
        attendance: undefined,
        votes: undefined,
        speakers: undefined,
        events: undefined,
      });
      expect(
        agenda(row.id!).map((item) => ({
          id: item.id,
          position: Number(item.position),
          title: item.title,
          status: item.status,
          startedAt: value(item.started_at),
          endedAt: value(item.ended_at),
        })),
      ).toEqual(api.agenda);
      expect(
        byId(
          attendance(row.id!).map((record) => ({
            id: record.id!,
            label: record.label,
            status: record.status,
            mode: value(record.mode),
            capacity: record.capacity,
            countsTowardQuorum: record.counts_toward_quorum === 'true',
            seat: value(record.seat_id) && { id: record.seat_id },
            person: value(record.person_id) && { id: record.person_id },
            onBehalfOf: value(record.on_behalf_of_id) && { id: record.on_behalf_of_id },
          })),
        ),
      ).toEqual(
        byId(api.attendance.map(({ person, ...record }) => ({ ...record, person: person && { id: person.id } }))),
      );
      expect(
        votes(row.id!).map((vote) => ({
          id: vote.id,
          subject: vote.subject,
          secrecy: vote.secrecy,
          status: vote.status,
          result: value(vote.result),
          openedAt: vote.opened_at,
          closedAt: value(vote.closed_at),
          counts: {
            for: Number(vote.count_for),
            against: Number(vote.count_against),
            abstain: Number(vote.count_abstain),
          },
          ballots: ballots(vote.id!).map((ballot) => ({
            option: value(ballot.option),
            capacity: ballot.capacity,
            castAt: value(ballot.cast_at),
            seat: { id: ballot.seat_id },
            person: value(ballot.person_id) && { id: ballot.person_id },
          })),
        })),
      ).toEqual(api.votes);
      expect(
        byId(
          speeches(row.id!).map((speech) => ({
            id: speech.id!,
            kind: speech.kind,
            status: speech.status,
            requestedAt: speech.requested_at,
            speaker: { id: speech.attendance_id },
          })),
        ),
      ).toEqual(byId(api.speakers));
      expect(
        events(row.id!).map((event) => ({
          sequence: Number(event.sequence),
          kind: event.kind,
          status: event.status,
          occurredAt: event.occurred_at,
        })),
      ).toEqual(api.events);
    }
    // Everyone a line names is in people.csv.
    const people = new Set(table(files, 'people.csv').map((person) => person.id));
    const named = [
      ...table(files, 'attendance.csv').flatMap((record) => [record.person_id, record.on_behalf_of_id]),
      ...table(files, 'ballots.csv').map((ballot) => ballot.person_id),
      ...table(files, 'mandates.csv').map((mandate) => mandate.person_id),
      ...sessions.map((session) => session.chair_id),
    ].filter((id) => id !== '');
    for (const id of named) expect(people).toContain(id);
  });
});

describe('/export/attendance-{n}.csv', () => {
  it('is attendanceStats(groupBy: SEAT), a line per seat', async () => {
    const lines = csvRecords((await fetched('/export/attendance-9.csv?synthetic=include')).body.toString('utf8'));
    const stats = (await query(server.url, AttendanceStatsDocument, { termNumber: 9, groupBy: 'SEAT' }))
      .attendanceStats;
    expect(lines.length).toBeGreaterThan(0);
    // Each column of figures against the API's field of the same meaning.
    const figures = {
      sessions: 'sessions',
      present: 'present',
      remote: 'remote',
      excused: 'excused',
      absent: 'absent',
      left_early: 'leftEarly',
      by_deputy: 'byDeputy',
      not_recorded: 'notRecorded',
      rate: 'rate',
    } as const;
    expect(lines.map((line) => line.seat_id)).toEqual(stats.map((stat) => stat.seat!.id));
    for (const [index, line] of lines.entries()) {
      for (const [column, field] of Object.entries(figures)) {
        expect([column, value(line[column]) === null ? null : Number(line[column])]).toEqual([
          column,
          stats[index]![field] ?? null,
        ]);
      }
    }
  });

  it("counts only the meeting held through the API when synthetic sessions are left out: the Convention's seats", async () => {
    const lines = csvRecords((await fetched('/export/attendance-9.csv')).body.toString('utf8'));
    const convention = await conventionOf(server);
    const seats = await sql<{ id: number }>(server, 'SELECT id FROM seat WHERE body_id = $1 ORDER BY position', [
      convention.bodyId,
    ]);
    expect(lines.map((line) => line.seat_id)).toEqual(seats.map((seat) => gid('Seat', seat.id)));
    for (const line of lines) expect(line.sessions).toBe('1');
    expect(lines.find((line) => line.seat_id === meeting.seats[0])).toMatchObject({ present: '1', by_deputy: '1' });
  });
});

describe('/export/index.json', () => {
  it('lists every file of every term with its size, hash, version and licence', async () => {
    const index = JSON.parse((await fetched('/export/index.json')).body.toString('utf8')) as {
      files: {
        term: number;
        format: string;
        url: string;
        bytes: number;
        sha256: string;
        generatedAt: string;
        dataVersion: string;
        license: string | null;
      }[];
    };
    const terms = await sql<{ number: number }>(server, 'SELECT number FROM term ORDER BY number');
    expect(index.files.map((file) => `${file.term} ${file.format}`)).toEqual(
      terms.flatMap(({ number }) => ['popolo', 'csv', 'attendance'].map((format) => `${number} ${format}`)),
    );
    for (const entry of index.files) {
      const path = new URL(entry.url).pathname;
      const file = await fetched(path);
      expect({ bytes: file.body.length, sha256: createHash('sha256').update(file.body).digest('hex') }).toEqual({
        bytes: entry.bytes,
        sha256: entry.sha256,
      });
      expect(file.headers.get('etag')).toContain(entry.dataVersion);
      expect(entry.license).toBeNull();
      expect(entry.generatedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?[+-]\d{2}:\d{2}$/);
    }
  });
});

describe('caching by data version', () => {
  const PATHS = {
    '/export/term-9/popolo.json': ['application/json; charset=utf-8', 'obrady-term-9-popolo.json'],
    '/export/term-9/csv.zip': ['application/zip', 'obrady-term-9-csv.zip'],
    '/export/attendance-9.csv': ['text/csv; charset=utf-8; header=present', 'obrady-attendance-9.csv'],
  } as const;

  it('answers with the type, caching headers and file name of each file, and 304 to its ETag', async () => {
    for (const [path, [type, name]] of Object.entries(PATHS)) {
      const first = await fetched(path);
      expect(first.headers.get('content-type')).toBe(type);
      expect(first.headers.get('cache-control')).toBe('public, no-cache');
      expect(first.headers.get('content-disposition')).toBe(`attachment; filename="${name}"`);
      expect(Number(first.headers.get('content-length'))).toBe(first.body.length);
      const etag = first.headers.get('etag')!;
      expect(etag).toMatch(/^"[^"]+"$/);
      const again = await download(server, path, { headers: { 'if-none-match': etag } });
      expect(again.status).toBe(304);
      expect(again.body.length).toBe(0);
      expect(again.headers.get('etag')).toBe(etag);
      const head = await download(server, path, { method: 'HEAD' });
      expect({ status: head.status, etag: head.headers.get('etag'), bytes: head.body.length }).toEqual({
        status: 200,
        etag,
        bytes: 0,
      });
    }
  });

  it('keeps a file while its version holds: served again for one statement, the same bytes', async () => {
    const first = await fetched('/export/term-9/popolo.json');
    let second: Download | undefined;
    expect(await statementsOf(server, async () => (second = await fetched('/export/term-9/popolo.json')))).toBe(1);
    expect(second!.body.equals(first.body)).toBe(true);
  });

  it('builds once for requests that come together', async () => {
    const change = (title: string) =>
      query(server.url, AddAgendaItemDocument, { input: { sessionId: meeting.sessionId, title } }, bearer(admin));
    await change('Punkt przed jednym pobraniem');
    const alone = await statementsOf(server, () => fetched('/export/term-9/popolo.json'));
    await change('Punkt przed trzema pobraniami');
    let answers: Download[] = [];
    const together = await statementsOf(server, async () => {
      answers = await Promise.all([1, 2, 3].map(() => fetched('/export/term-9/popolo.json')));
    });
    // One build, and a version statement for each of the two requests that waited for it.
    expect(together).toBe(alone + 2);
    for (const answer of answers) expect(answer.body.equals(answers[0]!.body)).toBe(true);
  });

  it('builds again after a change: a new ETag, and the change in the file', async () => {
    const before = await fetched('/export/term-9/csv.zip');
    const etag = before.headers.get('etag')!;
    await query(
      server.url,
      AddAgendaItemDocument,
      { input: { sessionId: meeting.sessionId, title: 'Sprawy wniesione po eksporcie' } },
      bearer(admin),
    );
    const after = await download(server, '/export/term-9/csv.zip', { headers: { 'if-none-match': etag } });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
    expect((await unzip(after.body)).get('agenda_items.csv')).toContain('Sprawy wniesione po eksporcie');
    expect((await unzip(before.body)).get('agenda_items.csv')).not.toContain('Sprawy wniesione po eksporcie');
  });
});

describe('public data only', () => {
  /** Every export, in both variants, as text (the zip's entries unpacked). */
  async function everything(): Promise<Map<string, string>> {
    const texts = new Map<string, string>();
    for (const variant of ['', '?synthetic=include']) {
      texts.set(`index${variant}`, (await fetched(`/export/index.json${variant}`)).body.toString('utf8'));
      for (const term of [8, 9]) {
        texts.set(
          `popolo ${term}${variant}`,
          (await fetched(`/export/term-${term}/popolo.json${variant}`)).body.toString('utf8'),
        );
        texts.set(
          `attendance ${term}${variant}`,
          (await fetched(`/export/attendance-${term}.csv${variant}`)).body.toString('utf8'),
        );
        for (const [name, text] of await unzip((await fetched(`/export/term-${term}/csv.zip${variant}`)).body)) {
          texts.set(`${name} ${term}${variant}`, text);
        }
      }
    }
    return texts;
  }

  it('never carries an email address or a phone number, nor a field for one', async () => {
    const [withContact] = await sql<{ n: number }>(
      server,
      'SELECT count(*)::int AS n FROM person WHERE email IS NOT NULL',
    );
    expect(withContact!.n).toBeGreaterThan(1);
    for (const [name, text] of await everything()) {
      expect([name, PRIVATE.test(text)]).toEqual([name, false]);
      expect([name, /email|phone|telefon/i.test(text)]).toEqual([name, false]);
    }
  });

  it('never says who voted how in a secret ballot: counts only, in every file', async () => {
    const files = await csvFiles('?synthetic=include');
    const [secrets] = await sql<{ ids: number[] }>(
      server,
      `SELECT array_agg(id) AS ids FROM vote WHERE secrecy = 'SECRET'`,
    );
    const secretIds = new Set(secrets!.ids.map((id) => gid('Vote', id)));
    expect(secretIds).toContain(meeting.secretVoteId);
    expect(table(files, 'ballots.csv').filter((ballot) => secretIds.has(ballot.vote_id!))).toEqual([]);
    const kinds = new Set(
      table(files, 'session_events.csv')
        .filter((event) => event.vote_id === meeting.secretVoteId)
        .map((event) => event.kind),
    );
    expect(kinds).toEqual(new Set(['VOTE_OPENED', 'VOTE_COUNTS_RECORDED', 'VOTE_CLOSED']));
    const file = await popolo('?synthetic=include');
    for (const event of file.vote_events.filter((candidate) => secretIds.has(candidate.id))) {
      expect(event.votes).toEqual([]);
    }
    expect(file.vote_events.find((event) => event.id === meeting.secretVoteId)!.counts).toEqual([
      { option: 'yes', value: 12 },
      { option: 'no', value: 5 },
      { option: 'abstain', value: 2 },
    ]);
  });
});

describe('synthetic demo rows', () => {
  it('are left out by default: no demo session, person or text in any file', async () => {
    const file = await popolo();
    expect(file.meta.synthetic).toBe('excluded');
    expect(file.persons.filter((person) => person.synthetic)).toEqual([]);
    expect(file.events.filter((event) => event.synthetic)).toEqual([]);
    const files = await csvFiles();
    for (const [name, text] of files) expect([name, /\[demo\]|Demo Person/.test(text)]).toEqual([name, false]);
    expect(table(files, 'sessions.csv').map((session) => session.synthetic)).not.toContain('true');
    expect(table(files, 'people.csv').map((person) => person.synthetic)).not.toContain('true');
  });

  it('are all there, marked, with ?synthetic=include', async () => {
    const demo = await sql<{ id: number }>(
      server,
      'SELECT s.id FROM session s JOIN term t ON t.id = s.term_id WHERE s.synthetic AND t.number = 9',
    );
    const people = await sql<{ n: number }>(server, 'SELECT count(*)::int AS n FROM person WHERE synthetic');
    expect(demo.length).toBeGreaterThan(0);
    const files = await csvFiles('?synthetic=include');
    const marked = table(files, 'sessions.csv').filter((session) => session.synthetic === 'true');
    expect(marked.map((session) => session.id).sort()).toEqual(
      demo.map((session) => gid('Session', session.id)).sort(),
    );
    const file = await popolo('?synthetic=include');
    expect(file.meta.synthetic).toBe('included');
    expect(file.persons.filter((person) => person.synthetic).length).toBeGreaterThan(0);
    expect(file.persons.filter((person) => person.synthetic).length).toBeLessThanOrEqual(people[0]!.n);
  });
});

describe('bad requests', () => {
  it.each([
    ['/export/term-9/popolo.json?synthetic=maybe', 400, 'BAD_USER_INPUT'],
    ['/export/term-99/popolo.json', 404, 'NOT_FOUND'],
    ['/export/attendance-0.csv', 404, 'NOT_FOUND'],
    ['/export/term-9/everything.xml', 404, 'NOT_FOUND'],
    ['/export/term-9/popolo.json', 405, 'METHOD_NOT_ALLOWED', 'DELETE'],
  ])('%s (%s) is refused with %s and a clear message, changing nothing', async (path, status, code, method = 'GET') => {
    const answer = await unchangedBy(server, () => download(server, path, { method }));
    expect(answer.status).toBe(status);
    const body = JSON.parse(answer.body.toString('utf8')) as {
      errors: { message: string; extensions: { code: string } }[];
    };
    expect(body.errors[0]!.extensions.code).toBe(code);
    expect(body.errors[0]!.message).not.toMatch(/select|stack|at .*\.ts/i);
  });
});
