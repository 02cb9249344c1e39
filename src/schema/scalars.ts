import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

/**
 * DateTime is written in the city's time zone with its offset
 * (2024-01-24T18:00:00+01:00), so that a person reads the local time as it
 * was announced; and read from any ISO-8601 string that carries an offset,
 * because a time without one is ambiguous.
 */
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

function parseDateTime(value: unknown): Date {
  if (typeof value !== 'string' || !ISO_WITH_OFFSET.test(value)) {
    throw new GraphQLError(
      `DateTime must be an ISO-8601 date and time with an offset, e.g. 2024-01-24T18:00:00+01:00; got ${JSON.stringify(value)?.slice(0, 64)}.`,
      { extensions: { code: 'BAD_USER_INPUT' } },
    );
  }
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new GraphQLError(`DateTime ${value} is not a real date and time.`, {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  return date;
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
