import { BadUserInputError } from '../errors';

/** A place in the change log: the writing transaction (xid8, 64 bits) and the entry's ordinal in it, as text. */
export interface ChangePosition {
  readonly xid: string;
  readonly ordinal: string;
}

/** Before every entry: transaction ids and ordinals both start above 0. */
export const LOG_START: ChangePosition = { xid: '0', ordinal: '0' };

const KIND = 'ch';
const XID_MAX = 2n ** 64n - 1n;
const ORDINAL_MAX = 2n ** 63n - 1n;

/**
 * Cursors of Query.changes: opaque, like every cursor (base64url of JSON), but holding two 64-bit numbers as
 * decimal text, which neither JSON numbers nor the integer ids of other cursors can carry.
 */
export function encodeChangeCursor(position: ChangePosition): string {
  return Buffer.from(JSON.stringify([KIND, position.xid, position.ordinal]), 'utf8').toString('base64url');
}

export function decodeChangeCursor(cursor: string, argumentName = 'after'): ChangePosition {
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    // Not JSON: refused below, like any cursor this list never issued.
  }
  const inRange = (value: unknown, max: bigint): value is string =>
    typeof value === 'string' && /^\d{1,20}$/.test(value) && BigInt(value) <= max;
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 3 ||
    parsed[0] !== KIND ||
    !inRange(parsed[1], XID_MAX) ||
    !inRange(parsed[2], ORDINAL_MAX)
  ) {
    throw new BadUserInputError(
      argumentName,
      `${argumentName}: not a cursor of changes; use an endCursor it returned.`,
    );
  }
  // Leading zeros would name the same place twice: normalised, so a cursor has one form.
  return { xid: BigInt(parsed[1]).toString(), ordinal: BigInt(parsed[2]).toString() };
}
