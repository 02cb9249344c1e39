import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { SessionEvent } from '../entities/session-event.entity';

export interface EventsKey {
  readonly sessionId: number;
  readonly after: number;
  readonly first: number;
}

/** Session.events(after, first) for many sessions: one statement per distinct (after, first). */
export function eventsLoader(dataSource: DataSource): DataLoader<EventsKey, SessionEvent[], string> {
  const keyOf = (key: EventsKey): string => `${key.sessionId}:${key.after}:${key.first}`;
  return new DataLoader<EventsKey, SessionEvent[], string>(
    async (keys) => {
      const results = new Map<string, SessionEvent[]>();
      const groups = new Map<string, EventsKey[]>();
      for (const key of keys) {
        const group = `${key.after}:${key.first}`;
        groups.set(group, [...(groups.get(group) ?? []), key]);
      }
      for (const group of groups.values()) {
        const { after, first } = group[0]!;
        const events = await dataSource
          .getRepository(SessionEvent)
          .createQueryBuilder('e')
          .where('e.session_id = ANY(:ids::int[])', { ids: group.map((k) => k.sessionId) })
          .andWhere('e.sequence > :after', { after })
          // Added here, not in SQL: after + first may pass the largest integer, which PostgreSQL refuses.
          .andWhere('e.sequence <= :upTo', { upTo: Math.min(after + first, 2_147_483_647) })
          .orderBy('e.session_id')
          .addOrderBy('e.sequence')
          .getMany();
        for (const key of group) results.set(keyOf(key), []);
        for (const event of events) results.get(keyOf({ sessionId: event.sessionId, after, first }))?.push(event);
      }
      return keys.map((key) => results.get(keyOf(key)) ?? []);
    },
    { cacheKeyFn: keyOf },
  );
}
