import type { NonEmptyArray } from 'type-graphql';
import { AgendaChangeResolver } from './agenda-change.resolver';
import { AgendaItemResolver } from './agenda-item.resolver';
import { AttendanceRecordResolver } from './attendance-record.resolver';
import { BallotResolver } from './ballot.resolver';
import { BodyResolver } from './body.resolver';
import {
  AttendanceRecordConnectionResolver,
  BallotConnectionResolver,
  PersonConnectionResolver,
  SessionConnectionResolver,
} from './connection.resolver';
import { AttendanceStatsResolver } from './attendance-stats.resolver';
import { ChangeResolver } from './change.resolver';
import { DistrictResolver } from './district.resolver';
import { MandateResolver } from './mandate.resolver';
import { NodeResolver } from './node.resolver';
import { PersonResolver } from './person.resolver';
import { SearchResolver } from './search.resolver';
import { SeatResolver } from './seat.resolver';
import { SessionEventResolver } from './session-event.resolver';
import { SessionResolver } from './session.resolver';
import { SpeechRequestResolver } from './speech-request.resolver';
import { SubscriptionResolver } from './subscription.resolver';
import { TermResolver } from './term.resolver';
import { VoteResolver } from './vote.resolver';
import { WebhookDeliveryResolver } from './webhook-delivery.resolver';
import { WebhookEndpointResolver } from './webhook-endpoint.resolver';

/** Every resolver, listed rather than globbed. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const resolvers: NonEmptyArray<Function> = [
  NodeResolver,
  DistrictResolver,
  TermResolver,
  BodyResolver,
  SeatResolver,
  PersonResolver,
  MandateResolver,
  SessionResolver,
  AgendaItemResolver,
  AttendanceRecordResolver,
  SessionConnectionResolver,
  PersonConnectionResolver,
  AttendanceRecordConnectionResolver,
  BallotConnectionResolver,
  AttendanceStatsResolver,
  SearchResolver,
  ChangeResolver,
  SubscriptionResolver,
  SessionEventResolver,
  AgendaChangeResolver,
  VoteResolver,
  BallotResolver,
  SpeechRequestResolver,
  WebhookEndpointResolver,
  WebhookDeliveryResolver,
];
