import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { TRACKED_COMMENT } from '../cache/read-scope';
import type { ReadScope } from '../cache/read-scope';
import { EVENT_HEADER, SessionEvent } from '../entities/session-event.entity';

export interface EventsKey {
  readonly sessionId: number;
  readonly after: number;
  readonly first: number;
  /** False when the selection reads only the event's own columns: the payload is then not read at all. */
  readonly payload: boolean;
}

/** Session.events(after, first) for many sessions: one statement per distinct (after, first, payload). */
export function sessionEventsLoader(
  dataSource: DataSource,
  scope: ReadScope | null = null,
): DataLoader<EventsKey, SessionEvent[], string> {
  const keyOf = (key: EventsKey): string => `${key.sessionId}:${key.after}:${key.first}:${key.payload}`;
  return new DataLoader<EventsKey, SessionEvent[], string>(
    async (keys) => {
      // The events of sessions whose rows, and versions, the answer has read.
      for (const key of keys) scope?.requireSession(key.sessionId);
      const results = new Map<string, SessionEvent[]>();
      const groups = new Map<string, EventsKey[]>();
      for (const key of keys) {
        const group = `${key.after}:${key.first}:${key.payload}`;
        groups.set(group, [...(groups.get(group) ?? []), key]);
      }
      for (const group of groups.values()) {
        const { after, first, payload } = group[0]!;
        const query = dataSource.getRepository(SessionEvent).createQueryBuilder('e').comment(TRACKED_COMMENT);
        if (!payload) query.select(EVENT_HEADER);
        const events = await query
          .where('e.session_id = ANY(:ids::int[])', { ids: group.map((k) => k.sessionId) })
          .andWhere('e.sequence > :after', { after })
          // Added here, not in SQL: after + first may pass the largest integer, which PostgreSQL refuses.
          .andWhere('e.sequence <= :upTo', { upTo: Math.min(after + first, 2_147_483_647) })
          .orderBy('e.session_id')
          .addOrderBy('e.sequence')
          .getMany();
        for (const key of group) results.set(keyOf(key), []);
        for (const event of events)
          results.get(keyOf({ sessionId: event.sessionId, after, first, payload }))?.push(event);
      }
      return keys.map((key) => results.get(keyOf(key)) ?? []);
    },
    { cacheKeyFn: keyOf },
  );
}
