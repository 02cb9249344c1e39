import type { GraphQLResolveInfo } from 'graphql';
import { WritesTo } from '../auth/write-target';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { AgendaItem, AgendaItemStatus } from '../entities/agenda-item.entity';
import { AttendanceRecord } from '../entities/attendance-record.entity';
import { Body } from '../entities/body.entity';
import { Person } from '../entities/person.entity';
import { Session } from '../entities/session.entity';
import { SpeechRequest, SpeechStatus } from '../entities/speech-request.entity';
import { Vote, VoteStatus } from '../entities/vote.entity';
import { Term } from '../entities/term.entity';
import { shownVenue, Venue } from '../entities/venue.embedded';
import { BadUserInputError } from '../errors';
import { SessionConnection } from '../schema/connection.types';
import type { Page } from '../schema/connection.types';
import { keyOf } from '../schema/global-id';
import { pageSize } from '../schema/pagination';
import { Quorum } from '../schema/quorum.type';
import { resolvedSelectsPayload, SessionEventView } from '../schema/session-event.type';
import { ScheduleSessionInput, UpdateSessionInput } from '../schema/session.inputs';
import { SessionsArgs } from '../schema/sessions.args';
import { floorOrder } from '../services/floor.rules';
import { quorumOf } from '../services/quorum.rules';

/** Events per page of Session.events: a whole long meeting fits in a few pages. */
const DEFAULT_EVENTS_PAGE = 100;
const MAX_EVENTS_PAGE = 1000;

@Resolver(() => Session)
export class SessionResolver {
  @Query(() => SessionConnection)
  sessions(@Args() args: SessionsArgs, @Ctx() { loaders }: Context): Promise<Page<Session>> {
    return loaders.sessionPages.load({ scope: 'all', parentId: 0, args });
  }

  @Query(() => Session, { nullable: true })
  async session(@Arg('id', () => ID) id: string, @Ctx() { loaders }: Context): Promise<Session | null> {
    const key = keyOf(id, 'Session', 'id');
    return key === null ? null : loaders.sessionById.load(key);
  }

  @Mutation(() => Session)
  @WritesTo('Body', 'input.bodyId')
  scheduleSession(
    @Arg('input', () => ScheduleSessionInput) input: ScheduleSessionInput,
    @Ctx() { caller, services }: Context,
  ): Promise<Session> {
    return services.sessionLifecycle.schedule(caller, input);
  }

  @Mutation(() => Session)
  @WritesTo('Session', 'input.id')
  updateSession(
    @Arg('input', () => UpdateSessionInput) input: UpdateSessionInput,
    @Ctx() { caller, services }: Context,
  ): Promise<Session> {
    return services.sessionLifecycle.update(caller, input);
  }

  @Mutation(() => Session)
  @WritesTo('Session', 'id')
  openSession(@Arg('id', () => ID) id: string, @Ctx() { caller, services }: Context): Promise<Session> {
    return services.sessionLifecycle.transition(caller, id, 'open');
  }

  @Mutation(() => Session)
  @WritesTo('Session', 'id')
  suspendSession(@Arg('id', () => ID) id: string, @Ctx() { caller, services }: Context): Promise<Session> {
    return services.sessionLifecycle.transition(caller, id, 'suspend');
  }

  @Mutation(() => Session)
  @WritesTo('Session', 'id')
  resumeSession(@Arg('id', () => ID) id: string, @Ctx() { caller, services }: Context): Promise<Session> {
    return services.sessionLifecycle.transition(caller, id, 'resume');
  }

  @Mutation(() => Session)
  @WritesTo('Session', 'id')
  closeSession(@Arg('id', () => ID) id: string, @Ctx() { caller, services }: Context): Promise<Session> {
    return services.sessionLifecycle.transition(caller, id, 'close');
  }

  @Mutation(() => Session)
  @WritesTo('Session', 'id')
  cancelSession(
    @Arg('id', () => ID) id: string,
    @Ctx() { caller, services }: Context,
    @Arg('reason', () => String, { nullable: true }) reason?: string | null,
  ): Promise<Session> {
    return services.sessionLifecycle.transition(caller, id, 'cancel', reason);
  }

  @FieldResolver(() => Date, {
    description: 'When anything in the session (its agenda, attendance, votes, speakers) last changed.',
  })
  async updatedAt(@Root() session: Session, @Ctx() { loaders }: Context): Promise<Date> {
    // A session removed meanwhile has no version row left: its creation is the last time known.
    return (await loaders.sessionUpdatedAt.load(session.id)) ?? session.createdAt;
  }

  @FieldResolver(() => Body)
  async body(@Root() session: Session, @Ctx() { loaders }: Context): Promise<Body> {
    return (await loaders.bodyById.load(session.bodyId))!;
  }

  @FieldResolver(() => Term)
  async term(@Root() session: Session, @Ctx() { loaders }: Context): Promise<Term> {
    return (await loaders.termById.load(session.termId))!;
  }

  @FieldResolver(() => Venue, { nullable: true })
  venue(@Root() session: Session): Venue | null {
    return shownVenue(session);
  }

  @FieldResolver(() => Person, { nullable: true })
  chair(@Root() session: Session, @Ctx() { loaders }: Context): Promise<Person | null> | null {
    return session.chairId === null ? null : loaders.personById.load(session.chairId);
  }

  @FieldResolver(() => [AgendaItem], { description: 'Ordered by position.' })
  agenda(@Root() session: Session, @Ctx() { loaders }: Context): Promise<AgendaItem[]> {
    return loaders.agendaBySession.load(session.id);
  }

  @FieldResolver(() => AgendaItem, { nullable: true, description: 'The item under discussion now, if any.' })
  async currentAgendaItem(@Root() session: Session, @Ctx() { loaders }: Context): Promise<AgendaItem | null> {
    const agenda = await loaders.agendaBySession.load(session.id);
    return agenda.find((item) => item.status === AgendaItemStatus.IN_PROGRESS) ?? null;
  }

  @FieldResolver(() => [AttendanceRecord])
  attendance(@Root() session: Session, @Ctx() { loaders }: Context): Promise<AttendanceRecord[]> {
    return loaders.attendanceBySession.load(session.id);
  }

  @FieldResolver(() => Quorum)
  async quorum(@Root() session: Session, @Ctx() { loaders }: Context): Promise<Quorum> {
    const [body, records] = await Promise.all([
      loaders.bodyById.load(session.bodyId),
      loaders.attendanceBySession.load(session.id),
    ]);
    return quorumOf(body!.quorumRule, records);
  }

  @FieldResolver(() => [SessionEventView], {
    description: 'The public, timestamped record of every change made to this session, oldest first.',
  })
  async events(
    @Root() session: Session,
    @Ctx() { loaders }: Context,
    @Arg('after', () => Int, { nullable: true }) after?: number | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Info() info?: GraphQLResolveInfo,
  ): Promise<SessionEventView[]> {
    if (after != null && after < 0) throw new BadUserInputError('after', 'after must be a sequence number, 0 or more.');
    const size = pageSize(first, 'first', MAX_EVENTS_PAGE, DEFAULT_EVENTS_PAGE);
    const payload = !info || resolvedSelectsPayload(info);
    const events = await loaders.sessionEvents.load({ sessionId: session.id, after: after ?? 0, first: size, payload });
    return events.map((event) => SessionEventView.from(event));
  }

  @FieldResolver(() => [Vote], { description: 'In the order they were opened.' })
  votes(@Root() session: Session, @Ctx() { loaders }: Context): Promise<Vote[]> {
    return loaders.votesBySession.load(session.id);
  }

  @FieldResolver(() => Vote, { nullable: true, description: 'The vote under way now, if any.' })
  async currentVote(@Root() session: Session, @Ctx() { loaders }: Context): Promise<Vote | null> {
    const votes = await loaders.votesBySession.load(session.id);
    return votes.find((vote) => vote.status === VoteStatus.VOTING) ?? null;
  }

  @FieldResolver(() => [SpeechRequest], {
    description: 'Requests for the floor, in the order the chair will grant them; finished ones last.',
  })
  async speakers(@Root() session: Session, @Ctx() { loaders }: Context): Promise<SpeechRequest[]> {
    return floorOrder(await loaders.speechesBySession.load(session.id));
  }

  @FieldResolver(() => SpeechRequest, { nullable: true, description: 'Who has the floor now, if anyone.' })
  async currentSpeaker(@Root() session: Session, @Ctx() { loaders }: Context): Promise<SpeechRequest | null> {
    const requests = await loaders.speechesBySession.load(session.id);
    return requests.find((request) => request.status === SpeechStatus.SPEAKING) ?? null;
  }
}
