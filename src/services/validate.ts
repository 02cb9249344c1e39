import { BadUserInputError, ConflictError } from '../errors';
import { assertCleanText, characterCount, isInvisible } from '../validation/text';

function checkedText(value: string, argumentName: string, max: number): string {
  assertCleanText(value, argumentName);
  const text = value.trim();
  if (characterCount(text) > max)
    throw new BadUserInputError(argumentName, `${argumentName} may be at most ${max} characters long.`);
  return text;
}

/** Text a person typed: clean, trimmed, not empty (nor only invisible characters), not longer than the column. */
export function requiredText(value: string, argumentName: string, max = 500): string {
  const text = checkedText(value, argumentName, max);
  if (text.length === 0) throw new BadUserInputError(argumentName, `${argumentName} must not be empty.`);
  if (isInvisible(text)) {
    throw new BadUserInputError(argumentName, `${argumentName} must not be made only of invisible characters.`);
  }
  return text;
}

/** Optional text: null clears it, undefined leaves it as it is; only invisible characters is a mistake, not a clearing. */
export function optionalText(
  value: string | null | undefined,
  argumentName: string,
  max: number,
): string | null | undefined {
  if (value === undefined || value === null) return value;
  const text = checkedText(value, argumentName, max);
  if (text === '') return null;
  if (isInvisible(text)) {
    throw new BadUserInputError(
      argumentName,
      `${argumentName} must not be made only of invisible characters; send null or "" to clear it.`,
    );
  }
  return text;
}

/** Optimistic concurrency: the client says which version it saw. */
export function assertVersion(what: string, current: number, expected: number | null | undefined): void {
  if (expected !== null && expected !== undefined && expected !== current) {
    throw new ConflictError(
      `The ${what} has changed since you read it (you had version ${expected}, it is now ${current}); reload it and try again.`,
    );
  }
}
