import { AgendaItem } from './agenda-item.entity';
import { AttendanceRecord } from './attendance-record.entity';
import { Ballot } from './ballot.entity';
import { Body } from './body.entity';
import { District } from './district.entity';
import { Mandate } from './mandate.entity';
import { Person } from './person.entity';
import { Seat } from './seat.entity';
import { SessionEvent } from './session-event.entity';
import { Session } from './session.entity';
import { SpeechRequest } from './speech-request.entity';
import { Term } from './term.entity';
import { Vote } from './vote.entity';
import { WebhookDelivery } from './webhook-delivery.entity';
import { WebhookEndpoint } from './webhook-endpoint.entity';

/** Every entity TypeORM maps, listed rather than globbed so ts-jest and dist/ behave the same. */
export const entities = [
  District,
  Term,
  Body,
  Seat,
  Person,
  Mandate,
  Session,
  AgendaItem,
  AttendanceRecord,
  SessionEvent,
  Vote,
  Ballot,
  SpeechRequest,
  WebhookEndpoint,
  WebhookDelivery,
];

export {
  AgendaItem,
  AttendanceRecord,
  Ballot,
  Body,
  District,
  Mandate,
  Person,
  Seat,
  Session,
  SessionEvent,
  SpeechRequest,
  Term,
  Vote,
  WebhookDelivery,
  WebhookEndpoint,
};
