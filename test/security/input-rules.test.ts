import {
  getNamedType,
  GraphQLEnumType,
  GraphQLInputObjectType,
  GraphQLList,
  GraphQLNonNull,
  GraphQLScalarType,
  isInputObjectType,
} from 'graphql';
import type { GraphQLField, GraphQLInputType } from 'graphql';
import { writeTargetOf } from '../../src/auth/write-target';
import { buildObradySchema } from '../../src/schema/build-schema';
import { AddAgendaItemDocument } from '../generated/graphql';
import {
  bearer,
  codes,
  councilOf,
  gid,
  keyOf,
  query,
  scheduleSession,
  send,
  sql,
  startTestServer,
  token,
  unchangedBy,
  wsClient,
} from '../support';
import type { GraphQLResponse, TestServer } from '../support';

/**
 * Callers before input, and one set of rules for text and dates, for every
 * mutation of the served schema: the list comes from the schema, so a
 * mutation added later is covered (or fails here until it is).
 */

type Field = GraphQLField<unknown, unknown>;

let server: TestServer;
let admin: string;
let mutations: Field[];
/** Objects of the council of district V; the other clerk holds the council of district VI. */
let mine: {
  sessionId: string;
  itemId: string;
  bodyGid: string;
  voteId: string;
  speechRequestId: string;
  seatId: string;
};
let otherClerk: string;
let ownClerk: string;

beforeAll(async () => {
  server = await startTestServer();
  mutations = Object.values((await buildObradySchema()).getMutationType()!.getFields());
  admin = await token('ADMIN');
  const council = await councilOf(server, 5);
  const sessionId = await scheduleSession(server, admin, council.bodyGid);
  const item = await query(server.url, AddAgendaItemDocument, { input: { sessionId, title: 'Punkt' } }, bearer(admin));
  // A vote and a request for the floor to aim at, made straight in the database: the session never opens here.
  const [record] = await sql<{ id: number; seat_id: number }>(
    server,
    'SELECT id, seat_id FROM attendance_record WHERE session_id = $1 AND seat_id IS NOT NULL ORDER BY id LIMIT 1',
    [keyOf(sessionId)],
  );
  const [vote] = await sql<{ id: number }>(
    server,
    `INSERT INTO vote (session_id, subject, secrecy, majority, status, opened_at, quorum_seats, quorum_present,
                       quorum_required, quorum_reached)
     VALUES ($1, 'Wniosek', 'OPEN', 'SIMPLE', 'CLOSED', now(), 0, 0, 0, false) RETURNING id`,
    [keyOf(sessionId)],
  );
  const [request] = await sql<{ id: number }>(
    server,
    `INSERT INTO speech_request (session_id, attendance_record_id, kind, status, requested_at)
     VALUES ($1, $2, 'REGULAR', 'DONE', now()) RETURNING id`,
    [keyOf(sessionId), record!.id],
  );
  mine = {
    sessionId,
    itemId: item.addAgendaItem.id,
    bodyGid: council.bodyGid,
    voteId: gid('Vote', vote!.id),
    speechRequestId: gid('SpeechRequest', request!.id),
    seatId: gid('Seat', record!.seat_id),
  };
  const other = await councilOf(server, 6);
  otherClerk = await token('CLERK', { bodyIds: [other.bodyGid] });
  ownClerk = await token('CLERK', { bodyIds: [council.bodyGid] });
});
afterAll(() => server?.stop());

/** Runs an attack and checks that every table is exactly as it was. */
const unchanged = <T>(attack: () => Promise<T>): Promise<T> => unchangedBy(server, attack);

/** An operation by text, over HTTP: the status and the response. */
async function sendText(
  text: string,
  variables: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<unknown> & { status: number }> {
  const { status, json } = await send(server.url, { query: text, variables }, headers);
  return { status, ...json };
}

/** An operation calling one mutation with every argument as a variable, selecting only __typename. */
function operationOf(field: Field): string {
  const declared = field.args.map((arg) => `$${arg.name}: ${String(arg.type)}`).join(', ');
  const passed = field.args.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
  const selection = getNamedType(field.type) instanceof GraphQLScalarType ? '' : ' { __typename }';
  return `mutation ${field.name}${declared ? `(${declared})` : ''} { ${field.name}${passed ? `(${passed})` : ''}${selection} }`;
}

/**
 * A value of the type that fails when read at all: text the rules refuse,
 * an Int that is not a number, a date that does not exist, an enum value
 * that is not one, an id that names nothing.
 */
function junk(type: GraphQLInputType): unknown {
  if (type instanceof GraphQLNonNull) return junk(type.ofType as GraphQLInputType);
  if (type instanceof GraphQLList) return [junk(type.ofType as GraphQLInputType)];
  if (type instanceof GraphQLInputObjectType) {
    return Object.fromEntries(Object.values(type.getFields()).map((field) => [field.name, junk(field.type)]));
  }
  if (type instanceof GraphQLEnumType) return 'NO_SUCH_VALUE';
  switch (type.name) {
    case 'ID':
      return 'nie-ma-takiego';
    case 'Int':
      return 'siedemdziesiąt siedem';
    case 'Boolean':
      return 'tak';
    case 'DateTime':
      return '2026-02-30T18:00:00+01:00';
    default:
      return 'x\ud800\u0000\u202Ey';
  }
}

function junkVariables(field: Field): Record<string, unknown> {
  return Object.fromEntries(field.args.map((arg) => [arg.name, junk(arg.type)]));
}

function setAt(variables: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let object = variables;
  for (const key of keys.slice(0, -1)) {
    object[key] ??= {};
    object = object[key] as Record<string, unknown>;
  }
  object[keys.at(-1)!] = value;
}

/** Junk everywhere but in the argument naming what the write touches, which names a real object of district V. */
function aimedAtMine(field: Field): Record<string, unknown> {
  const target = writeTargetOf(field)!;
  const variables = junkVariables(field);
  // An admin-only write names no body: any clerk is refused whatever it names.
  if (target.type === 'Admin') return variables;
  const id = {
    Body: mine.bodyGid,
    Session: mine.sessionId,
    AgendaItem: mine.itemId,
    Vote: mine.voteId,
    SpeechRequest: mine.speechRequestId,
  }[target.type];
  setAt(variables, target.at, id);
  return variables;
}

async function overWebSocket(text: string, variables: Record<string, unknown>, bearerToken?: string) {
  const client = wsClient(server, bearerToken);
  try {
    return await new Promise<{ errors?: readonly { extensions?: Record<string, unknown> }[] }>((resolve) => {
      client.subscribe(
        { query: text, variables },
        {
          next: (result) => resolve(result as { errors?: { extensions?: Record<string, unknown> }[] }),
          error: (error) => resolve({ errors: error as { extensions?: Record<string, unknown> }[] }),
          complete: () => {},
        },
      );
    });
  } finally {
    await client.dispose();
  }
}

describe('callers before input, for every mutation of the schema', () => {
  it('finds the mutations, each declaring which argument names what it writes to', () => {
    expect(mutations.length).toBeGreaterThanOrEqual(13);
    for (const field of mutations) expect([field.name, writeTargetOf(field)]).toEqual([field.name, expect.anything()]);
  });

  it('answers UNAUTHENTICATED without a token, whatever the arguments, over HTTP', async () => {
    await unchanged(async () => {
      for (const field of mutations) {
        const result = await sendText(operationOf(field), junkVariables(field));
        expect([field.name, result.status, codes(result)]).toEqual([field.name, 200, ['UNAUTHENTICATED']]);
        expect(result.errors![0]!.message).toMatch(/Writing needs a token/);
      }
    });
  });

  it('answers UNAUTHENTICATED without a token, whatever the arguments, over WebSocket', async () => {
    await unchanged(async () => {
      for (const field of mutations) {
        const result = await overWebSocket(operationOf(field), junkVariables(field));
        expect([field.name, codes(result)]).toEqual([field.name, ['UNAUTHENTICATED']]);
      }
    });
  });

  it('answers FORBIDDEN to a clerk of another body before any other argument is read', async () => {
    await unchanged(async () => {
      for (const field of mutations) {
        const http = await sendText(operationOf(field), aimedAtMine(field), bearer(otherClerk));
        expect([field.name, codes(http)]).toEqual([field.name, ['FORBIDDEN']]);
        const ws = await overWebSocket(operationOf(field), aimedAtMine(field), otherClerk);
        expect([field.name, codes(ws)]).toEqual([field.name, ['FORBIDDEN']]);
      }
    });
  });

  it('lets the clerk of the body through to the checks of the input, which refuse the junk', async () => {
    await unchanged(async () => {
      // A mutation whose only argument is its target has no junk to refuse: it would simply run.
      for (const field of mutations.filter((candidate) => candidate.args.length > 1 && !adminOnly(candidate))) {
        const result = await sendText(operationOf(field), aimedAtMine(field), bearer(ownClerk));
        expect([field.name, [...new Set(codes(result))]]).toEqual([field.name, ['BAD_USER_INPUT']]);
      }
    });
  });

  it('refuses the admin-only mutations to the clerk of any body, before any argument is read', async () => {
    const admins = mutations.filter(adminOnly);
    expect(admins.length).toBeGreaterThan(0);
    await unchanged(async () => {
      for (const field of admins) {
        const result = await sendText(operationOf(field), junkVariables(field), bearer(ownClerk));
        expect([field.name, codes(result)]).toEqual([field.name, ['FORBIDDEN']]);
      }
    });
  });
});

function adminOnly(field: Field): boolean {
  return writeTargetOf(field)?.type === 'Admin';
}

/** Arguments each mutation accepts, from which one text at a time is spoilt. */
const valid = (): Record<string, Record<string, unknown>> => ({
  scheduleSession: {
    input: {
      bodyId: mine.bodyGid,
      termNumber: 9,
      title: 'Sesja',
      scheduledAt: '2031-04-01T18:00:00+02:00',
      venue: { name: 'Sala obrad', address: 'ul. Testowa 1' },
      description: 'Opis',
    },
  },
  updateSession: {
    input: { id: mine.sessionId, title: 'Sesja', venue: { name: 'Sala', address: 'ul. 1' }, description: 'Opis' },
  },
  cancelSession: { id: mine.sessionId, reason: 'Brak kworum' },
  addAgendaItem: { input: { sessionId: mine.sessionId, title: 'Punkt', description: 'Opis', presenter: 'Zarząd' } },
  updateAgendaItem: { input: { id: mine.itemId, title: 'Punkt', description: 'Opis', presenter: 'Zarząd' } },
  inviteGuest: { input: { sessionId: mine.sessionId, fullName: 'Gość', affiliation: 'Urząd Miasta' } },
  recordAttendance: {
    input: { sessionId: mine.sessionId, seatId: mine.seatId, status: 'PRESENT', deputy: { fullName: 'Zastępca' } },
  },
  openVote: { input: { sessionId: mine.sessionId, subject: 'Wniosek w sprawie budżetu' } },
  annulVote: { id: mine.voteId, reason: 'Błąd w liczeniu głosów' },
  createWebhookEndpoint: { url: 'https://example.org/hooks', eventTypes: ['VOTE_CLOSED'], bodyIds: [mine.bodyGid] },
});

/** The paths of every String argument (ids excepted) of a mutation, from the schema. */
function textPaths(field: Field): string[] {
  const paths: string[] = [];
  const walk = (type: GraphQLInputType, path: string): void => {
    const named = getNamedType(type);
    if (isInputObjectType(named)) {
      for (const inner of Object.values(named.getFields())) walk(inner.type, `${path}.${inner.name}`);
    } else if (named.name === 'String') {
      paths.push(path);
    }
  };
  for (const arg of field.args) walk(arg.type, arg.name);
  return paths;
}

describe('text input', () => {
  const BAD: [string, string, RegExp][] = [
    ['a lone surrogate', 'x\ud800y', /lone surrogate U\+D800/],
    ['a NUL', 'x\u0000y', /NUL character/],
    ['a control character', 'x\u001by', /control character U\+001B/],
    ['a bidirectional override', 'Uchwała \u202Enr 1', /bidirectional control U\+202E/],
  ];

  it('refuses, in every text of every mutation, what the rules refuse, naming the field; nothing changes', async () => {
    const table = valid();
    await unchanged(async () => {
      for (const field of mutations) {
        const paths = textPaths(field);
        if (paths.length === 0) continue;
        expect([field.name, table[field.name] !== undefined]).toEqual([field.name, true]);
        for (const path of paths) {
          for (const [, text, problem] of BAD) {
            const variables = structuredClone(table[field.name]!);
            setAt(variables, path, text);
            const result = await sendText(operationOf(field), variables, bearer(admin));
            expect([field.name, path, codes(result)]).toEqual([field.name, path, ['BAD_USER_INPUT']]);
            expect(result.errors![0]!.message).toMatch(new RegExp(`^${path.replace(/\./g, '\\.')} `));
            expect(result.errors![0]!.message).toMatch(problem);
            expect(result.errors![0]!.extensions!.argumentName).toBe(path);
          }
        }
      }
    });
  });

  it('refuses a required text of only zero-width characters, and an optional one', async () => {
    const field = mutations.find((candidate) => candidate.name === 'addAgendaItem')!;
    await unchanged(async () => {
      const title = await sendText(
        operationOf(field),
        { input: { sessionId: mine.sessionId, title: '\u200B\u200D\uFEFF ' } },
        bearer(admin),
      );
      expect(codes(title)).toEqual(['BAD_USER_INPUT']);
      expect(title.errors![0]!.message).toMatch(/input\.title must not be made only of invisible characters/);
      const presenter = await sendText(
        operationOf(field),
        { input: { sessionId: mine.sessionId, title: 'Punkt', presenter: '\u2060\u200B' } },
        bearer(admin),
      );
      expect(presenter.errors![0]!.message).toMatch(/input\.presenter must not be made only of invisible/);
    });
  });

  it('keeps the text people write: Polish, other scripts, emoji, line breaks', async () => {
    const field = mutations.find((candidate) => candidate.name === 'addAgendaItem')!;
    const text = 'Zażółć gęślą jaźń — עברית 東京 🏛️\nDrugi wiersz\twcięty';
    const result = await sendText(
      `${operationOf(field).replace('{ __typename }', '{ title description }')}`,
      { input: { sessionId: mine.sessionId, title: 'Punkt z opisem', description: text } },
      bearer(admin),
    );
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ addAgendaItem: { title: 'Punkt z opisem', description: text } });
  });
});

describe('dates that do not exist', () => {
  it('refuses 30 February and 24:00 as BAD_USER_INPUT, storing nothing', async () => {
    const schedule = mutations.find((candidate) => candidate.name === 'scheduleSession')!;
    const update = mutations.find((candidate) => candidate.name === 'updateSession')!;
    await unchanged(async () => {
      for (const scheduledAt of ['2026-02-30T18:00:00+01:00', '2027-02-29T10:00:00Z', '2026-05-05T24:00:00+02:00']) {
        const input = { ...(valid().scheduleSession!.input as object), scheduledAt };
        const scheduled = await sendText(operationOf(schedule), { input }, bearer(admin));
        expect([scheduledAt, codes(scheduled)]).toEqual([scheduledAt, ['BAD_USER_INPUT']]);
        expect(scheduled.errors![0]!.message).toMatch(/is not a real date and time/);
        const updated = await sendText(
          operationOf(update),
          { input: { id: mine.sessionId, scheduledAt } },
          bearer(admin),
        );
        expect([scheduledAt, codes(updated)]).toEqual([scheduledAt, ['BAD_USER_INPUT']]);
      }
    });
  });
});
