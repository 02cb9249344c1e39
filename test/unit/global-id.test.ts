import { fromGlobalId, keyOf, MAX_KEY, requireKeyOf, toGlobalId } from '../../src/schema/global-id';
import { decodeCursor, encodeCursor, MAX_PAGE_SIZE, pageSize } from '../../src/schema/pagination';

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');

/** Expects `run` to throw BAD_USER_INPUT naming `argumentName`, and returns the message. */
function refused(run: () => unknown, argumentName: string): string {
  try {
    run();
  } catch (error) {
    expect((error as { extensions?: unknown }).extensions).toEqual({ code: 'BAD_USER_INPUT', argumentName });
    return (error as Error).message;
  }
  throw new Error('not refused');
}

describe('global ids', () => {
  it('round-trips ids of any type, up to the largest key, as base64url of "Type:key"', () => {
    for (const type of ['District', 'Body', 'Session', 'AgendaItem', 'AttendanceRecord'] as const) {
      for (const key of [1, 42, MAX_KEY]) {
        const id = toGlobalId(type, key);
        expect(id).toBe(b64(`${type}:${key}`));
        expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
        expect(fromGlobalId(id, 'id')).toEqual({ type, key });
      }
    }
  });

  it.each([
    ['an empty string', ''],
    ['not base64url', 'Session:1'],
    ['an unknown type', b64('Table:1')],
    ['key 0', b64('Session:0')],
    ['a leading zero', b64('Session:01')],
    ['a negative key', b64('Session:-1')],
    ['a key beyond PostgreSQL integers', b64(`Session:${MAX_KEY + 1}`)],
    ['a fraction', b64('Session:1.5')],
    ['no key', b64('Session:')],
    ['too long', 'A'.repeat(65)],
  ])('refuses %s with BAD_USER_INPUT naming the argument', (_what, id) => {
    expect(refused(() => fromGlobalId(id, 'input.sessionId'), 'input.sessionId')).toMatch(
      /^input\.sessionId: ".*" is not a valid id\.$/,
    );
  });

  it('quotes at most 64 characters of what it refuses', () => {
    const message = refused(() => fromGlobalId('!'.repeat(10_000), 'id'), 'id');
    expect(message).toBe(`id: "${'!'.repeat(64)}" is not a valid id.`);
  });

  it('keyOf answers null for an id of another type; requireKeyOf refuses it', () => {
    const seat = toGlobalId('Seat', 7);
    expect(keyOf(seat, 'Seat', 'id')).toBe(7);
    expect(keyOf(seat, 'Session', 'id')).toBeNull();
    expect(requireKeyOf(seat, 'Seat', 'input.seatId')).toBe(7);
    expect(refused(() => requireKeyOf(seat, 'Session', 'input.sessionId'), 'input.sessionId')).toBe(
      'input.sessionId: expected the id of a Session.',
    );
  });
});

describe('page sizes', () => {
  it('is 20 unless asked, and what is asked within 0..100', () => {
    expect(pageSize(undefined)).toBe(20);
    expect(pageSize(null)).toBe(20);
    expect(pageSize(0)).toBe(0);
    expect(pageSize(MAX_PAGE_SIZE)).toBe(100);
    expect(pageSize(null, 'first', 1000, 50)).toBe(50);
    expect(pageSize(1000, 'first', 1000)).toBe(1000);
  });

  it.each([-1, 101, 1.5, Number.NaN])('refuses %p naming the argument', (first) => {
    expect(refused(() => pageSize(first, 'events.first'), 'events.first')).toBe(
      `events.first must be between 0 and 100; got ${first}.`,
    );
  });
});

describe('cursors', () => {
  it('round-trip a string or numeric sort key with the id', () => {
    expect(decodeCursor(encodeCursor('sessions', '2031-03-05T17:00:00.000Z', 12), 'sessions')).toEqual({
      key: '2031-03-05T17:00:00.000Z',
      id: 12,
    });
    expect(decodeCursor(encodeCursor('events', 3, MAX_KEY), 'events')).toEqual({ key: 3, id: MAX_KEY });
    expect(encodeCursor('events', 3, 1)).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it.each([
    ['a cursor of another list', encodeCursor('people', 'x', 1)],
    ['garbage', 'not-a-cursor'],
    ['JSON that is not a triple', b64(JSON.stringify(['sessions', 'x']))],
    ['an object', b64(JSON.stringify({ kind: 'sessions' }))],
    ['a NUL in the key', b64(JSON.stringify(['sessions', 'a\u0000b', 1]))],
    ['a key that is neither string nor number', b64(JSON.stringify(['sessions', null, 1]))],
    ['id 0', b64(JSON.stringify(['sessions', 'x', 0]))],
    ['a fractional id', b64(JSON.stringify(['sessions', 'x', 1.5]))],
    ['an id beyond PostgreSQL integers', b64(JSON.stringify(['sessions', 'x', MAX_KEY + 1]))],
  ])('refuse %s with BAD_USER_INPUT naming the argument', (_what, cursor) => {
    expect(refused(() => decodeCursor(cursor, 'sessions', 'after'), 'after')).toBe(
      'after: not a cursor of this list; use an endCursor this list returned.',
    );
  });
});
