import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
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
import { seatBodiesLoader } from './seat-bodies.loader';
import { seatHolderLoader } from './seat-holder.loader';
import { sessionEventsLoader } from './session-events.loader';
import { sessionPagesLoader } from './session-pages.loader';

/**
 * Every relation of the graph, batched. Made per request (HTTP) or per event
 * (subscriptions), never shared across them, so no answer outlives a change.
 */
export function createLoaders(dataSource: DataSource) {
  const sessionById = byIdLoader(dataSource, Session);
  const termsAll = new DataLoader<'all', Term[]>(async (keys) => {
    const terms = await dataSource.getRepository(Term).find({ order: { number: 'ASC' } });
    return keys.map(() => terms);
  });
  return {
    districtById: byIdLoader(dataSource, District),
    termById: byIdLoader(dataSource, Term),
    bodyById: byIdLoader(dataSource, Body),
    seatById: byIdLoader(dataSource, Seat),
    personById: byIdLoader(dataSource, Person),
    sessionById,
    agendaItemById: byIdLoader(dataSource, AgendaItem),
    attendanceRecordById: byIdLoader(dataSource, AttendanceRecord),
    voteById: byIdLoader(dataSource, Vote),
    speechRequestById: byIdLoader(dataSource, SpeechRequest),
    bodiesByDistrict: groupedLoader(dataSource, Body, 'districtId', { kind: 'DESC', id: 'ASC' }),
    seatsByBody: groupedLoader(dataSource, Seat, 'bodyId', { position: 'ASC' }),
    agendaBySession: groupedLoader(dataSource, AgendaItem, 'sessionId', { position: 'ASC' }),
    attendanceBySession: groupedLoader(dataSource, AttendanceRecord, 'sessionId', { id: 'ASC' }),
    votesBySession: groupedLoader(dataSource, Vote, 'sessionId', { openedAt: 'ASC', id: 'ASC' }),
    votesByAgendaItem: groupedLoader(dataSource, Vote, 'agendaItemId', { openedAt: 'ASC', id: 'ASC' }),
    ballotsByVote: groupedLoader(dataSource, Ballot, 'voteId', { seatPosition: 'ASC', id: 'ASC' }),
    speechesBySession: groupedLoader(dataSource, SpeechRequest, 'sessionId', { requestedAt: 'ASC', id: 'ASC' }),
    mandatesByPerson: groupedLoader(dataSource, Mandate, 'personId', { id: 'ASC' }),
    termsAll,
    seatHolder: seatHolderLoader(dataSource),
    seatBodiesByPerson: seatBodiesLoader(dataSource),
    sessionEvents: sessionEventsLoader(dataSource),
    agendaAsOf: agendaHistoryLoader(dataSource),
    sessionPages: sessionPagesLoader(dataSource, sessionById),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
