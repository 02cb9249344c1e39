import { decodeChangeCursor, encodeChangeCursor, LOG_START } from '../../src/schema/change-cursor';

const raw = (value: unknown): string => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

describe('cursors of Query.changes', () => {
  it('carry 64-bit transaction ids and ordinals exactly, beyond what a JSON number holds', () => {
    for (const position of [
      { xid: '1', ordinal: '1' },
      { xid: '18446744073709551615', ordinal: '9223372036854775807' },
      { xid: '9007199254740993', ordinal: '9007199254740995' },
    ]) {
      expect(decodeChangeCursor(encodeChangeCursor(position))).toEqual(position);
    }
  });

  it('are opaque: base64url, nothing a client would read as a number', () => {
    expect(encodeChangeCursor({ xid: '742', ordinal: '3' })).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('have one form for each place: leading zeros are dropped', () => {
    expect(decodeChangeCursor(raw(['ch', '0007', '010']))).toEqual({ xid: '7', ordinal: '10' });
  });

  it('start before every entry', () => {
    expect(LOG_START).toEqual({ xid: '0', ordinal: '0' });
  });

  it.each([
    ['not base64 JSON', 'not a cursor'],
    ['another list’s cursor', raw(['sd', 1, 1])],
    ['numbers instead of text', raw(['ch', 1, 1])],
    ['a negative ordinal', raw(['ch', '1', '-1'])],
    ['a transaction id past 64 bits', raw(['ch', '18446744073709551616', '1'])],
    ['an ordinal past a bigint', raw(['ch', '1', '9223372036854775808'])],
    ['a fraction', raw(['ch', '1.5', '1'])],
    ['extra parts', raw(['ch', '1', '1', '1'])],
  ])('refuse %s as BAD_USER_INPUT, naming the argument', (_what, cursor) => {
    expect(() => decodeChangeCursor(cursor)).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) }),
    );
    expect(() => decodeChangeCursor(cursor)).toThrow(/^after:/);
  });
});
