import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import {
  Kind,
  OperationTypeNode,
  TypeInfo,
  execute,
  getNamedType,
  isCompositeType,
  parse,
  print,
  validate,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import type {
  ASTNode,
  DefinitionNode,
  DirectiveNode,
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  GraphQLSchema,
  OperationDefinitionNode,
  SelectionNode,
  SelectionSetNode,
} from 'graphql';
import { createApp } from '../../src/app';
import type { App } from '../../src/app';
import { loadConfig } from '../../src/config';
import { seedDemoData } from '../../src/db/seed/demo-data';
import { createLogger } from '../../src/logger';
import { buildObradySchema } from '../../src/schema/build-schema';
import { toGlobalId } from '../../src/schema/global-id';
import { encodeChangeCursor } from '../../src/schema/change-cursor';
import { encodeCursor } from '../../src/schema/pagination';
import {
  AddAgendaItemDocument,
  CastBallotDocument,
  CloseVoteDocument,
  GrantFloorDocument,
  OpenSessionDocument,
  OpenVoteDocument,
  RecordAttendanceDocument,
  RequestFloorDocument,
  StartAgendaItemDocument,
} from '../generated/graphql';
import {
  SECRET,
  bearer,
  councilOf,
  createSeatHolder,
  gid,
  keyOf,
  query,
  scheduleSession,
  sql,
  startTestServer,
  token,
  metricValue,
} from '../support';
import type { TestServer } from '../support';

/**
 * No answer changes, whatever path computes it: every query under
 * test/operations (found here, so a new one is covered without a word) and the
 * README's example queries, each as written and in variations that must not
 * change the answer (the selection through named fragments, through inline
 * fragments, every field aliased, fields left in or out by @include/@skip),
 * is asked over HTTP of a server with the public read cache (computed, then
 * from the cache), of one without it, and executed by plain graphql-js on the
 * schema buildObradySchema() builds with a context made as the server makes
 * it. The answers must be the same bytes: what the server sends is compared
 * with JSON.stringify({ errors, data }) of graphql-js's result, with nothing
 * normalised but the newline Apollo writes after the body.
 */

const OPERATIONS = path.join(__dirname, '..', 'operations');
const README = path.join(__dirname, '..', '..', 'README.md');

/** The servers' limits on what one operation may ask are for attackers; these variations alias and direct every field. */
const ROOMY_LIMITS = {
  MAX_ALIASES: '1000',
  MAX_DIRECTIVES: '1000',
  MAX_TOKENS: '100000',
  MAX_DEPTH: '100',
  MAX_COST: '10000000',
  MAX_ROWS: '10000000',
  MAX_LOG_BYTES: String(1024 * 1024 * 1024),
  HTTP_RATE_LIMIT: '10000000',
  // Every second ask reads the counters before and after.
  METRICS_RATE_LIMIT: '10000000',
};

interface Case {
  /** Where the operation comes from: `file.graphql Name` or `README.md block N`. */
  readonly source: string;
  /** The operation and every fragment it uses, as one document. */
  readonly document: DocumentNode;
}

// ---------------------------------------------------------------------------------------------------------------
// The operations, found and parsed

/** Every query of test/operations (with the fragments it spreads, from any file), and the README's queries. */
function discoverCases(): Case[] {
  const files = readdirSync(OPERATIONS)
    .filter((name) => name.endsWith('.graphql'))
    .sort();
  const definitions = files.flatMap((file) =>
    parse(readFileSync(path.join(OPERATIONS, file), 'utf8')).definitions.map((definition) => ({ file, definition })),
  );
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const { definition } of definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const cases: Case[] = [];
  for (const { file, definition } of definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION || definition.operation !== OperationTypeNode.QUERY) continue;
    cases.push({
      source: `${file} ${definition.name?.value ?? '(anonymous)'}`,
      document: withFragments(definition, fragments),
    });
  }
  const blocks = [...readFileSync(README, 'utf8').matchAll(/```graphql\n([\s\S]*?)```/g)].map((match) => match[1]!);
  blocks.forEach((block, index) => {
    const document = parse(block);
    const readmeFragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) readmeFragments.set(definition.name.value, definition);
    }
    const queries = document.definitions.filter(
      (definition): definition is OperationDefinitionNode =>
        definition.kind === Kind.OPERATION_DEFINITION && definition.operation === OperationTypeNode.QUERY,
    );
    queries.forEach((operation, n) => {
      cases.push({
        source: `README.md block ${index + 1}${queries.length > 1 ? ` query ${n + 1}` : ''}`,
        document: withFragments(operation, readmeFragments),
      });
    });
  });
  return cases;
}

/** A document of one operation and the fragments it spreads, directly or through other fragments. */
function withFragments(operation: OperationDefinitionNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>) {
  const used = new Map<string, FragmentDefinitionNode>();
  const collect = (node: ASTNode) => {
    visit(node, {
      FragmentSpread(spread) {
        const name = spread.name.value;
        if (used.has(name)) return;
        const fragment = fragments.get(name);
        if (!fragment) throw new Error(`${operation.name?.value ?? 'an operation'} spreads unknown fragment ${name}`);
        used.set(name, fragment);
        collect(fragment);
      },
    });
  };
  collect(operation);
  return { kind: Kind.DOCUMENT, definitions: [operation, ...used.values()] } satisfies DocumentNode;
}

// ---------------------------------------------------------------------------------------------------------------
// Variations: the same question asked differently

type Variation = (schema: GraphQLSchema, document: DocumentNode) => DocumentNode;

/** The selection set of each field (and the operation), with the name of the type it selects on. */
function rewriteSelectionSets(
  schema: GraphQLSchema,
  document: DocumentNode,
  rewrite: (selectionSet: SelectionSetNode, typeName: string) => SelectionSetNode,
): DocumentNode {
  const typeInfo = new TypeInfo(schema);
  return visit(
    document,
    visitWithTypeInfo(typeInfo, {
      SelectionSet: {
        leave(selectionSet) {
          // Inside a selection set, the parent type is the type it selects on.
          const type = typeInfo.getParentType();
          if (!type || !isCompositeType(type)) return undefined;
          return rewrite(selectionSet, type.name);
        },
      },
    }),
  );
}

/** Every selection set of the operations (not of the fragments already there) moved into a named fragment. */
const namedFragments: Variation = (schema, document) => {
  const added: FragmentDefinitionNode[] = [];
  const typeInfo = new TypeInfo(schema);
  const rewritten = document.definitions.map((definition): DefinitionNode => {
    if (definition.kind !== Kind.OPERATION_DEFINITION) return definition;
    return visit(
      definition,
      visitWithTypeInfo(typeInfo, {
        SelectionSet: {
          leave(selectionSet) {
            const type = typeInfo.getParentType();
            if (!type || !isCompositeType(type)) return undefined;
            const name = `Same${added.length}`;
            added.push({
              kind: Kind.FRAGMENT_DEFINITION,
              name: { kind: Kind.NAME, value: name },
              typeCondition: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: type.name } },
              selectionSet,
            });
            return {
              kind: Kind.SELECTION_SET,
              selections: [{ kind: Kind.FRAGMENT_SPREAD, name: { kind: Kind.NAME, value: name } }],
            } satisfies SelectionSetNode;
          },
        },
      }),
    );
  });
  return { kind: Kind.DOCUMENT, definitions: [...rewritten, ...added] };
};

/** Every selection set wrapped in an inline fragment on its own type. */
const inlineFragments: Variation = (schema, document) =>
  rewriteSelectionSets(schema, document, (selectionSet, typeName) => ({
    kind: Kind.SELECTION_SET,
    selections: [
      {
        kind: Kind.INLINE_FRAGMENT,
        typeCondition: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: typeName } },
        selectionSet,
      },
    ],
  }));

/** Every field under an alias of its own. */
const aliases: Variation = (_schema, document) =>
  visit(document, {
    Field(field) {
      return { ...field, alias: { kind: Kind.NAME, value: `as_${(field.alias ?? field.name).value}` } };
    },
  });

const directive = (name: 'include' | 'skip', value: boolean): DirectiveNode => ({
  kind: Kind.DIRECTIVE,
  name: { kind: Kind.NAME, value: name },
  arguments: [
    {
      kind: Kind.ARGUMENT,
      name: { kind: Kind.NAME, value: 'if' },
      value: { kind: Kind.BOOLEAN, value },
    },
  ],
});

/**
 * Fields in and out: in every selection set, the first field stays under
 * @include(if: true), the others by turns are dropped by @include(if: false),
 * dropped by @skip(if: true), kept by @skip(if: false), kept by @include(if: true).
 */
const includeAndSkip: Variation = (_schema, document) =>
  visit(document, {
    SelectionSet(selectionSet) {
      let index = 0;
      const selections = selectionSet.selections.map((selection): SelectionNode => {
        if (selection.kind !== Kind.FIELD) return selection;
        const turn = index++ % 5;
        const added =
          turn === 0
            ? directive('include', true)
            : turn === 1
              ? directive('include', false)
              : turn === 2
                ? directive('skip', true)
                : turn === 3
                  ? directive('skip', false)
                  : directive('include', true);
        return { ...selection, directives: [...(selection.directives ?? []), added] } satisfies FieldNode;
      });
      return { ...selectionSet, selections };
    },
  });

const VARIATIONS: Record<string, Variation> = {
  'as written': (_schema, document) => document,
  'through named fragments': namedFragments,
  'through inline fragments': inlineFragments,
  'with every field aliased': aliases,
  'with @include and @skip': includeAndSkip,
};

// ---------------------------------------------------------------------------------------------------------------
// Variables, from the database

/**
 * Where a variable is used: `Type.field(argument)`, or `Input.field` inside an
 * input object. A value is chosen by where it is used first, then by the
 * variable's name.
 */
function variableUses(schema: GraphQLSchema, document: DocumentNode): Map<string, string[]> {
  const uses = new Map<string, string[]>();
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Variable(variable, _key, parent, _path, ancestors) {
        const owner = [...ancestors, parent]
          .reverse()
          .find((node) => node !== undefined && !Array.isArray(node) && 'kind' in node) as ASTNode | undefined;
        let where: string | null = null;
        if (owner?.kind === Kind.OBJECT_FIELD) {
          const input = typeInfo.getParentInputType();
          where = input ? `${getNamedType(input).name}.${owner.name.value}` : null;
        } else if (owner?.kind === Kind.ARGUMENT) {
          where = `${typeInfo.getParentType()?.name}.${typeInfo.getFieldDef()?.name}(${owner.name.value})`;
        }
        if (where === null) return;
        uses.set(variable.name.value, [...(uses.get(variable.name.value) ?? []), where]);
      },
    }),
  );
  return uses;
}

function optionalVariables(document: DocumentNode): string[] {
  return document.definitions.flatMap((definition) =>
    definition.kind === Kind.OPERATION_DEFINITION
      ? (definition.variableDefinitions ?? [])
          .filter((variable) => variable.type.kind !== Kind.NON_NULL_TYPE)
          .map((variable) => variable.variable.name.value)
      : [],
  );
}

interface Values {
  readonly byUse: Record<string, unknown>;
  readonly byName: Record<string, unknown>;
}

function variablesOf(
  schema: GraphQLSchema,
  document: DocumentNode,
  values: Values,
  given: (name: string) => boolean,
): Record<string, unknown> {
  const operation = document.definitions.find(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  )!;
  const uses = variableUses(schema, document);
  const variables: Record<string, unknown> = {};
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    if (definition.type.kind !== Kind.NON_NULL_TYPE && !given(name)) continue;
    const use = (uses.get(name) ?? []).find((where) => where in values.byUse);
    if (use !== undefined) variables[name] = values.byUse[use];
    else if (name in values.byName) variables[name] = values.byName[name];
    else {
      throw new Error(
        `No value for $${name} of ${operation.name?.value ?? 'an operation'} (used at ${(uses.get(name) ?? []).join(', ')}): add one to the values in same-answers.test.ts`,
      );
    }
  }
  return variables;
}

/**
 * A meeting in progress, through the mutations, so its log has events of
 * every kind the questions read: agenda, attendance, the floor, a vote closed
 * with its named list and one still open. Its id.
 */
async function holdMeeting(server: TestServer, admin: string): Promise<string> {
  const council = await councilOf(server, 7);
  const as = bearer(admin);
  const sessionId = await scheduleSession(server, admin, council.bodyGid, 'Sesja, której odpowiedzi się nie zmieniają');
  const items = [];
  for (const title of ['Otwarcie sesji', 'Opinia w sprawie budżetu', 'Wolne wnioski']) {
    items.push((await query(server.url, AddAgendaItemDocument, { input: { sessionId, title } }, as)).addAgendaItem.id);
  }
  await query(server.url, OpenSessionDocument, { id: sessionId }, as);
  const present = council.seatIds.slice(0, Math.ceil(council.seatIds.length / 2) + 2);
  const records = [];
  for (const seatId of present) {
    const input = { sessionId, seatId: gid('Seat', seatId), status: 'PRESENT' as const };
    records.push((await query(server.url, RecordAttendanceDocument, { input }, as)).recordAttendance.id);
  }
  await query(server.url, StartAgendaItemDocument, { id: items[0]! }, as);
  const speech = await query(
    server.url,
    RequestFloorDocument,
    { input: { sessionId, attendanceRecordId: records[0]! } },
    as,
  );
  await query(server.url, GrantFloorDocument, { id: speech.requestFloor.id }, as);
  await query(server.url, RequestFloorDocument, { input: { sessionId, attendanceRecordId: records[1]! } }, as);
  for (const [subject, close] of [
    ['Przyjęcie porządku obrad', true],
    ['Przyjęcie opinii', false],
  ] as const) {
    const vote = (await query(server.url, OpenVoteDocument, { input: { sessionId, subject } }, as)).openVote.id;
    for (const [index, seatId] of present.entries()) {
      const option = index % 3 === 0 ? ('AGAINST' as const) : ('FOR' as const);
      await query(server.url, CastBallotDocument, { input: { voteId: vote, seatId: gid('Seat', seatId), option } }, as);
    }
    if (close) await query(server.url, CloseVoteDocument, { id: vote }, as);
  }
  return sessionId;
}

/** One real value per use: the meeting, and a demo data set (closed sessions with agenda, attendance, votes, speeches). */
async function valuesFrom(server: TestServer, sessionId: string): Promise<Values & { readonly bodyId: string }> {
  const one = async <T>(text: string, params: unknown[] = []): Promise<T> => {
    const rows = (await sql(server, text, params)) as T[];
    if (rows.length === 0) throw new Error(`the demo data has nothing for: ${text}`);
    return rows[0]!;
  };
  const session = await one<{ id: number; scheduled_at: Date; body_id: number }>(
    `SELECT id, scheduled_at, body_id FROM session WHERE id = $1`,
    [keyOf(sessionId)],
  );
  // The chair of a demo session, with mandates.
  const { chair_id: chairId } = await one<{ chair_id: number }>(
    `SELECT s.chair_id FROM session s
      WHERE s.chair_id IS NOT NULL AND EXISTS (SELECT 1 FROM vote v WHERE v.session_id = s.id)
      ORDER BY s.id LIMIT 1`,
  );
  const district = await one<{ id: number; number: number; slug: string }>(
    `SELECT d.id, d.number, d.slug FROM district d JOIN body b ON b.district_id = d.id WHERE b.id = $1`,
    [session.body_id],
  );
  const chair = await one<{ id: number; full_name: string }>(`SELECT id, full_name FROM person WHERE id = $1`, [
    chairId,
  ]);
  const contact = await one<{ id: number }>(
    `SELECT p.id FROM person p JOIN mandate m ON m.person_id = p.id
      WHERE p.email IS NOT NULL OR p.phone IS NOT NULL ORDER BY p.id LIMIT 1`,
  ).catch(() => chair);
  // A cursor inside the lists, so `after` leaves some rows before and some after.
  const person = await one<{ id: number; full_name: string }>(
    `SELECT id, full_name FROM person ORDER BY full_name, id OFFSET 3 LIMIT 1`,
  );
  // A place inside the change log's first entries (the record as it was before the log), which never move.
  const change = await one<{ xid: string; ordinal: string }>(
    `SELECT c.xid::text AS xid, c.ordinal::text AS ordinal FROM change_log c ORDER BY c.xid, c.ordinal OFFSET 10 LIMIT 1`,
  );
  const surname =
    chair.full_name
      .split(' ')
      .filter((word) => word.length >= 3)
      .pop() ?? chair.full_name;
  return {
    bodyId: toGlobalId('Body', session.body_id),
    byUse: {
      'Query.person(id)': toGlobalId('Person', contact.id),
      'Query.district(id)': toGlobalId('District', district.id),
      'Query.people(search)': surname,
      'Query.people(first)': 5,
      'Query.people(after)': encodeCursor('p', person.full_name, person.id),
      'Query.sessions(first)': 5,
      'Query.sessions(after)': encodeCursor('sd', new Date(session.scheduled_at).getTime(), session.id),
      'Session.events(after)': 2,
      'SessionFilter.search': 'Sesja',
      // Admins only: an endpoint that does not exist gives every caller the same (empty or refused) answer.
      'Query.webhookDeliveries(endpointId)': toGlobalId('WebhookEndpoint', 1),
      'Query.webhookDeliveries(status)': 'PENDING',
      'Query.search(query)': 'posiedzenie dzielnic',
      'Query.search(types)': ['SESSION', 'AGENDA_ITEM', 'PERSON'],
      'Query.search(after)': encodeCursor('search', '1:0.1', session.id),
      'SessionFilter.updatedSince': '2000-01-01T00:00:00.000Z',
      'Query.changes(after)': encodeChangeCursor(change),
    },
    byName: {
      id: sessionId,
      sessionId,
      districtNumber: district.number,
      number: district.number,
      slug: district.slug,
      kind: 'DISTRICT_COUNCIL',
      search: surname,
      first: 5,
      termNumber: 9,
      term: 9,
      body: toGlobalId('Body', session.body_id),
      groupBy: 'BODY',
      bodyId: toGlobalId('Body', session.body_id),
      personId: toGlobalId('Person', chair.id),
      attendanceAfter: null,
      ballotsAfter: null,
      orderBy: 'SCHEDULED_AT_DESC',
      filter: { bodyId: toGlobalId('Body', session.body_id), status: ['CLOSED', 'SCHEDULED'] },
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The servers and the plain execution

let cached: TestServer;
let uncached: TestServer;
let app: App;
let schema: GraphQLSchema;
let values: Values & { readonly bodyId: string };
let callers: { readonly name: string; readonly token: string | null }[];

beforeAll(async () => {
  cached = await startTestServer({ env: ROOMY_LIMITS });
  await seedDemoData(cached.server.database.dataSource, 40);
  uncached = await startTestServer({ env: { ...ROOMY_LIMITS, READ_CACHE_BYTES: '0' }, database: cached.database });
  const config = loadConfig({ LOG_LEVEL: 'silent', AUTH_SECRET: SECRET, DATABASE_URL: cached.database.url });
  // The context as the server makes it, on the same database; the schema as buildObradySchema() builds it.
  app = await createApp(config, cached.server.database, createLogger(config));
  schema = await buildObradySchema(config.timeZone);
  const admin = await token('ADMIN');
  await createSeatHolder(cached, 7);
  values = await valuesFrom(cached, await holdMeeting(cached, admin));
  callers = [
    { name: 'anonymous', token: null },
    { name: 'a clerk', token: await token('CLERK', { bodyIds: [values.bodyId] }) },
    { name: 'an admin', token: admin },
  ];
});

afterAll(async () => {
  await app?.stop();
  await uncached?.stop();
  await cached?.stop();
});

const hits = (server: TestServer) => metricValue(server, 'obrady_read_cache_hits_total');
const computations = (server: TestServer) => metricValue(server, 'obrady_read_cache_computations_total');
const planned = (server: TestServer) => metricValue(server, 'obrady_planned_reads_total{outcome="planned"}');

/** What the server sends, as text, without the newline Apollo writes after the body. */
async function served(server: TestServer, body: string, bearerToken: string | null): Promise<string> {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json',
      ...(bearerToken ? bearer(bearerToken) : {}),
    },
    body,
  });
  const text = await response.text();
  return text.endsWith('\n') ? text.slice(0, -1) : text;
}

/** graphql-js's answer, as the server would write it: errors (if any) first, as Apollo orders them. */
async function executed(
  document: DocumentNode,
  variables: Record<string, unknown>,
  bearerToken: string | null,
): Promise<string> {
  const caller = await app.verifier.callerOf(bearerToken ? `Bearer ${bearerToken}` : undefined);
  const result = await execute({ schema, document, variableValues: variables, contextValue: app.contextFor(caller) });
  return JSON.stringify({ errors: result.errors, data: result.data });
}

const cases = discoverCases();

test('the operations are found: every query of test/operations and of the README', () => {
  const names = cases.map((c) => c.source);
  expect(names).toEqual(expect.arrayContaining(['sessions.graphql Sessions', 'reference.graphql SessionDetail']));
  expect(names.filter((name) => name.startsWith('README.md'))).toHaveLength(6);
  expect(cases.length).toBeGreaterThan(20);
});

describe.each(cases.map((c) => [c.source, c] as const))('%s', (source, { document: original }) => {
  test.each(Object.keys(VARIATIONS))(
    '%s: the same bytes from the cached server (computed and cached), the uncached one and graphql-js',
    async (variationName) => {
      // Parsed again from the text sent, so the locations of errors are the same on both sides.
      const text = print(VARIATIONS[variationName]!(schema, original));
      const document = parse(text);
      expect(validate(schema, document)).toEqual([]);
      const asked = new Set<string>();
      // Every variable; only the required ones; the required ones and one optional one, for each.
      const optional = optionalVariables(document);
      const passes: ((name: string) => boolean)[] = [
        () => true,
        () => false,
        ...optional.map((one) => (name: string) => name === one),
      ];
      for (const given of passes) {
        const variables = variablesOf(schema, document, values, given);
        const body = JSON.stringify({ query: text, variables });
        // Without optional variables, an operation that has none asks the same again: once is enough.
        if (asked.has(body)) continue;
        asked.add(body);
        for (const caller of callers) {
          const expected = await executed(document, variables, caller.token);
          const what = `${variationName}, ${caller.name}, variables ${JSON.stringify(variables)}`;
          expect({ what, answer: await served(cached, body, caller.token) }).toEqual({ what, answer: expected });
          if (caller.token === null) {
            // Asked again, the same bytes: now from the cache, if the answer could be kept — each ask is either a
            // hit or a computation. Searches, statistics and a person's history read what the cache cannot
            // account for (src/cache/read-scope.ts) and may be computed every time, and so do the change log and
            // lists of sessions by updatedAt; everything else is a hit.
            const [hitsThen, computedThen] = [await hits(cached), await computations(cached)];
            expect({ what, cached: await served(cached, body, null) }).toEqual({ what, cached: expected });
            const [hit, computed] = [(await hits(cached)) - hitsThen, (await computations(cached)) - computedThen];
            expect({ what, asks: hit + computed }).toEqual({ what, asks: 1 });
            const mayBeComputed =
              expected.startsWith('{"errors"') ||
              /\bpeople\s*(\(|\{)|\battendanceStats\b|\b(attendance|ballots|search)\s*\(/.test(text) ||
              // The change log, and lists by updatedAt, which every write inside a session moves.
              /\bchanges\s*(\(|\{)|\bupdatedSince\b|\bUPDATED_AT_ASC\b/.test(text) ||
              /"search":"/.test(JSON.stringify(variables));
            if (!mayBeComputed) expect({ what, hit }).toEqual({ what, hit: 1 });
            hitsSeen += hit;
          }
          expect({ what, uncached: await served(uncached, body, caller.token) }).toEqual({ what, uncached: expected });
          if (caller.token === null) {
            // Asked again of the server without the cache: the document is known now, so a query whose every field
            // a plan covers (src/plans/) is answered by its one statement, not by the resolvers.
            const plannedThen = await planned(uncached);
            expect({ what, planned: await served(uncached, body, null) }).toEqual({ what, planned: expected });
            const plannedNow = (await planned(uncached)) - plannedThen;
            plannedSeen += plannedNow;
            // The bench's reads and the one that covers every planned field are planned, whatever the variation
            // (but @include/@skip on a variable, which a plan leaves to the resolvers).
            if (source.startsWith('computed.graphql') && !/@(include|skip)\(if: \$/.test(text)) {
              expect({ what, plannedNow }).toEqual({ what, plannedNow: 1 });
            }
          }
        }
      }
    },
  );
});

let hitsSeen = 0;
let plannedSeen = 0;
afterAll(() => {
  // The cached path was exercised, not only the computed one; and so were the plans.
  expect(hitsSeen).toBeGreaterThan(100);
  expect(plannedSeen).toBeGreaterThan(50);
});
