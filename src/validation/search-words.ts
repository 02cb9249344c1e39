import { BadUserInputError } from '../errors';
import { assertCleanText } from './text';

const MAX_SEARCH_LENGTH = 200;
const MAX_SEARCH_WORDS = 8;

/**
 * The words of a search, each of which must match (see services/search-query.ts). What holds no letter or digit
 * is no word (a lone dash, quotes): it would match nothing. The words go to PostgreSQL as values, never as
 * tsquery syntax, so `&`, `|`, `!` or `:*` in them mean nothing.
 */
export function searchWords(search: string, argumentName = 'filter.search'): string[] {
  if (search.length > MAX_SEARCH_LENGTH) {
    throw new BadUserInputError(argumentName, `${argumentName} may be at most ${MAX_SEARCH_LENGTH} characters long.`);
  }
  assertCleanText(search, argumentName);
  const words = search.split(/\s+/).filter((word) => /[\p{L}\p{N}]/u.test(word));
  if (words.length > MAX_SEARCH_WORDS) {
    throw new BadUserInputError(argumentName, `${argumentName} may have at most ${MAX_SEARCH_WORDS} words.`);
  }
  return words;
}
