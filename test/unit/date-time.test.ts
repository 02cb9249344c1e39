import { parseDateTime } from '../../src/schema/scalars';

const refused = (value: unknown): string => {
  try {
    parseDateTime(value);
  } catch (error) {
    expect((error as { extensions: { code: string } }).extensions.code).toBe('BAD_USER_INPUT');
    return (error as Error).message;
  }
  throw new Error(`${String(value)} was accepted`);
};

describe('DateTime input', () => {
  it.each([
    ['2026-02-30T18:00:00+01:00', /February 2026 has no day 30/],
    ['2025-02-29T18:00:00+01:00', /February 2025 has no day 29/],
    ['2026-04-31T10:00:00Z', /April 2026 has no day 31/],
    ['2026-13-01T10:00:00Z', /no month 13/],
    ['2026-00-10T10:00:00Z', /no month 0/],
    ['2026-01-00T10:00:00Z', /has no day 0/],
    ['2026-01-10T24:00:00Z', /24:00:00 is not a time of day/],
    ['2026-01-10T23:60Z', /23:60 is not a time of day/],
    ['2026-01-10T23:59:60Z', /is not a time of day/],
    ['2026-01-10T12:00:00+19:00', /offset/],
    ['2026-01-10T12:00:00+01:75', /offset/],
  ])('refuses %s, which does not exist, naming why', (value, why) => {
    expect(refused(value)).toMatch(why);
  });

  it('refuses what is not an ISO-8601 date and time with an offset', () => {
    for (const value of ['2026-01-10T12:00:00', '2026-01-10', 'jutro', 1234, null]) {
      expect(refused(value)).toMatch(/must be an ISO-8601 date and time with an offset/);
    }
  });

  it.each([
    ['2024-02-29T18:00:00+01:00', '2024-02-29T17:00:00.000Z'],
    ['2000-02-29T00:00:00Z', '2000-02-29T00:00:00.000Z'],
    ['2026-12-31T23:59:59.999+01:00', '2026-12-31T22:59:59.999Z'],
    ['2026-03-29T02:30:00+02:00', '2026-03-29T00:30:00.000Z'],
    ['0099-01-31T00:00Z', '0099-01-31T00:00:00.000Z'],
  ])('reads %s as the instant it names', (value, instant) => {
    expect(parseDateTime(value).toISOString()).toBe(instant);
  });
});
