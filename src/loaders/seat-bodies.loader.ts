import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { tracked } from '../cache/read-scope';

/** The bodies in which each person holds (or held) a seat: who may see their contact details. */
export function seatBodiesLoader(dataSource: DataSource): DataLoader<number, number[]> {
  return new DataLoader<number, number[]>(async (personIds) => {
    const rows = (await dataSource.query(
      tracked(
        'SELECT DISTINCT m.person_id, s.body_id FROM mandate m JOIN seat s ON s.id = m.seat_id WHERE m.person_id = ANY($1::int[])',
      ),
      [[...personIds]],
    )) as { person_id: number; body_id: number }[];
    const bodies = new Map<number, number[]>(personIds.map((id) => [id, []]));
    for (const row of rows) bodies.get(row.person_id)?.push(row.body_id);
    return personIds.map((id) => bodies.get(id)!);
  });
}
