import DataLoader from 'dataloader';
import type { DataSource, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';
import { tracked } from '../cache/read-scope';
import type { ReadScope } from '../cache/read-scope';

/**
 * What a loader's rows tell the public read cache (see src/cache/read-scope.ts):
 * reference data, covered by the versions read before the answer is computed;
 * rows reached from rows of a session the answer has read already ('derived');
 * the rows of sessions whose own rows (and versions) it has read ('of-session');
 * a session's own row, read with its version ('session-row': a session not
 * there yet would come with a new list version); rows of a session read by
 * their own id, with their session's version ('in-session').
 */
export type Tracking =
  | { readonly kind: 'reference' }
  | { readonly kind: 'derived' }
  | { readonly kind: 'of-session'; readonly scope: ReadScope | null }
  | { readonly kind: 'session-row'; readonly scope: ReadScope | null }
  | { readonly kind: 'in-session'; readonly scope: ReadScope | null };

const REFERENCE: Tracking = { kind: 'reference' };

/**
 * The two shapes most relations take: a row by its id, and the rows that
 * point at a parent. Each batch is one statement, whatever the number of keys;
 * results come back in the order of the keys, as DataLoader requires.
 */
export function byIdLoader<T extends ObjectLiteral & { id: number }>(
  dataSource: DataSource,
  entity: EntityTarget<T>,
  tracking: Tracking = REFERENCE,
  options: DataLoader.Options<number, T | null> = {},
): DataLoader<number, T | null> {
  const read = rowsWhere<T>(dataSource, entity, 'id', {}, tracking);
  return new DataLoader<number, T | null>(async (ids) => {
    const byId = new Map((await read(ids)).map((row) => [row.id, row]));
    // A row of a session that is not there may appear with a write the cache cannot see coming: not kept.
    if (tracking.kind === 'in-session' && byId.size < new Set(ids).size)
      tracking.scope?.spoil('a row of a session not found by its id');
    return ids.map((id) => byId.get(id) ?? null);
  }, options);
}

export function groupedLoader<T extends ObjectLiteral, K extends keyof T & string>(
  dataSource: DataSource,
  entity: EntityTarget<T>,
  column: K,
  order: Partial<Record<keyof T & string, 'ASC' | 'DESC'>>,
  tracking: Tracking = REFERENCE,
  options: DataLoader.Options<number, T[]> = {},
): DataLoader<number, T[]> {
  const read = rowsWhere<T>(dataSource, entity, column, order, tracking);
  return new DataLoader<number, T[]>(async (keys) => {
    if (tracking.kind === 'of-session') for (const key of keys) tracking.scope?.requireSession(key);
    const groups = new Map<number, T[]>(keys.map((key) => [key, []]));
    for (const row of await read(keys)) groups.get(row[column] as number)?.push(row);
    return keys.map((key) => groups.get(key)!);
  }, options);
}

/**
 * Entities whose `column` is one of the keys, in `order`. The statement is
 * written once per entity from TypeORM's metadata and rows are hydrated with
 * TypeORM's own column conversions, without building a query per batch
 * (which profiles showed to cost more than the database did).
 */
function rowsWhere<T extends ObjectLiteral>(
  dataSource: DataSource,
  entity: EntityTarget<T>,
  column: keyof T & string,
  order: Partial<Record<string, 'ASC' | 'DESC'>>,
  tracking: Tracking,
): (keys: readonly number[]) => Promise<T[]> {
  const metadata = dataSource.getMetadata(entity);
  const versioned = tracking.kind === 'session-row' || tracking.kind === 'in-session';
  const sql = statementFor(metadata, column, order, versioned ? VERSION_OF[tracking.kind] : null);
  const driver = dataSource.driver;
  return async (keys) => {
    const rows = await dataSource.query<Record<string, unknown>[]>(sql, [[...keys]]);
    return rows.map((row) => {
      const value = metadata.create() as T;
      for (const meta of metadata.columns) {
        meta.setEntityValue(value, driver.prepareHydratedValue(row[meta.databaseName], meta));
      }
      if (versioned && tracking.scope) {
        const sessionId = (tracking.kind === 'session-row' ? row.id : row.session_id) as number;
        tracking.scope.sawSession(sessionId, (row.__version as string | null) ?? null);
      }
      return value;
    });
  };
}

/** The version of the session a row belongs to, read in the same statement (the same snapshot) as the row. */
const VERSION_OF = {
  'session-row': '(SELECT v."version" FROM "session_version" v WHERE v."session_id" = t."id")::text',
  'in-session': '(SELECT v."version" FROM "session_version" v WHERE v."session_id" = t."session_id")::text',
} as const;

const statements = new WeakMap<EntityMetadata, Map<string, string>>();

function statementFor(
  metadata: EntityMetadata,
  column: string,
  order: Partial<Record<string, 'ASC' | 'DESC'>>,
  version: string | null,
): string {
  const key = `${column} ${JSON.stringify(order)} ${version}`;
  let known = statements.get(metadata);
  if (!known) statements.set(metadata, (known = new Map()));
  let sql = known.get(key);
  if (sql === undefined) {
    const name = (property: string): string => {
      const found = metadata.findColumnWithPropertyPath(property);
      if (!found) throw new Error(`${metadata.name} has no column ${property}`);
      return `t."${found.databaseName}"`;
    };
    const orderBy = Object.entries(order).map(([property, direction]) => `${name(property)} ${direction}`);
    const columns = metadata.columns.map((meta) => `t."${meta.databaseName}"`);
    if (version) columns.push(`${version} AS "__version"`);
    sql = tracked(
      `SELECT ${columns.join(', ')} FROM "${metadata.tableName}" t` +
        ` WHERE ${name(column)} = ANY($1)${orderBy.length > 0 ? ` ORDER BY ${orderBy.join(', ')}` : ''}`,
    );
    known.set(key, sql);
  }
  return sql;
}
