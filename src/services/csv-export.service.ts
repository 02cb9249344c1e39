import { once } from 'node:events';
import { PassThrough, Readable } from 'node:stream';
import archiver from 'archiver';
import { stringify } from 'csv-stringify';
import { idOf, instant, sourceOf } from './export-format.rules';
import type { ExportStyle, SourceLink } from './export-format.rules';
import type {
  AgendaItemRow,
  AttendanceRow,
  BallotRow,
  BodyRow,
  MandateRow,
  PersonRow,
  SeatRow,
  SessionEventRow,
  SessionRow,
  SpeechRow,
  TermSnapshot,
  VoteRow,
} from './term-snapshot.service';

type Cell = string | number | boolean | null;

/** One column: its header, what it holds (for the README), and its value in a row. */
export interface CsvColumn<Row> {
  readonly name: string;
  readonly about: string;
  readonly value: (row: Row, style: ExportStyle) => Cell;
}

/** One CSV file: its name, what a line of it is, and its columns. */
export interface CsvTable<Row> {
  readonly file: string;
  readonly about: string;
  readonly columns: readonly CsvColumn<Row>[];
}

const INSTANT = 'as the API writes DateTime: ISO 8601 with the offset of Europe/Warsaw';

/** The kinds of column a table of rows of one type is made of. */
function columnsOf<Row>() {
  return {
    /** A column of the row as it is. */
    field: <K extends keyof Row & string>(name: K, about: string): CsvColumn<Row> => ({
      name,
      about,
      value: (row) => row[name] as Cell,
    }),
    /** An instant, written as the API writes it. */
    at: (name: string, about: string, read: (row: Row) => Date | null): CsvColumn<Row> => ({
      name,
      about: `${about} (${INSTANT}); empty if none`,
      value: (row, style) => instant(style, read(row)),
    }),
    /** The global id (as the API's `id` fields give it) of a row or of a row it refers to. */
    ref: (
      name: string,
      type: Parameters<typeof idOf>[0],
      about: string,
      read: (row: Row) => number | null,
    ): CsvColumn<Row> => ({
      name,
      about: `${about}: the API's global id (\`node(id:)\` finds it)`,
      value: (row) => idOf(type, read(row)),
    }),
  };
}
type Columns<Row> = ReturnType<typeof columnsOf<Row>>;

/** The CSV text of rows, header first, UTF-8, a line per row, streamed. */
export function csvStream<Row>(
  table: CsvTable<Row>,
  rows: AsyncIterable<Row> | Iterable<Row>,
  style: ExportStyle,
): Readable {
  const lines = Readable.from(
    (async function* () {
      for await (const row of rows) yield table.columns.map((column) => column.value(row, style));
    })(),
  );
  const csv = stringify({
    header: true,
    columns: table.columns.map((column) => column.name),
    cast: { boolean: (value) => String(value) },
  });
  lines.on('error', (error) => csv.destroy(error));
  return lines.pipe(csv);
}

/** What a file's README says of a table: its lines, then each column. */
export function describeTable(table: CsvTable<unknown>): string {
  const columns = table.columns.map((column) => `- \`${column.name}\`: ${column.about}.`).join('\n');
  return `## ${table.file}\n\n${table.about}\n\n${columns}\n`;
}

interface Source extends SourceLink {
  readonly type: string;
  readonly id: string;
}

/** The tables of csv.zip, each with where its rows come from. */
type Entry<Row> = CsvTable<Row> & { readonly rows: (snapshot: TermSnapshot, style: ExportStyle) => AsyncIterable<Row> };
const entry = <Row>(
  table: Omit<Entry<Row>, 'columns'> & { readonly columns: (of: Columns<Row>) => CsvColumn<Row>[] },
): Entry<unknown> => ({ ...table, columns: table.columns(columnsOf<Row>()) }) as unknown as Entry<unknown>;

export const CSV_TABLES: readonly Entry<unknown>[] = [
  entry<PersonRow>({
    file: 'people.csv',
    about: "A line per person the term's record names: seat holders, chairs, attendees (deputies too) and voters",
    rows: (snapshot) => snapshot.people(),
    columns: ({ field, ref }) => [
      ref('id', 'Person', 'The person', (row) => row.id),
      field('full_name', 'Name as publicly known'),
      field('synthetic', '`true` for people made up for load tests (`?synthetic=include` only); never a real person'),
    ],
  }),
  entry<BodyRow>({
    file: 'bodies.csv',
    about: 'A line per body: the city council, each district council and board, the Convention',
    rows: (snapshot) => snapshot.bodies(),
    columns: ({ field, ref }) => [
      ref('id', 'Body', 'The body', (row) => row.id),
      field('kind', '`CITY_COUNCIL`, `DISTRICT_COUNCIL`, `DISTRICT_BOARD` or `CONVENTION`'),
      field('name', 'Name'),
      ref('district_id', 'District', 'Its district; empty for city-wide bodies', (row) => row.district_id),
      field('description', 'Description, where there is one'),
      field('quorum_rule', '`MAJORITY` (more than half of the seats that count) or `HALF` (at least half)'),
      field('admits_deputies', 'Whether a member may send a designated deputy to attend and vote for their seat'),
    ],
  }),
  entry<SeatRow>({
    file: 'seats.csv',
    about: 'A line per seat, which exists whoever holds it',
    rows: (snapshot) => snapshot.seats(),
    columns: ({ field, ref }) => [
      ref('id', 'Seat', 'The seat', (row) => row.id),
      ref('body_id', 'Body', 'The body it is a seat in', (row) => row.body_id),
      field('position', 'Order of the seat within its body, from 1'),
      field('label', 'Label, e.g. the function it stands for'),
      field('role', '`CHAIR`, `VICE_CHAIR` or `MEMBER`'),
      ref('district_id', 'District', 'The district it stands for; empty if none', (row) => row.district_id),
      field('counts_toward_quorum', 'Whether it counts toward the quorum of its body'),
    ],
  }),
  entry<MandateRow>({
    file: 'mandates.csv',
    about: 'A line per mandate of the term: a person holding a seat, or a public function, for a time',
    rows: (snapshot) => snapshot.mandates(),
    columns: ({ field, ref }) => [
      field('id', 'Number of the mandate, unique in this file (mandates have no global id)'),
      ref('person_id', 'Person', 'The holder', (row) => row.person_id),
      ref('seat_id', 'Seat', 'The seat held; empty for a function without one', (row) => row.seat_id),
      ref('body_id', 'Body', "The seat's body; empty without a seat", (row) => row.body_id),
      field('title', 'Function as publicly titled'),
      field('starts_on', 'First day (YYYY-MM-DD); empty where not known'),
      field('ends_on', 'Last day (YYYY-MM-DD); empty while it runs or where not known'),
    ],
  }),
  entry<SessionRow>({
    file: 'sessions.csv',
    about: 'A line per session of the term',
    rows: (snapshot) => snapshot.sessions(),
    columns: ({ field, ref, at }) => [
      ref('id', 'Session', 'The session', (row) => row.id),
      ref('body_id', 'Body', 'The body that meets', (row) => row.body_id),
      field('number', "Number within the body's term; 1 is the inaugural session"),
      field('title', 'Title'),
      field('kind', '`INAUGURAL`, `ORDINARY` or `EXTRAORDINARY`'),
      field('status', '`SCHEDULED`, `IN_PROGRESS`, `SUSPENDED`, `CLOSED` or `CANCELLED`'),
      at('scheduled_at', 'When it was called for', (row) => row.scheduled_at),
      at('started_at', 'When it was opened', (row) => row.started_at),
      at('ended_at', 'When it was closed', (row) => row.ended_at),
      field('venue_name', 'Where it meets'),
      field('venue_address', 'Address of the venue'),
      ref('chair_id', 'Person', 'Who chairs it; empty where not known', (row) => row.chair_id),
      field('description', 'Description, where there is one'),
      field('cancellation_reason', 'Why it was cancelled, where it was'),
      field('last_sequence', 'Number of changes in its log (session_events.csv)'),
      field(
        'synthetic',
        '`true` for sessions made up for load tests (`?synthetic=include` only); never a real meeting',
      ),
    ],
  }),
  entry<AgendaItemRow>({
    file: 'agenda_items.csv',
    about: "A line per item of a session's agenda (punkt porządku obrad)",
    rows: (snapshot) => snapshot.agendaItems(),
    columns: ({ field, ref, at }) => [
      ref('id', 'AgendaItem', 'The item', (row) => row.id),
      ref('session_id', 'Session', 'Its session', (row) => row.session_id),
      field('position', 'Place in the agenda, from 1, gapless'),
      field('title', 'Title'),
      field('description', 'Description, where there is one'),
      field('presenter', 'Who presents it, where known'),
      field('status', '`PENDING`, `IN_PROGRESS`, `DONE`, `POSTPONED` or `WITHDRAWN`'),
      at('started_at', 'When it was taken up', (row) => row.started_at),
      at('ended_at', 'When it was finished', (row) => row.ended_at),
    ],
  }),
  entry<AttendanceRow>({
    file: 'attendance.csv',
    about: "A line per participant's attendance at a session: a member's seat, or an invited guest",
    rows: (snapshot) => snapshot.attendance(),
    columns: ({ field, ref, at }) => [
      ref('id', 'AttendanceRecord', 'The record', (row) => row.id),
      ref('session_id', 'Session', 'The session', (row) => row.session_id),
      ref('seat_id', 'Seat', 'The seat; empty for guests', (row) => row.seat_id),
      ref('person_id', 'Person', 'Who is (or was expected) in the room; empty where not known', (row) => row.person_id),
      field('capacity', '`HOLDER` (the seat holder), `DEPUTY` (a deputy designated by the holder) or `GUEST`'),
      ref(
        'on_behalf_of_id',
        'Person',
        'For a deputy: the holder they attend for, where known',
        (row) => row.on_behalf_of_id,
      ),
      field('label', 'Who this is, as shown on a screen'),
      field('affiliation', 'For guests: whom they represent'),
      ref(
        'district_id',
        'District',
        'The district the participant stands for; empty if none',
        (row) => row.district_id,
      ),
      field('status', '`EXPECTED`, `CONFIRMED`, `PRESENT`, `ABSENT`, `EXCUSED` or `LEFT` (was present, left early)'),
      field('mode', '`IN_PERSON` or `REMOTE`; empty where not recorded'),
      at('arrived_at', 'When they arrived', (row) => row.arrived_at),
      at('left_at', 'When they left', (row) => row.left_at),
      field('counts_toward_quorum', 'False for invited guests'),
    ],
  }),
  entry<VoteRow>({
    file: 'votes.csv',
    about: 'A line per vote (głosowanie), open or secret, with its counts',
    rows: (snapshot) => snapshot.votes(),
    columns: ({ field, ref, at }) => [
      ref('id', 'Vote', 'The vote', (row) => row.id),
      ref('session_id', 'Session', 'The session', (row) => row.session_id),
      ref('agenda_item_id', 'AgendaItem', 'The agenda item it decides on; empty if none', (row) => row.agenda_item_id),
      field('subject', 'What is decided'),
      field('secrecy', '`OPEN` (a named list in ballots.csv) or `SECRET` (counts only: who voted how exists nowhere)'),
      field('majority', '`SIMPLE`, `ABSOLUTE_OF_PRESENT` or `ABSOLUTE_OF_SEATS`'),
      field('status', '`VOTING`, `CLOSED` or `ANNULLED`'),
      at('opened_at', 'When voting opened', (row) => row.opened_at),
      at('closed_at', 'When voting closed', (row) => row.closed_at),
      field('quorum_seats', 'Seats that count toward the quorum, when voting opened'),
      field('quorum_present', 'Of them present, when voting opened'),
      field('quorum_required', 'Present seats the quorum required'),
      field('quorum_reached', 'Whether the quorum was present'),
      field('count_for', 'Votes for'),
      field('count_against', 'Votes against'),
      field('count_abstain', 'Abstentions'),
      field('result', '`PASSED`, `REJECTED` or `NO_QUORUM`; empty while voting'),
      field('annulment_reason', 'Why the chair declared it void (ANNULLED only)'),
    ],
  }),
  entry<BallotRow>({
    file: 'ballots.csv',
    about: 'A line per seat in the named list of an OPEN vote (secret votes have none)',
    rows: (snapshot) => snapshot.ballots(),
    columns: ({ field, ref, at }) => [
      ref('vote_id', 'Vote', 'The vote', (row) => row.vote_id),
      ref('seat_id', 'Seat', 'The seat', (row) => row.seat_id),
      field('seat_position', "The seat's place in its body"),
      ref(
        'person_id',
        'Person',
        'Who held the ballot: the holder, or the deputy present for them',
        (row) => row.person_id,
      ),
      field('capacity', '`HOLDER` or `DEPUTY`'),
      field('option', '`FOR`, `AGAINST` or `ABSTAIN`; empty: present when voting opened, did not vote'),
      at('cast_at', 'When the ballot was cast', (row) => row.cast_at),
    ],
  }),
  entry<SpeechRow>({
    file: 'speeches.csv',
    about: 'A line per request for the floor, and the speech once granted',
    rows: (snapshot) => snapshot.speeches(),
    columns: ({ field, ref, at }) => [
      ref('id', 'SpeechRequest', 'The request', (row) => row.id),
      ref('session_id', 'Session', 'The session', (row) => row.session_id),
      ref('agenda_item_id', 'AgendaItem', 'The item it is about; empty if none', (row) => row.agenda_item_id),
      ref(
        'attendance_id',
        'AttendanceRecord',
        'Who asked: their line of attendance.csv',
        (row) => row.attendance_record_id,
      ),
      field('kind', '`REGULAR`, `AD_VOCEM` or `FORMAL_MOTION`'),
      field('status', '`WAITING`, `SPEAKING`, `DONE` or `WITHDRAWN`'),
      at('requested_at', 'When the floor was asked for', (row) => row.requested_at),
      at('started_at', 'When the speech began', (row) => row.started_at),
      at('ended_at', 'When it ended', (row) => row.ended_at),
      field('time_limit_seconds', 'Time granted by the chair; empty for no limit'),
    ],
  }),
  entry<SessionEventRow>({
    file: 'session_events.csv',
    about: 'A line per change to a session, in order: its public log (who made a change is not public)',
    rows: (snapshot) => snapshot.sessionEvents(),
    columns: ({ field, ref, at }) => [
      ref('session_id', 'Session', 'The session', (row) => row.session_id),
      field('sequence', 'Per session: 1, 2, 3… with every change'),
      field('kind', 'What changed, e.g. `SESSION_OPENED`, `AGENDA_ITEM_ADDED`, `ATTENDANCE_RECORDED`, `VOTE_CLOSED`'),
      at('occurred_at', 'When', (row) => row.occurred_at),
      field('status', 'Status of the session right after the change'),
      ref('agenda_item_id', 'AgendaItem', 'AGENDA_* changes: the item', (row) => row.agenda_item_id),
      ref('attendance_id', 'AttendanceRecord', 'ATTENDANCE_RECORDED: the record', (row) => row.attendance_record_id),
      ref('vote_id', 'Vote', 'VOTE_* and BALLOT_CAST: the vote', (row) => row.vote_id),
      ref('speech_id', 'SpeechRequest', 'SPEECH_*: the request', (row) => row.speech_request_id),
      field('quorum_seats', 'Seats that count toward the quorum, right after the change'),
      field('quorum_present', 'Of them present'),
      field('quorum_required', 'Present seats the quorum requires'),
      field('quorum_reached', 'Whether the quorum was present'),
    ],
  }),
  entry<Source>({
    file: 'sources.csv',
    about:
      'A line per person, body, seat, session and vote of the other files: where the record is read again, live, through the API',
    rows: sources,
    columns: ({ field }) => [
      field('type', '`Person`, `Body`, `Seat`, `Session` or `Vote`'),
      field('id', 'Its global id'),
      field('url', 'The API (GraphQL over HTTP; see its README)'),
      field('note', 'The query that reads it there'),
    ],
  }),
];

async function* sources(snapshot: TermSnapshot, style: ExportStyle): AsyncGenerator<Source> {
  const of = (type: Source['type'] & Parameters<typeof sourceOf>[1], id: number): Source => ({
    type,
    id: idOf(type, id)!,
    ...sourceOf(style, type, id),
  });
  for await (const row of snapshot.people()) yield of('Person', row.id);
  for await (const row of snapshot.bodies()) yield of('Body', row.id);
  for await (const row of snapshot.seats()) yield of('Seat', row.id);
  for await (const row of snapshot.sessions()) yield of('Session', row.id);
  for await (const row of snapshot.votes()) yield of('Vote', row.id);
}

/** Entries of the zip get this time, not the clock's, so that the same data makes the same bytes. */
const ENTRY_DATE = new Date('2000-01-01T00:00:00Z');

/**
 * /export/term-{n}/csv.zip: a README describing every column, then one CSV per kind, each written from its cursor
 * into the zip as it is read. Entries are added one after the other, so one cursor is read at a time.
 */
export function csvZip(snapshot: TermSnapshot, style: ExportStyle): Readable {
  const zip = archiver('zip', { zlib: { level: 6 } });
  const out = new PassThrough();
  zip.on('error', (error) => out.destroy(error));
  zip.pipe(out);
  void (async () => {
    const readme = [
      `# Obrady: term ${snapshot.term.numeral} (${snapshot.term.number}) as CSV\n`,
      `Data version ${snapshot.version}; synthetic demo rows ${snapshot.includeSynthetic ? 'included' : 'left out'}. ` +
        'Every file is UTF-8 (no byte-order mark), comma-separated, with a header row; an empty field is a missing ' +
        'value. Ids are the API\'s global ids: `node(id: "…")` reads the record, live, at ' +
        `${style.publicUrl}/graphql. Public data only: no contact details, and for a secret vote only its counts.\n`,
      ...CSV_TABLES.map(describeTable),
    ].join('\n');
    zip.append(readme, { name: 'README.md', date: ENTRY_DATE });
    for (const table of CSV_TABLES) {
      const added = once(zip, 'entry');
      zip.append(csvStream(table, table.rows(snapshot, style), style), { name: table.file, date: ENTRY_DATE });
      await added;
    }
    await zip.finalize();
  })().catch((error: unknown) => out.destroy(error instanceof Error ? error : new Error(String(error))));
  return out;
}

/** A line of attendance-{n}.csv: the statistics of a seat (AttendanceStatsService), with what names the seat. */
export interface SeatAttendanceRow {
  readonly seat_id: number;
  readonly seat_label: string;
  readonly body_id: number;
  readonly body_name: string;
  readonly district_id: number | null;
  readonly sessions: number;
  readonly present: number;
  readonly remote: number;
  readonly excused: number;
  readonly absent: number;
  readonly left_early: number;
  readonly by_deputy: number;
  readonly not_recorded: number;
  readonly rate: number | null;
}

/** /export/attendance-{n}.csv: Query.attendanceStats(termNumber: n, groupBy: SEAT), a line per seat. */
export const ATTENDANCE_TABLE: CsvTable<SeatAttendanceRow> = (() => {
  const { field, ref } = columnsOf<SeatAttendanceRow>();
  return {
    file: 'attendance-{n}.csv',
    about:
      'A line per seat with at least one held session (opened, not cancelled) in the term: attendance over the ' +
      'sessions of its body, whoever held it; the same figures as `attendanceStats(termNumber: n, groupBy: SEAT)`',
    columns: [
      ref('seat_id', 'Seat', 'The seat', (row) => row.seat_id),
      field('seat_label', "The seat's label"),
      ref('body_id', 'Body', 'Its body', (row) => row.body_id),
      field('body_name', "The body's name"),
      ref('district_id', 'District', 'The district the seat stands for; empty if none', (row) => row.district_id),
      field('sessions', 'Sessions of its body held in the term'),
      field('present', 'Of them present (PRESENT or LEFT), in person or remotely, by the holder or a deputy'),
      field('remote', 'Of the present, remotely'),
      field('excused', 'Excused'),
      field('absent', 'Absent'),
      field('left_early', 'Of the present, left early'),
      field('by_deputy', 'Of the present, a deputy for the holder'),
      field('not_recorded', 'Sessions where the clerk recorded nothing for the seat'),
      field('rate', 'present / (sessions - not_recorded); empty when nothing was recorded'),
    ],
  };
})();
