import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { tracked } from '../cache/read-scope';

export interface HolderKey {
  readonly seatId: number;
  readonly termNumber: number;
}

/**
 * Who holds a seat in a term: the person id of the mandate for that seat and
 * term, or null where it is not known. One statement per batch.
 */
export function seatHolderLoader(dataSource: DataSource): DataLoader<HolderKey, number | null, string> {
  return new DataLoader<HolderKey, number | null, string>(
    async (keys) => {
      const rows = (await dataSource.query(
        tracked(`SELECT m.seat_id, t.number AS term_number, m.person_id
         FROM mandate m JOIN term t ON t.id = m.term_id
         WHERE m.seat_id = ANY($1::int[]) AND t.number = ANY($2::int[])
         ORDER BY m.starts_on DESC NULLS LAST, m.id DESC`),
        [[...new Set(keys.map((k) => k.seatId))], [...new Set(keys.map((k) => k.termNumber))]],
      )) as { seat_id: number; term_number: number; person_id: number }[];
      const holders = new Map<string, number>();
      for (const row of rows) {
        const key = `${row.seat_id}:${row.term_number}`;
        if (!holders.has(key)) holders.set(key, row.person_id);
      }
      return keys.map((key) => holders.get(`${key.seatId}:${key.termNumber}`) ?? null);
    },
    { cacheKeyFn: (key) => `${key.seatId}:${key.termNumber}` },
  );
}
