import type { SessionEventKind } from '../entities/session-event.entity';
import { WebhookEventType } from '../entities/webhook-endpoint.entity';
import { toGlobalId } from '../schema/global-id';

/**
 * Which session events each webhook type carries. The outbox trigger (migration 1796640000001-Webhooks) applies
 * the same table in SQL; test/webhooks/webhook-delivery.test.ts holds the two together.
 */
export const WEBHOOK_EVENT_TYPE_OF: Readonly<Record<SessionEventKind, WebhookEventType | null>> = {
  SESSION_SCHEDULED: WebhookEventType.SESSION_STATUS_CHANGED,
  SESSION_OPENED: WebhookEventType.SESSION_STATUS_CHANGED,
  SESSION_SUSPENDED: WebhookEventType.SESSION_STATUS_CHANGED,
  SESSION_RESUMED: WebhookEventType.SESSION_STATUS_CHANGED,
  SESSION_CLOSED: WebhookEventType.SESSION_STATUS_CHANGED,
  SESSION_CANCELLED: WebhookEventType.SESSION_STATUS_CHANGED,
  SESSION_UPDATED: null,
  AGENDA_ITEM_ADDED: WebhookEventType.AGENDA_CHANGED,
  AGENDA_ITEM_UPDATED: WebhookEventType.AGENDA_CHANGED,
  AGENDA_ITEM_MOVED: WebhookEventType.AGENDA_CHANGED,
  AGENDA_ITEM_STARTED: WebhookEventType.AGENDA_CHANGED,
  AGENDA_ITEM_FINISHED: WebhookEventType.AGENDA_CHANGED,
  AGENDA_ITEM_REMOVED: WebhookEventType.AGENDA_CHANGED,
  ATTENDANCE_RECORDED: null,
  VOTE_OPENED: null,
  BALLOT_CAST: null,
  VOTE_COUNTS_RECORDED: null,
  VOTE_CLOSED: WebhookEventType.VOTE_CLOSED,
  VOTE_ANNULLED: null,
  SPEECH_REQUESTED: null,
  SPEECH_STARTED: null,
  SPEECH_ENDED: null,
  SPEECH_WITHDRAWN: null,
};

/** What the dispatcher reads of an event to build its webhook: the parts of the stored payload it may show. */
export interface WebhookSource {
  readonly sessionId: number;
  readonly sequence: number;
  readonly kind: SessionEventKind;
  readonly occurredAt: Date;
  readonly eventType: WebhookEventType;
  /** payload->'session', ->'agendaItem', ->'order', ->'vote', ->'quorum' of the event (snapshots as stored). */
  readonly session: Snapshot | null;
  readonly agendaItem: Snapshot | null;
  readonly order: readonly (readonly [number, number, number])[] | null;
  readonly vote: Snapshot | null;
  readonly quorum: Snapshot | null;
}

type Snapshot = Readonly<Record<string, unknown>>;

/** A Standard Webhooks payload: `type`, `timestamp` (when the event happened) and `data`. */
export interface WebhookPayload {
  readonly type: WebhookEventType;
  readonly timestamp: string;
  readonly data: Record<string, unknown>;
}

const gidOr = (type: 'Body' | 'AgendaItem', key: unknown): string | null =>
  typeof key === 'number' ? toGlobalId(type, key) : null;

/** The named fields of a snapshot, those it has (a snapshot of an older event may lack a newer column). */
function pick(snapshot: Snapshot, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((key) => key in snapshot).map((key) => [key, snapshot[key]]));
}

/**
 * The payload of one event, built from its stored snapshots, field by field: only what the public API shows
 * (never `email` or `phone`, never a ballot: a closed vote carries its counts and result, and who voted how in
 * an open vote is for the API to answer). Ids are the API's global ids, so a receiver can ask for more. The
 * event never changes, so every attempt and replay sends the same bytes.
 */
export function webhookPayload(source: WebhookSource): WebhookPayload {
  const session = source.session ?? {};
  const data: Record<string, unknown> = {
    sessionId: toGlobalId('Session', source.sessionId),
    sequence: source.sequence,
    kind: source.kind,
    session: {
      ...pick(session, ['title', 'number', 'kind', 'status', 'scheduledAt', 'startedAt', 'endedAt']),
      bodyId: gidOr('Body', session.bodyId),
      ...pick(session, ['venue', 'cancellationReason']),
    },
  };
  if (source.eventType === WebhookEventType.SESSION_STATUS_CHANGED && source.quorum) {
    data.quorum = pick(source.quorum, ['seats', 'present', 'required', 'reached']);
  }
  if (source.eventType === WebhookEventType.AGENDA_CHANGED) {
    const item = source.agendaItem ?? {};
    data.agendaItem = {
      id: gidOr('AgendaItem', item.id),
      ...pick(item, ['position', 'title', 'presenter', 'status', 'startedAt', 'endedAt']),
    };
    data.agenda = (source.order ?? []).map(([id]) => toGlobalId('AgendaItem', id));
  }
  if (source.eventType === WebhookEventType.VOTE_CLOSED) {
    const vote = source.vote ?? {};
    data.vote = {
      id: typeof vote.id === 'number' ? toGlobalId('Vote', vote.id) : null,
      agendaItemId: gidOr('AgendaItem', vote.agendaItemId),
      ...pick(vote, ['subject', 'secrecy', 'majority', 'status', 'result', 'openedAt', 'closedAt']),
      counts: { for: vote.countFor, against: vote.countAgainst, abstain: vote.countAbstain },
      quorum: {
        seats: vote.quorumSeats,
        present: vote.quorumPresent,
        required: vote.quorumRequired,
        reached: vote.quorumReached,
      },
    };
  }
  return { type: source.eventType, timestamp: source.occurredAt.toISOString(), data };
}
