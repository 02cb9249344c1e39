import { BadUserInputError } from '../errors';
import { MAX_KEY } from './global-id';

/** Page sizes: 20 unless asked, never more than 100, so one request cannot pull a whole table. */
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export function pageSize(
  first: number | null | undefined,
  argumentName = 'first',
  max = MAX_PAGE_SIZE,
  fallback = DEFAULT_PAGE_SIZE,
): number {
  if (first === null || first === undefined) return fallback;
  if (!Number.isInteger(first) || first < 0 || first > max) {
    throw new BadUserInputError(argumentName, `${argumentName} must be between 0 and ${max}; got ${first}.`);
  }
  return first;
}

/**
 * Cursors are keyset positions (the sort key and the id of the last row
 * seen), so they stay valid while rows are added. They are opaque to clients:
 * base64url of JSON, checked on the way back in.
 */
export function encodeCursor(kind: string, key: string | number, id: number): string {
  return Buffer.from(JSON.stringify([kind, key, id]), 'utf8').toString('base64url');
}

export function decodeCursor(
  cursor: string,
  kind: string,
  argumentName = 'after',
): { key: string | number; id: number } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 3 ||
    parsed[0] !== kind ||
    !((typeof parsed[1] === 'string' && !parsed[1].includes('\u0000')) || Number.isFinite(parsed[1])) ||
    // Ids are PostgreSQL integers; anything else was never issued, and would fail in the database.
    !(Number.isInteger(parsed[2]) && parsed[2] >= 1 && parsed[2] <= MAX_KEY)
  ) {
    throw new BadUserInputError(
      argumentName,
      `${argumentName}: not a cursor of this list; use an endCursor this list returned.`,
    );
  }
  return { key: parsed[1], id: parsed[2] };
}

/** The pageInfo of a page of `edges`, read after the cursor `after`; `hasNextPage` from a row read past the page. */
export function pageInfoOf(
  edges: readonly { cursor: string }[],
  hasNextPage: boolean,
  after: string | null | undefined,
): { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null } {
  return {
    hasNextPage,
    hasPreviousPage: Boolean(after),
    startCursor: edges[0]?.cursor ?? null,
    endCursor: edges[edges.length - 1]?.cursor ?? null,
  };
}
