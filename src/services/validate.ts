import { BadUserInputError, ConflictError } from '../errors';

/**
 * PostgreSQL text cannot hold U+0000: refused here as the caller's mistake,
 * rather than failing in the database as an unexpected error.
 */
export function assertNoNul(value: string, argumentName: string): void {
  if (value.includes('\u0000')) {
    throw new BadUserInputError(argumentName, `${argumentName} must not contain the NUL character (U+0000).`);
  }
}

/** Text a person typed: trimmed, not empty, not longer than the column. */
export function requiredText(value: string, argumentName: string, max = 500): string {
  assertNoNul(value, argumentName);
  const text = value.trim();
  if (text.length === 0) throw new BadUserInputError(argumentName, `${argumentName} must not be empty.`);
  if (text.length > max)
    throw new BadUserInputError(argumentName, `${argumentName} may be at most ${max} characters long.`);
  return text;
}

/** Optional text: null clears it, undefined leaves it as it is. */
export function optionalText(
  value: string | null | undefined,
  argumentName: string,
  max: number,
): string | null | undefined {
  if (value === undefined || value === null) return value;
  assertNoNul(value, argumentName);
  const text = value.trim();
  if (text.length > max)
    throw new BadUserInputError(argumentName, `${argumentName} may be at most ${max} characters long.`);
  return text === '' ? null : text;
}

/** Optimistic concurrency: the client says which version it saw. */
export function assertVersion(what: string, current: number, expected: number | null | undefined): void {
  if (expected !== null && expected !== undefined && expected !== current) {
    throw new ConflictError(
      `The ${what} has changed since you read it (you had version ${expected}, it is now ${current}); reload it and try again.`,
    );
  }
}
