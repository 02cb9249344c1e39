import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { currentReadScope, TRACKED_COMMENT } from '../cache/read-scope';
import type { ReadScope } from '../cache/read-scope';
import {
  AgendaItem,
  AttendanceRecord,
  Ballot,
  Body,
  District,
  Mandate,
  Person,
  Seat,
  Session,
  SpeechRequest,
  Term,
  Vote,
} from '../entities';
import { agendaHistoryLoader } from './agenda-history.loader';
import { byIdLoader, groupedLoader } from './entity.loaders';
import { personAttendanceLoader, personBallotsLoader } from './person-history.loader';
import { seatBodiesLoader } from './seat-bodies.loader';
import { seatHolderLoader } from './seat-holder.loader';
import { sessionEventsLoader } from './session-events.loader';
import { sessionPagesLoader } from './session-pages.loader';
import { sessionUpdatedAtLoader } from './session-updated-at.loader';

/**
 * Every relation of the graph, batched. Made per request (HTTP) or per event
 * (subscriptions), never shared across them, so no answer outlives a change.
 */
export function createLoaders(dataSource: DataSource, scope: ReadScope | null = currentReadScope()) {
  const sessionById = byIdLoader(dataSource, Session, { kind: 'session-row', scope });
  const inSession = { kind: 'in-session', scope } as const;
  const ofSession = { kind: 'of-session', scope } as const;
  const derived = { kind: 'derived' } as const;
  const termsAll = new DataLoader<'all', Term[]>(async (keys) => {
    const terms = await dataSource.getRepository(Term).find({ order: { number: 'ASC' }, comment: TRACKED_COMMENT });
    return keys.map(() => terms);
  });
  return {
    districtById: byIdLoader(dataSource, District),
    termById: byIdLoader(dataSource, Term),
    bodyById: byIdLoader(dataSource, Body),
    seatById: byIdLoader(dataSource, Seat),
    personById: byIdLoader(dataSource, Person),
    sessionById,
    agendaItemById: byIdLoader(dataSource, AgendaItem, inSession),
    attendanceRecordById: byIdLoader(dataSource, AttendanceRecord, inSession),
    voteById: byIdLoader(dataSource, Vote, inSession),
    speechRequestById: byIdLoader(dataSource, SpeechRequest, inSession),
    bodiesByDistrict: groupedLoader(dataSource, Body, 'districtId', { kind: 'DESC', id: 'ASC' }),
    seatsByBody: groupedLoader(dataSource, Seat, 'bodyId', { position: 'ASC' }),
    agendaBySession: groupedLoader(dataSource, AgendaItem, 'sessionId', { position: 'ASC' }, ofSession),
    attendanceBySession: groupedLoader(dataSource, AttendanceRecord, 'sessionId', { id: 'ASC' }, ofSession),
    votesBySession: groupedLoader(dataSource, Vote, 'sessionId', { openedAt: 'ASC', id: 'ASC' }, ofSession),
    votesByAgendaItem: groupedLoader(dataSource, Vote, 'agendaItemId', { openedAt: 'ASC', id: 'ASC' }, derived),
    ballotsByVote: groupedLoader(dataSource, Ballot, 'voteId', { seatPosition: 'ASC', id: 'ASC' }, derived),
    speechesBySession: groupedLoader(
      dataSource,
      SpeechRequest,
      'sessionId',
      { requestedAt: 'ASC', id: 'ASC' },
      ofSession,
    ),
    mandatesByPerson: groupedLoader(dataSource, Mandate, 'personId', { id: 'ASC' }),
    termsAll,
    seatHolder: seatHolderLoader(dataSource),
    seatBodiesByPerson: seatBodiesLoader(dataSource),
    sessionEvents: sessionEventsLoader(dataSource, scope),
    agendaAsOf: agendaHistoryLoader(dataSource),
    sessionPages: sessionPagesLoader(dataSource, sessionById, scope),
    sessionUpdatedAt: sessionUpdatedAtLoader(dataSource, scope),
    attendanceByPerson: personAttendanceLoader(dataSource),
    ballotsByPerson: personBallotsLoader(dataSource),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
