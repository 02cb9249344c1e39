import type DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import type { Person } from '../entities/person.entity';
import type { Page } from '../schema/connection.types';
import { decodeCursor, encodeCursor, pageInfoOf, pageSize } from '../schema/pagination';
import { searchWords } from '../validation/search-words';
import { nameMatches, searchSql } from './search-query';

/** Query.people: by name, in alphabetical order, keyset-paginated; search as in Query.search. */
export class PeopleSearchService {
  constructor(private readonly dataSource: DataSource) {}

  async page(
    args: { search?: string | null; first?: number | null; after?: string | null },
    personById: DataLoader<number, Person | null>,
  ): Promise<Page<Person>> {
    const first = pageSize(args.first);
    const conditions: string[] = [];
    const params: unknown[] = [];
    const words = args.search ? searchWords(args.search, 'search') : [];
    if (words.length > 0) {
      const param = (value: unknown): string => `$${params.push(value)}`;
      // The engine of Query.search: any Polish form of the name ("Buszka" finds Buszek), or a typo of it.
      conditions.push(nameMatches(searchSql(words, param), 'p.search_vector', 'p.full_name'));
    } else if (args.search && args.search.trim() !== '') conditions.push('false');
    const where = conditions.length > 0 ? conditions.join(' AND ') : 'true';
    const countParams = [...params];
    if (args.after) {
      const cursor = decodeCursor(args.after, 'p');
      params.push(String(cursor.key), cursor.id);
      conditions.push(`(p.full_name, p.id) > ($${params.length - 1}, $${params.length})`);
    }
    params.push(first + 1);
    const rows = (await this.dataSource.query(
      `SELECT p.id, p.full_name FROM person p
       WHERE ${conditions.length > 0 ? conditions.join(' AND ') : 'true'}
       ORDER BY p.full_name, p.id LIMIT $${params.length}`,
      params,
    )) as { id: number; full_name: string }[];
    const shown = rows.slice(0, first);
    const people = await personById.loadMany(shown.map((row) => row.id));
    const edges = shown.flatMap((row, index) => {
      const node = people[index];
      return node && !(node instanceof Error) ? [{ cursor: encodeCursor('p', row.full_name, row.id), node }] : [];
    });
    return {
      edges,
      nodes: edges.map((edge) => edge.node),
      pageInfo: pageInfoOf(edges, rows.length > first, args.after),
      count: async () => {
        const [row] = (await this.dataSource.query(
          `SELECT count(*)::int AS total FROM person p WHERE ${where}`,
          countParams,
        )) as { total: number }[];
        return row?.total ?? 0;
      },
    };
  }
}
