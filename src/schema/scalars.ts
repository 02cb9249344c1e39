import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

/**
 * DateTime is written in the city's time zone with its offset
 * (2024-01-24T18:00:00+01:00), so that a person reads the local time as it
 * was announced; and read from any ISO-8601 string that carries an offset,
 * because a time without one is ambiguous.
 */
const ISO_WITH_OFFSET = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?(?:Z|[+-](\d{2}):(\d{2}))$/;

/**
 * Reads a DateTime. JavaScript's Date rolls impossible fields over
 * (30 February becomes 2 March, 24:00 the next day), so every field is
 * checked against the calendar first: a date that does not exist is the
 * caller's mistake, not another date.
 */
export function parseDateTime(value: unknown): Date {
  const match = typeof value === 'string' ? ISO_WITH_OFFSET.exec(value) : null;
  if (!match) {
    throw new GraphQLError(
      `DateTime must be an ISO-8601 date and time with an offset, e.g. 2024-01-24T18:00:00+01:00; got ${JSON.stringify(value)?.slice(0, 64)}.`,
      { extensions: { code: 'BAD_USER_INPUT' } },
    );
  }
  const [year, month, day, hour, minute, second = 0, offsetHours = 0, offsetMinutes = 0] = match
    .slice(1)
    .map((part) => (part === undefined ? undefined : Number(part)));
  const problem =
    month! < 1 || month! > 12
      ? `there is no month ${month}`
      : day! < 1 || day! > daysIn(year!, month!)
        ? `${monthNames[month! - 1]} ${year} has no day ${day}`
        : hour! > 23 || minute! > 59 || second! > 59
          ? `${match[4]}:${match[5]}${match[6] === undefined ? '' : `:${match[6]}`} is not a time of day`
          : offsetHours! > 18 || offsetMinutes! > 59
            ? 'its offset is not a real one (at most ±18:00)'
            : null;
  const date = new Date(value as string);
  if (problem || Number.isNaN(date.getTime())) {
    throw new GraphQLError(`DateTime ${String(value)} is not a real date and time: ${problem ?? 'out of range'}.`, {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  return date;
}

const monthNames = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

function daysIn(year: number, month: number): number {
  // setUTCFullYear, not Date.UTC, which reads years 0–99 as 1900–1999.
  const last = new Date(0);
  last.setUTCFullYear(year, month, 0);
  return last.getUTCDate();
}

/**
 * Writes instants in one zone. Intl is slow per call and answers carry many
 * timestamps, so the zone's offset is looked up once per quarter-hour slot
 * (offsets only ever change on a quarter hour) and the rest is arithmetic.
 */
export class ZonedDateTimeFormat {
  private readonly formatter: Intl.DateTimeFormat;
  private readonly offsets = new Map<number, number>();

  constructor(timeZone: string) {
    this.formatter = new Intl.DateTimeFormat('en-CA', { timeZone, timeZoneName: 'longOffset' });
  }

  format(date: Date): string {
    const time = date.getTime();
    const offset = this.offsetMinutes(time);
    const local = new Date(time + offset * 60_000);
    const millis = local.getUTCMilliseconds();
    const fraction = millis === 0 ? '' : `.${pad(millis, 3)}`;
    const sign = offset < 0 ? '-' : '+';
    const zone = `${sign}${pad(Math.floor(Math.abs(offset) / 60), 2)}:${pad(Math.abs(offset) % 60, 2)}`;
    return (
      `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1, 2)}-${pad(local.getUTCDate(), 2)}` +
      `T${pad(local.getUTCHours(), 2)}:${pad(local.getUTCMinutes(), 2)}:${pad(local.getUTCSeconds(), 2)}${fraction}${zone}`
    );
  }

  private offsetMinutes(time: number): number {
    const slot = Math.floor(time / 900_000);
    let offset = this.offsets.get(slot);
    if (offset === undefined) {
      const name = this.formatter.formatToParts(new Date(time)).find((part) => part.type === 'timeZoneName')?.value;
      const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name ?? '');
      offset = match ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) : 0;
      if (this.offsets.size >= 100_000) this.offsets.clear();
      this.offsets.set(slot, offset);
    }
    return offset;
  }
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

export function createDateTimeScalar(timeZone: string): GraphQLScalarType<Date, string> {
  const formatter = new ZonedDateTimeFormat(timeZone);
  return new GraphQLScalarType<Date, string>({
    name: 'DateTime',
    description: 'An ISO-8601 date and time with an offset, e.g. 2024-01-24T18:00:00+01:00.',
    serialize(value) {
      const date = value instanceof Date ? value : new Date(String(value));
      if (Number.isNaN(date.getTime())) throw new GraphQLError('DateTime cannot represent an invalid date.');
      return formatter.format(date);
    },
    parseValue: parseDateTime,
    parseLiteral(ast) {
      if (ast.kind !== Kind.STRING) {
        throw new GraphQLError('DateTime must be a string, e.g. "2024-01-24T18:00:00+01:00".', {
          extensions: { code: 'BAD_USER_INPUT' },
        });
      }
      return parseDateTime(ast.value);
    },
  });
}

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parseDate(value: unknown): string {
  const match = typeof value === 'string' ? CALENDAR_DATE.exec(value) : null;
  const date = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null;
  if (!match || !date || date.toISOString().slice(0, 10) !== value) {
    throw new GraphQLError(
      `Date must be a calendar date, e.g. 2023-12-10; got ${JSON.stringify(value)?.slice(0, 64)}.`,
      {
        extensions: { code: 'BAD_USER_INPUT' },
      },
    );
  }
  return value as string;
}

/** A calendar date with no time or zone: kept as the string PostgreSQL gives for a `date`. */
export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  description: 'An ISO-8601 calendar date, e.g. 2023-12-10.',
  serialize: (value) => String(value),
  parseValue: parseDate,
  parseLiteral(ast) {
    return parseDate(ast.kind === Kind.STRING ? ast.value : undefined);
  },
});
