import { BadUserInputError } from '../errors';

/**
 * Opaque global ids (Relay's Node convention): base64url of "Type:key". They
 * let `node(id)` find any object, and keep clients off our primary keys.
 */
export type NodeTypeName =
  | 'District'
  | 'Term'
  | 'Body'
  | 'Seat'
  | 'Person'
  | 'Session'
  | 'AgendaItem'
  | 'AttendanceRecord'
  | 'Vote'
  | 'SpeechRequest';

/** Ids of objects only admins see, which node(id) does not fetch. */
export type GlobalTypeName = NodeTypeName | 'WebhookEndpoint' | 'WebhookDelivery';

const KNOWN_TYPES: ReadonlySet<string> = new Set<GlobalTypeName>([
  'District',
  'Term',
  'Body',
  'Seat',
  'Person',
  'Session',
  'AgendaItem',
  'AttendanceRecord',
  'Vote',
  'SpeechRequest',
  'WebhookEndpoint',
  'WebhookDelivery',
]);

/** The largest key of a SERIAL column (PostgreSQL integer). */
export const MAX_KEY = 2_147_483_647;

export function toGlobalId(type: GlobalTypeName, key: number): string {
  return Buffer.from(`${type}:${key}`, 'utf8').toString('base64url');
}

export interface DecodedId {
  readonly type: GlobalTypeName;
  readonly key: number;
}

/** Decodes any global id; a malformed one is the caller's mistake, named by the argument it came in. */
export function fromGlobalId(id: string, argumentName: string): DecodedId {
  const decoded = /^[A-Za-z0-9_-]{1,64}$/.test(id) ? Buffer.from(id, 'base64url').toString('utf8') : '';
  const match = /^([A-Za-z]+):([1-9]\d{0,9})$/.exec(decoded);
  // Keys are PostgreSQL integers: a larger one was never issued, and would fail in the database.
  if (!match || !KNOWN_TYPES.has(match[1]!) || Number(match[2]) > MAX_KEY) {
    throw new BadUserInputError(argumentName, `${argumentName}: "${id.slice(0, 64)}" is not a valid id.`);
  }
  return { type: match[1] as GlobalTypeName, key: Number(match[2]) };
}

/**
 * The key of an id that must name a given type. An id of another type cannot
 * name a row of this one: the answer is null (an unknown id), not an error.
 */
export function keyOf(id: string, type: GlobalTypeName, argumentName: string): number | null {
  const decoded = fromGlobalId(id, argumentName);
  return decoded.type === type ? decoded.key : null;
}

/** Like keyOf, for inputs where naming another type is the caller's mistake. */
export function requireKeyOf(id: string, type: GlobalTypeName, argumentName: string): number {
  const key = keyOf(id, type, argumentName);
  if (key === null) throw new BadUserInputError(argumentName, `${argumentName}: expected the id of a ${type}.`);
  return key;
}
