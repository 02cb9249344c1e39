import DataLoader from 'dataloader';
import { In } from 'typeorm';
import type { DataSource, EntityTarget, FindOptionsOrder, ObjectLiteral } from 'typeorm';

/**
 * The two shapes most relations take: a row by its id, and the rows that
 * point at a parent. Each batch is one statement, whatever the number of keys;
 * results come back in the order of the keys, as DataLoader requires.
 */
export function byIdLoader<T extends ObjectLiteral & { id: number }>(
  dataSource: DataSource,
  entity: EntityTarget<T>,
  options: DataLoader.Options<number, T | null> = {},
): DataLoader<number, T | null> {
  return new DataLoader<number, T | null>(async (ids) => {
    const rows = await dataSource.getRepository(entity).findBy({ id: In([...ids]) } as never);
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  }, options);
}

export function groupedLoader<T extends ObjectLiteral, K extends keyof T & string>(
  dataSource: DataSource,
  entity: EntityTarget<T>,
  column: K,
  order: FindOptionsOrder<T>,
  options: DataLoader.Options<number, T[]> = {},
): DataLoader<number, T[]> {
  return new DataLoader<number, T[]>(async (keys) => {
    const rows = await dataSource.getRepository(entity).find({ where: { [column]: In([...keys]) } as never, order });
    const groups = new Map<number, T[]>(keys.map((key) => [key, []]));
    for (const row of rows) groups.get(row[column] as number)?.push(row);
    return keys.map((key) => groups.get(key)!);
  }, options);
}
