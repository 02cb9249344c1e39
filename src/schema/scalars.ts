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

export function formatDateTime(date: Date, timeZone: string, formatter = zonedFormatter(timeZone)): string {
  const parts: Record<string, string> = {};
  for (const part of formatter.formatToParts(date)) parts[part.type] = part.value;
  const offset = parts.timeZoneName === 'GMT' ? '+00:00' : (parts.timeZoneName ?? 'GMT+00:00').replace('GMT', '');
  const millis = date.getUTCMilliseconds();
  const fraction = millis === 0 ? '' : `.${String(millis).padStart(3, '0')}`;
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${fraction}${offset}`;
}

function zonedFormatter(timeZone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'longOffset',
  });
}

export function createDateTimeScalar(timeZone: string): GraphQLScalarType<Date, string> {
  const formatter = zonedFormatter(timeZone);
  return new GraphQLScalarType<Date, string>({
    name: 'DateTime',
    description: 'An ISO-8601 date and time with an offset, e.g. 2024-01-24T18:00:00+01:00.',
    serialize(value) {
      const date = value instanceof Date ? value : new Date(String(value));
      if (Number.isNaN(date.getTime())) throw new GraphQLError('DateTime cannot represent an invalid date.');
      return formatDateTime(date, timeZone, formatter);
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
