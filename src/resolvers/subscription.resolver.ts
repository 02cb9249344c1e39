import { Arg, Ctx, ID, Int, Resolver, Root, Subscription } from 'type-graphql';
import type { SubscribeResolverData } from 'type-graphql';
import type { Context } from '../context';
import { AgendaItem } from '../entities/agenda-item.entity';
import { AttendanceRecord } from '../entities/attendance-record.entity';
import { SessionEventKind } from '../entities/session-event.entity';
import { Session } from '../entities/session.entity';
import { AgendaChange, AttendanceChange } from '../schema/change.types';
import { keyOf } from '../schema/global-id';
import { resolvedSelectsPayload, revive, SessionEventView } from '../schema/session-event.type';
import { ScopeKey } from '../events/event-scope';
import type { EventScope } from '../events/event-scope';
import type { DeliveredEvent, StatusChange } from '../events/session-feed';
import { filterMap } from '../events/streams';

type Data<TArgs> = SubscribeResolverData<unknown, TArgs, Context>;

/**
 * What an event resolves to is built once, whoever receives it: the view is
 * kept in the event's scope, and its receivers share one set of loaders, so
 * N screens cost the statements of one.
 */
const VIEW = new ScopeKey<SessionEventView>('view');
const ATTENDANCE_CHANGE = new ScopeKey<AttendanceChange>('attendanceChange');
const AGENDA_CHANGE = new ScopeKey<AgendaChange>('agendaChange');

function useSharedLoaders(delivered: { scope: EventScope }, context: Context): void {
  context.loaders = delivered.scope.loadersFrom(context.createLoaders);
}

const isAgendaKind = (kind: SessionEventKind): boolean => kind.startsWith('AGENDA_');

@Resolver()
export class SubscriptionResolver {
  @Subscription(() => SessionEventView, {
    description:
      'Every change to one session, in order. With after, first replays every event with a larger sequence, then goes on live: nothing is missed across a reconnect.',
    subscribe: ({ args, context, info }: Data<{ sessionId: string; after?: number | null }>) =>
      context.feed.sessionEvents(keyOf(args.sessionId, 'Session', 'sessionId'), args.after ?? null, {
        payload: resolvedSelectsPayload(info),
        drained: context.drained,
      }),
  })
  sessionEvents(
    @Root() delivered: DeliveredEvent,
    @Ctx() context: Context,
    @Arg('sessionId', () => ID) _sessionId: string,
    @Arg('after', () => Int, { nullable: true }) _after?: number | null,
  ): SessionEventView {
    useSharedLoaders(delivered, context);
    return delivered.scope.once(VIEW, () => SessionEventView.from(delivered.event));
  }

  @Subscription(() => AttendanceChange, {
    subscribe: async ({ args, context }: Data<{ sessionId: string }>) =>
      filterMap(await context.feed.sessionEvents(keyOf(args.sessionId, 'Session', 'sessionId'), null), (delivered) =>
        delivered.event.kind === SessionEventKind.ATTENDANCE_RECORDED ? delivered : null,
      ),
  })
  attendanceChanged(
    @Root() delivered: DeliveredEvent,
    @Ctx() context: Context,
    @Arg('sessionId', () => ID) _sessionId: string,
  ): AttendanceChange {
    useSharedLoaders(delivered, context);
    return delivered.scope.once(ATTENDANCE_CHANGE, () => {
      const { event } = delivered;
      return Object.assign(new AttendanceChange(), {
        sequence: event.sequence,
        occurredAt: event.occurredAt,
        record: revive(new AttendanceRecord(), event.payload.attendance)!,
        quorum: event.payload.quorum,
      });
    });
  }

  @Subscription(() => AgendaChange, {
    subscribe: async ({ args, context }: Data<{ sessionId: string }>) =>
      filterMap(await context.feed.sessionEvents(keyOf(args.sessionId, 'Session', 'sessionId'), null), (delivered) =>
        isAgendaKind(delivered.event.kind) ? delivered : null,
      ),
  })
  agendaChanged(
    @Root() delivered: DeliveredEvent,
    @Ctx() context: Context,
    @Arg('sessionId', () => ID) _sessionId: string,
  ): AgendaChange {
    useSharedLoaders(delivered, context);
    return delivered.scope.once(AGENDA_CHANGE, () => {
      const { event } = delivered;
      return Object.assign(new AgendaChange(), {
        sequence: event.sequence,
        occurredAt: event.occurredAt,
        kind: event.kind,
        item: revive(new AgendaItem(), event.payload.agendaItem)!,
        sessionId: event.sessionId,
        order: event.payload.order ?? [],
      });
    });
  }

  @Subscription(() => Session, {
    description: 'A session whenever its status changes: for dashboards that list what is live.',
    subscribe: async ({ args, context }: Data<{ bodyId?: string | null; districtNumber?: number | null }>) => {
      const bodyId = args.bodyId == null ? null : (keyOf(args.bodyId, 'Body', 'bodyId') ?? -1);
      let districtId: number | null = null;
      if (args.districtNumber != null) {
        const district = await context.services.reference.district({ number: args.districtNumber });
        districtId = district?.id ?? -1;
      }
      return context.feed.statusChanges(bodyId, districtId);
    },
  })
  sessionStatusChanged(
    @Root() change: StatusChange,
    @Ctx() context: Context,
    @Arg('bodyId', () => ID, { nullable: true }) _bodyId?: string | null,
    @Arg('districtNumber', () => Int, { nullable: true }) _districtNumber?: number | null,
  ): Session {
    useSharedLoaders(change, context);
    return change.session;
  }
}
