import type { DataSource } from 'typeorm';
import type { Limits } from '../config';
import type { EventBus, EventNotice } from '../events/event-bus';
import { AgendaService } from './agenda.service';
import { AttendanceStatsService } from './attendance-stats.service';
import { AttendanceService } from './attendance.service';
import { ChangeLogService } from './change-log.service';
import { FloorService } from './floor.service';
import { LiveSessionsService } from './live-sessions.service';
import { PeopleSearchService } from './people-search.service';
import { PublishedSessionsService } from './published-sessions.service';
import { SessionChanges } from './session-changes.service';
import { ReferenceService } from './reference.service';
import { SearchService } from './search.service';
import { ScreenService } from './screen.service';
import { SessionLifecycleService } from './session-lifecycle.service';
import { VoteService } from './vote.service';
import { WebhookEndpointsService } from './webhook-endpoints.service';
import { WriteTargetService } from './write-target.service';

/** The services, made once per server: they hold no per-request state. */
export function createServices(
  dataSource: DataSource,
  bus: EventBus,
  budget: Pick<Limits, 'eventMaxBytes' | 'sessionLogMaxBytes'>,
  onCommitted?: (notice: EventNotice) => void,
  /** The city's zone (TIME_ZONE): the day of a session, for the statistics' mandate dates. */
  timeZone = 'Europe/Warsaw',
  /** WEBHOOKS_ALLOW_PRIVATE: endpoints on plain http:// and private addresses accepted (tests only). */
  webhooksAllowPrivate = false,
  /** Whether the database stems Polish words, chosen at start (db/search-setup.ts): SearchConnection.stemming. */
  searchStemming = false,
) {
  const changes = new SessionChanges(dataSource, bus, budget, onCommitted);
  return {
    peopleSearch: new PeopleSearchService(dataSource),
    search: new SearchService(dataSource, searchStemming),
    sessionLifecycle: new SessionLifecycleService(dataSource, changes),
    agenda: new AgendaService(changes),
    attendance: new AttendanceService(changes),
    votes: new VoteService(changes),
    floor: new FloorService(changes),
    writeTargets: new WriteTargetService(dataSource),
    reference: new ReferenceService(dataSource),
    liveSessions: new LiveSessionsService(dataSource),
    attendanceStats: new AttendanceStatsService(dataSource, timeZone),
    publishedSessions: new PublishedSessionsService(dataSource),
    webhookEndpoints: new WebhookEndpointsService(dataSource, webhooksAllowPrivate),
    screens: new ScreenService(dataSource),
    changeLog: new ChangeLogService(dataSource),
  };
}

export type Services = ReturnType<typeof createServices>;
