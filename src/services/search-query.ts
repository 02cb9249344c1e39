/**
 * The SQL of one search, shared by Query.search, sessions(filter: { search }) and people(search), so that the
 * three find the same things. A word matches a stored vector (see the migration PolishSearch) by its
 * dictionary forms (`obrady_stem`: "danych" is dany/dana/dać) or by its spelling without diacritics
 * (`obrady_plain`: "zarzadow"); every word must match.
 */
export interface SearchSql {
  /** A tsquery of every word. */
  readonly all: string;
  /** Each word: its tsquery, and the parameter holding it as typed (for trigram similarity on names). */
  readonly words: readonly { readonly tsquery: string; readonly text: string }[];
}

/** `param` adds a value to the statement's parameters and returns its placeholder. */
export function searchSql(words: readonly string[], param: (value: unknown) => string): SearchSql {
  const perWord = words.map((word) => {
    const text = param(word);
    return {
      tsquery: `(plainto_tsquery('public.obrady_stem', ${text}) || plainto_tsquery('public.obrady_plain', ${text}))`,
      text,
    };
  });
  return { all: perWord.map((word) => word.tsquery).join(' && '), words: perWord };
}

/**
 * How alike a name must be to a word, as pg_trgm's word_similarity of their spellings without diacritics, to
 * count as a match: 0.5 finds "Busek" or "Buszke" for Buszek; pg_trgm's default, 0.6, misses such typos.
 */
export const NAME_SIMILARITY = 0.5;

/** That the name `column` matches every word: by its vector, or by trigram similarity despite a typo. */
export function nameMatches(search: SearchSql, vector: string, column: string): string {
  return search.words
    .map(
      (word) =>
        `(${vector} @@ ${word.tsquery} OR word_similarity(public.obrady_unaccent(${word.text}), public.obrady_unaccent(${column})) >= ${NAME_SIMILARITY})`,
    )
    .join(' AND ');
}

/** The ids of sessions whose own text, or the text of one of their agenda items, matches the search. */
export function sessionsMatching(search: SearchSql): string {
  return `SELECT ms.id FROM session ms WHERE ms.search_vector @@ (${search.all})
          UNION SELECT ma.session_id FROM agenda_item ma WHERE ma.search_vector @@ (${search.all})`;
}
