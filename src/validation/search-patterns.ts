import { BadUserInputError } from '../errors';
import { assertCleanText } from './text';

const MAX_SEARCH_LENGTH = 200;
const MAX_SEARCH_WORDS = 8;

/** Each word must appear somewhere; LIKE's own wildcards in the words are taken literally. */
export function searchPatterns(search: string, argumentName = 'filter.search'): string[] {
  if (search.length > MAX_SEARCH_LENGTH) {
    throw new BadUserInputError(argumentName, `${argumentName} may be at most ${MAX_SEARCH_LENGTH} characters long.`);
  }
  assertCleanText(search, argumentName);
  const words = search.split(/\s+/).filter((word) => word.length > 0);
  if (words.length > MAX_SEARCH_WORDS) {
    throw new BadUserInputError(argumentName, `${argumentName} may have at most ${MAX_SEARCH_WORDS} words.`);
  }
  return words.map((word) => `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
}
