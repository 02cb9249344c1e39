import {
  AddAgendaItemDocument,
  OpenSessionDocument,
  RecordAttendanceDocument,
  StartAgendaItemDocument,
} from '../generated/graphql';
import { bearer, query, scheduleSession } from '../support';
import type { TestServer } from '../support';

/**
 * A sitting of a body made through the API, ready for a vote: scheduled, one
 * agenda item (in progress unless `startItem` is false), the session open,
 * and the first `present` of `seats` recorded PRESENT.
 */
export async function sittingOf(
  server: TestServer,
  adminToken: string,
  body: { bodyGid: string; seats: readonly string[] },
  present: number,
  options: { title?: string; startItem?: boolean } = {},
): Promise<{ sessionId: string; itemId: string }> {
  const as = bearer(adminToken);
  const sessionId = await scheduleSession(server, adminToken, body.bodyGid, options.title ?? 'Zebranie Konwentu');
  const item = await query(
    server.url,
    AddAgendaItemDocument,
    { input: { sessionId, title: 'Opinia w sprawie budżetu' } },
    as,
  );
  await query(server.url, OpenSessionDocument, { id: sessionId }, as);
  if (options.startItem !== false) await query(server.url, StartAgendaItemDocument, { id: item.addAgendaItem.id }, as);
  for (const seatId of body.seats.slice(0, present)) {
    await query(server.url, RecordAttendanceDocument, { input: { sessionId, seatId, status: 'PRESENT' } }, as);
  }
  return { sessionId, itemId: item.addAgendaItem.id };
}
