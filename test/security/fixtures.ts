import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { createClient } from 'graphql-ws';
import type { Client } from 'graphql-ws';
import WebSocket from 'ws';
import { signToken } from '../../src/auth/tokens';
import type { Role } from '../../src/auth/tokens';
import { fromGlobalId, toGlobalId } from '../../src/schema/global-id';
import { SecurityScheduleSessionDocument } from '../generated/graphql';
import { post } from '../support/graphql';
import type { GraphQLResponse } from '../support/graphql';
import type { TestServer } from '../support/test-server';

/**
 * What the security suites share: tokens, SQL against the server's own
 * database, a fingerprint of every table, a raw graphql-transport-ws socket
 * for protocol-level checks, and a person with contact details who holds a
 * seat.
 */

/** The HS256 secret the suites' servers are started with (AUTH_SECRET). */
export const SECRET = 'security-suite-secret-'.padEnd(48, 'x');
/** Another secret, for forged tokens. */
export const OTHER_SECRET = 'somebody-elses-secret-'.padEnd(48, 'y');

export const encode = (secret: string): Uint8Array => new TextEncoder().encode(secret);

export function token(
  role: Role,
  options: { bodyIds?: readonly string[]; ttlSeconds?: number; subject?: string; secret?: string } = {},
): Promise<string> {
  return signToken(encode(options.secret ?? SECRET), {
    role,
    subject: options.subject ?? (role === 'ADMIN' ? 'admin-of-the-suite' : 'clerk-of-the-suite'),
    bodyIds: options.bodyIds,
    ttlSeconds: options.ttlSeconds ?? 600,
  });
}

export const bearer = (value: string): Record<string, string> => ({ authorization: `Bearer ${value}` });

export const gid = toGlobalId;

/** The database key behind a global id. */
export const keyOf = (id: string): number => fromGlobalId(id, 'id').key;

export async function sql<T = Record<string, unknown>>(
  server: TestServer,
  text: string,
  params: unknown[] = [],
): Promise<T[]> {
  return (await server.server.database.dataSource.query(text, params)) as T[];
}

const TABLES = [
  'district',
  'body',
  'term',
  'seat',
  'person',
  'mandate',
  'session',
  'agenda_item',
  'attendance_record',
  'session_event',
] as const;

/**
 * Every row of every table, hashed: row counts, the sums of the version and
 * last_sequence columns for a readable diff, and an md5 of each table's rows
 * in id order, so any change anywhere shows.
 */
export async function fingerprint(server: TestServer): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const table of TABLES) {
    const [row] = await sql<{ rows: number; digest: string }>(
      server,
      `SELECT count(*)::int AS rows, md5(coalesce(string_agg(t::text, '|' ORDER BY t.id), '')) AS digest FROM "${table}" t`,
    );
    result[table] = `${row!.rows} rows, ${row!.digest}`;
  }
  const [sums] = await sql<{ versions: string; sequences: string; events: string }>(
    server,
    `SELECT (SELECT coalesce(sum(version), 0) FROM agenda_item) + (SELECT coalesce(sum(version), 0) FROM attendance_record) AS versions,
            (SELECT coalesce(sum(last_sequence), 0) FROM session) AS sequences,
            (SELECT coalesce(max(id), 0) FROM session_event) AS events`,
  );
  result.sums = `versions ${sums!.versions}, last_sequence ${sums!.sequences}, max event ${sums!.events}`;
  const [tables] = await sql<{ names: string }>(
    server,
    `SELECT string_agg(tablename, ',' ORDER BY tablename) AS names FROM pg_tables WHERE schemaname = 'public'`,
  );
  result.tables = tables!.names;
  return result;
}

/** Runs an attack and checks that every table is exactly as it was. */
export async function unchangedBy<T>(server: TestServer, attack: () => Promise<T>): Promise<T> {
  const before = await fingerprint(server);
  const outcome = await attack();
  expect(await fingerprint(server)).toEqual(before);
  return outcome;
}

/** Waits until `condition` holds, checking every 20 ms; fails naming what it waited for. */
export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A message of the graphql-transport-ws protocol, as received. */
export interface WsMessage {
  readonly type: string;
  readonly id?: string;
  readonly payload?: unknown;
}

/**
 * A WebSocket speaking graphql-transport-ws by hand, for what the graphql-ws
 * client would never send: bad JSON, a second init, a duplicate id.
 */
export class RawSocket {
  readonly ws: WebSocket;
  readonly received: WsMessage[] = [];
  /** Resolves with the close code and reason, whoever closed. */
  readonly closed: Promise<{ code: number; reason: string }>;
  /** Resolves once open; rejects with the HTTP status if the upgrade is refused. */
  readonly opened: Promise<void>;

  constructor(url: string, protocol = 'graphql-transport-ws', headers: Record<string, string> = {}) {
    this.ws = new WebSocket(url, protocol, { headers });
    this.ws.on('message', (data: WebSocket.RawData) => {
      this.received.push(JSON.parse(String(data)) as WsMessage);
    });
    this.closed = new Promise((resolve) => {
      this.ws.on('close', (code: number, reason: Buffer) => resolve({ code, reason: reason.toString() }));
    });
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => reject(new UpgradeRefused(res.statusCode ?? 0, body)));
      });
      this.ws.once('error', reject);
    });
    // A refused upgrade also emits 'error'; the promises above report it.
    this.ws.on('error', () => {});
  }

  static async open(url: string, headers: Record<string, string> = {}): Promise<RawSocket> {
    const socket = new RawSocket(url, 'graphql-transport-ws', headers);
    await socket.opened;
    return socket;
  }

  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** connection_init, then waits for connection_ack. */
  async init(payload?: Record<string, unknown>): Promise<void> {
    this.send({ type: 'connection_init', ...(payload ? { payload } : {}) });
    await this.next((message) => message.type === 'connection_ack', 'connection_ack');
  }

  subscribe(id: string, query: string, variables?: Record<string, unknown>): void {
    this.send({ type: 'subscribe', id, payload: { query, variables } });
  }

  /** The first received message matching `match` (already received, or the next to arrive). */
  async next(match: (message: WsMessage) => boolean, what: string, timeoutMs = 10_000): Promise<WsMessage> {
    let found: WsMessage | undefined;
    await waitFor(
      () => {
        found = this.received.find(match);
        return found !== undefined || this.ws.readyState === WebSocket.CLOSED;
      },
      what,
      timeoutMs,
    );
    if (!found) throw new Error(`the socket closed before ${what} arrived`);
    return found;
  }

  close(): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close();
  }
}

export class UpgradeRefused extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`upgrade refused with HTTP ${status}: ${body}`);
  }
}

/** A graphql-ws client as an application would use it, optionally with a token. */
export function wsClient(server: TestServer, bearerToken?: string): Client {
  return createClient({
    url: server.wsUrl,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: true,
    connectionParams: bearerToken ? { authorization: `Bearer ${bearerToken}` } : undefined,
  });
}

/** Collects what a subscription delivers, for assertions once a condition holds. */
export interface Collected<T> {
  readonly results: GraphQLResponse<T>[];
  readonly errors: unknown[];
  completed: boolean;
  stop(): void;
}

export function collect<TData, TVariables extends Record<string, unknown>>(
  client: Client,
  document: TypedDocumentNode<TData, TVariables>,
  variables: TVariables,
): Collected<TData> {
  const collected: Collected<TData> = { results: [], errors: [], completed: false, stop: () => {} };
  const stop = client.subscribe<TData>(
    { query: print(document), variables },
    {
      next: (result) => collected.results.push(result as GraphQLResponse<TData>),
      error: (error) => collected.errors.push(error),
      complete: () => (collected.completed = true),
    },
  );
  collected.stop = stop;
  return collected;
}

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

/** Schedules a session of a body in term IX with an admin's token; its id. */
export async function scheduleSession(
  server: TestServer,
  adminToken: string,
  bodyGid: string,
  title = 'Sesja testowa',
): Promise<string> {
  const result = await post(
    server.url,
    SecurityScheduleSessionDocument,
    { input: { bodyId: bodyGid, termNumber: 9, title, scheduledAt: '2031-03-05T18:00:00+01:00' } },
    bearer(adminToken),
  );
  if (!result.data?.scheduleSession) throw new Error(`scheduleSession failed: ${JSON.stringify(result.errors)}`);
  return result.data.scheduleSession.id;
}
