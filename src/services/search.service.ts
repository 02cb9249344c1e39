import type { DataSource } from 'typeorm';
import type { Loaders } from '../loaders';
import { BadUserInputError } from '../errors';
import { decodeCursor, encodeCursor, pageInfoOf, pageSize } from '../schema/pagination';
import type { Node } from '../schema/node.interface';
import { SearchType } from '../schema/search.types';
import type { SearchConnection, SearchHit } from '../schema/search.types';
import { searchWords } from '../validation/search-words';
import { nameMatches, searchSql } from './search-query';
import type { SearchSql } from './search-query';
import {
  HEADLINE_PASSAGES,
  HEADLINE_WHOLE,
  WHOLE_TEXT_CHARACTERS,
  bestSnippet,
  headlineInput,
} from './search-snippet.rules';

/** The kinds of hit, numbered for the SQL; ties of score go in this order, then by id. */
const KINDS = [SearchType.SESSION, SearchType.AGENDA_ITEM, SearchType.PERSON, SearchType.VOTE] as const;

/**
 * Each kind's matching rows with their score (ts_rank: weights A 1.0, B 0.4, C 0.2, D 0.1) and the text its
 * snippet is cut from. A session found through its agenda scores as if the agenda were its text of weight C,
 * so its own title (A) and description (B) rank above; a person found only by a typo scores half the similarity.
 */
function kindSql(kind: SearchType, search: SearchSql, q: string): { hits: string; text: string } {
  switch (kind) {
    case SearchType.SESSION:
      return {
        hits: `SELECT s.id, greatest(ts_rank(s.search_vector, ${q}),
                 coalesce((SELECT max(ts_rank(setweight(a.search_vector, 'C'), ${q})) FROM agenda_item a
                            WHERE a.session_id = s.id AND a.search_vector @@ ${q}), 0)) AS score
               FROM session s
              WHERE s.id IN (SELECT id FROM session WHERE search_vector @@ ${q}
                             UNION SELECT session_id FROM agenda_item WHERE search_vector @@ ${q})`,
        text: `(SELECT concat_ws(' · ', s.title, s.description,
                  (SELECT string_agg(concat_ws(' — ', a.title, a.description), ' · ' ORDER BY a.position)
                     FROM agenda_item a WHERE a.session_id = s.id)) FROM session s WHERE s.id = page.id)`,
      };
    case SearchType.AGENDA_ITEM:
      return {
        hits: `SELECT a.id, ts_rank(a.search_vector, ${q}) AS score FROM agenda_item a WHERE a.search_vector @@ ${q}`,
        text: `(SELECT concat_ws(' — ', a.title, a.description) FROM agenda_item a WHERE a.id = page.id)`,
      };
    case SearchType.PERSON: {
      const similarity = search.words
        .map((word) => `word_similarity(public.obrady_unaccent(${word.text}), public.obrady_unaccent(p.full_name))`)
        .join(', ');
      return {
        hits: `SELECT p.id, greatest(ts_rank(p.search_vector, ${q}), least(${similarity}) / 2) AS score
                 FROM person p WHERE ${nameMatches(search, 'p.search_vector', 'p.full_name')}`,
        text: `(SELECT p.full_name FROM person p WHERE p.id = page.id)`,
      };
    }
    case SearchType.VOTE:
      return {
        hits: `SELECT v.id, ts_rank(v.search_vector, ${q}) AS score FROM vote v WHERE v.search_vector @@ ${q}`,
        text: `(SELECT v.subject FROM vote v WHERE v.id = page.id)`,
      };
  }
}

interface Row {
  total: number;
  kind: number | null;
  id: number | null;
  score: string | null;
  stemmed: string | null;
  plain: string | null;
}

/**
 * Query.search: sessions, agenda items, people and votes ranked together, in one statement (the hits, their
 * count, and the page's snippets); the nodes come from the request's loaders. Never cached: its statement reads
 * rows no version covers.
 */
export class SearchService {
  constructor(
    private readonly dataSource: DataSource,
    /** Whether the database stems Polish words (chosen at start, see db/search-setup.ts). */
    private readonly stemming: boolean,
  ) {}

  async search(
    args: { query: string; types?: SearchType[] | null; first?: number | null; after?: string | null },
    loaders: Pick<Loaders, 'sessionById' | 'agendaItemById' | 'personById' | 'voteById'>,
  ): Promise<SearchConnection> {
    const words = searchWords(args.query, 'query');
    if (words.length === 0) throw new BadUserInputError('query', 'query must hold at least one word.');
    if (args.types && args.types.length === 0) {
      throw new BadUserInputError('types', 'types must name at least one type, or be left out.');
    }
    const first = pageSize(args.first);
    const params: unknown[] = [];
    const param = (value: unknown): string => `$${params.push(value)}`;
    const search = searchSql(words, param);
    const kinds = KINDS.filter((kind) => !args.types || args.types.includes(kind));
    const parts = kinds.map((kind) => ({ number: KINDS.indexOf(kind) + 1, ...kindSql(kind, search, 'q.q') }));
    let after = 'true';
    if (args.after) {
      const cursor = decodeCursor(args.after, 'search');
      const [kind, score] = String(cursor.key).split(':');
      if (!/^[1-4]$/.test(kind ?? '') || !Number.isFinite(Number(score))) {
        throw new BadUserInputError('after', 'after: not a cursor of this list; use an endCursor this list returned.');
      }
      const [s, k, i] = [param(score), param(Number(kind)), param(cursor.id)];
      after = `(h.score < ${s}::real OR (h.score = ${s}::real AND (h.kind, h.id) > (${k}, ${i})))`;
    }
    const limit = param(first + 1);
    const rows = (await this.dataSource.query(
      `WITH q AS (SELECT ${search.all} AS q),
       hits AS (${parts.map((part) => `SELECT ${part.number} AS kind, x.id, x.score::real AS score FROM q, LATERAL (${part.hits}) x`).join(' UNION ALL ')}),
       page AS (SELECT h.kind, h.id, h.score FROM hits h WHERE ${after} ORDER BY h.score DESC, h.kind, h.id LIMIT ${limit}),
       texts AS (SELECT page.*, ${headlineInput(`CASE page.kind ${parts.map((part) => `WHEN ${part.number} THEN ${part.text}`).join(' ')} END`)} AS body FROM page)
       SELECT (SELECT count(*)::int FROM hits) AS total, t.kind, t.id, t.score::text AS score,
              ts_headline('public.obrady_stem', t.body, q.q, o.options) AS stemmed,
              ts_headline('public.obrady_plain', t.body, q.q, o.options) AS plain
         FROM q LEFT JOIN texts t ON true
         CROSS JOIN LATERAL (SELECT CASE WHEN length(t.body) <= ${WHOLE_TEXT_CHARACTERS}
                                    THEN '${HEADLINE_WHOLE}' ELSE '${HEADLINE_PASSAGES}' END AS options) o
        ORDER BY t.score DESC, t.kind, t.id`,
      params,
    )) as Row[];
    const found = rows.filter((row) => row.id !== null);
    const shown = found.slice(0, first);
    const nodes = await Promise.all(
      shown.map((row): Promise<Node | null> => {
        const id = row.id!;
        switch (KINDS[row.kind! - 1]) {
          case SearchType.SESSION:
            return loaders.sessionById.load(id);
          case SearchType.AGENDA_ITEM:
            return loaders.agendaItemById.load(id);
          case SearchType.PERSON:
            return loaders.personById.load(id);
          default:
            return loaders.voteById.load(id);
        }
      }),
    );
    const edges = shown.flatMap((row, index) => {
      const node = nodes[index];
      if (!node) return [];
      const hit: SearchHit = { node, snippet: bestSnippet(row.stemmed, row.plain), score: Number(row.score) };
      return [{ cursor: encodeCursor('search', `${row.kind}:${row.score}`, row.id!), node: hit }];
    });
    return {
      edges,
      nodes: edges.map((edge) => edge.node),
      pageInfo: pageInfoOf(edges, found.length > first, args.after),
      totalCount: rows[0]?.total ?? 0,
      stemming: this.stemming,
    };
  }
}
