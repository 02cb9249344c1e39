import { Kind } from 'graphql';
import type { FragmentDefinitionNode, GraphQLResolveInfo, SelectionSetNode } from 'graphql';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { AgendaItem } from '../entities/agenda-item.entity';
import { AttendanceRecord } from '../entities/attendance-record.entity';
import { SessionEventKind } from '../entities/session-event.entity';
import type { SessionEvent, SessionEventPayload } from '../entities/session-event.entity';
import { SessionStatus } from '../entities/session.entity';
import { SpeechRequest } from '../entities/speech-request.entity';
import { Vote } from '../entities/vote.entity';
import { toGlobalId } from './global-id';
import { Quorum } from './quorum.type';

const DATE_FIELDS = ['startedAt', 'endedAt', 'arrivedAt', 'leftAt', 'openedAt', 'closedAt', 'requestedAt', 'castAt'];

/** The fields of SessionEvent read from the event's own columns; any other needs its payload. */
const HEADER_FIELDS: ReadonlySet<string> = new Set([
  'sequence',
  'sessionId',
  'occurredAt',
  'kind',
  'status',
  'changedBy',
  '__typename',
]);

/**
 * Whether a selection of SessionEvent reads the payload (agendaItem, attendance, quorum): a
 * replay of `{ sequence }` then reads no payload at all. Fragments are followed; an unknown one counts as yes.
 */
export function selectsPayload(
  selectionSet: SelectionSetNode | undefined,
  fragment: (name: string) => FragmentDefinitionNode | undefined,
  seen: ReadonlySet<string> = new Set(),
): boolean {
  if (!selectionSet) return false;
  return selectionSet.selections.some((selection) => {
    if (selection.kind === Kind.FIELD) return !HEADER_FIELDS.has(selection.name.value);
    if (selection.kind === Kind.INLINE_FRAGMENT) return selectsPayload(selection.selectionSet, fragment, seen);
    const name = selection.name.value;
    const definition = fragment(name);
    if (!definition) return true;
    return !seen.has(name) && selectsPayload(definition.selectionSet, fragment, new Set([...seen, name]));
  });
}

/** A snapshot kept in an event, back as the entity it was taken of (dates revived from JSON). */
export function revive<T extends object>(target: T, snapshot: Record<string, unknown> | undefined): T | null {
  if (!snapshot) return null;
  const copy: Record<string, unknown> = { ...snapshot };
  for (const field of DATE_FIELDS) {
    if (typeof copy[field] === 'string') copy[field] = new Date(copy[field] as string);
  }
  return Object.assign(target, copy);
}

/** selectsPayload for the field being resolved (Session.events, Subscription.sessionEvents). */
export function resolvedSelectsPayload(info: GraphQLResolveInfo): boolean {
  return info.fieldNodes.some((node) => selectsPayload(node.selectionSet, (name) => info.fragments[name]));
}

const NO_PAYLOAD = { quorum: null } as unknown as SessionEventPayload;

@ObjectType('SessionEvent', { description: 'One change to a session, as it was when it happened.' })
export class SessionEventView {
  @Field(() => Int, { description: 'Per session: starts at 1, increases by exactly 1 with every change.' })
  sequence!: number;

  @Field(() => ID)
  sessionId!: string;

  @Field(() => Date)
  occurredAt!: Date;

  @Field(() => SessionEventKind)
  kind!: SessionEventKind;

  @Field(() => SessionStatus, { description: 'Status of the session right after the change.' })
  status!: SessionStatus;

  @Field(() => AgendaItem, { nullable: true, description: 'Set for AGENDA_* kinds: the item right after the change.' })
  agendaItem!: AgendaItem | null;

  @Field(() => AttendanceRecord, {
    nullable: true,
    description: 'Set for ATTENDANCE_RECORDED: the record right after the change.',
  })
  attendance!: AttendanceRecord | null;

  @Field(() => Quorum, { description: 'The quorum right after the change.' })
  quorum!: Quorum;

  @Field(() => Vote, {
    nullable: true,
    description: 'Set for VOTE_* and BALLOT_CAST: the vote right after the change (a SECRET vote shows counts only).',
  })
  vote!: Vote | null;

  @Field(() => SpeechRequest, { nullable: true, description: 'Set for SPEECH_*: the request right after the change.' })
  speech!: SpeechRequest | null;

  @Field(() => [SpeechRequest], {
    description:
      'Requests the change also ended or withdrew, right after it: the speech before a SPEECH_STARTED, the requests of someone who left (ATTENDANCE_RECORDED), what was left when the session closed.',
  })
  endedSpeeches!: SpeechRequest[];

  /** Who made the change (role and token subject): kept for accountability, shown to admins only. */
  actor!: { role: string; subject: string } | null;

  /** An event read without its payload (see selectsPayload) has none: the fields taken from it are never asked for. */
  static from(event: SessionEvent): SessionEventView {
    const payload = event.payload ?? NO_PAYLOAD;
    return Object.assign(new SessionEventView(), {
      sequence: event.sequence,
      sessionId: toGlobalId('Session', event.sessionId),
      occurredAt: event.occurredAt,
      kind: event.kind,
      status: event.status,
      agendaItem: revive(new AgendaItem(), payload.agendaItem),
      attendance: revive(new AttendanceRecord(), payload.attendance),
      quorum: payload.quorum,
      vote: revive(new Vote(), payload.vote),
      speech: revive(new SpeechRequest(), payload.speech),
      endedSpeeches: (payload.speeches ?? []).map((speech) => revive(new SpeechRequest(), speech)!),
      actor: event.actor as { role: string; subject: string } | null,
    });
  }
}
