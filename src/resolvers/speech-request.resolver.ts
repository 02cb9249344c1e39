import { WritesTo } from '../auth/write-target';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { AgendaItem } from '../entities/agenda-item.entity';
import { AttendanceRecord } from '../entities/attendance-record.entity';
import { Session } from '../entities/session.entity';
import { SpeechRequest } from '../entities/speech-request.entity';
import { RequestFloorInput } from '../schema/floor.inputs';

@Resolver(() => SpeechRequest)
export class SpeechRequestResolver {
  @Mutation(() => SpeechRequest)
  @WritesTo('Session', 'input.sessionId')
  requestFloor(
    @Arg('input', () => RequestFloorInput) input: RequestFloorInput,
    @Ctx() { caller, services }: Context,
  ): Promise<SpeechRequest> {
    return services.floor.request(caller, input);
  }

  @Mutation(() => SpeechRequest, {
    description: 'Gives the floor to this request (ending the current speech, if any).',
  })
  @WritesTo('SpeechRequest', 'id')
  grantFloor(
    @Arg('id', () => ID) id: string,
    @Ctx() { caller, services }: Context,
    @Arg('timeLimitSeconds', () => Int, { nullable: true }) timeLimitSeconds?: number | null,
  ): Promise<SpeechRequest> {
    return services.floor.grant(caller, id, timeLimitSeconds);
  }

  @Mutation(() => SpeechRequest)
  @WritesTo('SpeechRequest', 'id')
  endSpeech(@Arg('id', () => ID) id: string, @Ctx() { caller, services }: Context): Promise<SpeechRequest> {
    return services.floor.end(caller, id);
  }

  @Mutation(() => SpeechRequest)
  @WritesTo('SpeechRequest', 'id')
  withdrawSpeechRequest(@Arg('id', () => ID) id: string, @Ctx() { caller, services }: Context): Promise<SpeechRequest> {
    return services.floor.withdraw(caller, id);
  }

  @FieldResolver(() => Session)
  async session(@Root() request: SpeechRequest, @Ctx() { loaders }: Context): Promise<Session> {
    return (await loaders.sessionById.load(request.sessionId))!;
  }

  @FieldResolver(() => AgendaItem, { nullable: true })
  agendaItem(@Root() request: SpeechRequest, @Ctx() { loaders }: Context): Promise<AgendaItem | null> | null {
    return request.agendaItemId === null ? null : loaders.agendaItemById.load(request.agendaItemId);
  }

  @FieldResolver(() => AttendanceRecord, {
    description: "Who asked: a member's record (holder or deputy) or a guest's.",
  })
  async speaker(@Root() request: SpeechRequest, @Ctx() { loaders }: Context): Promise<AttendanceRecord> {
    return (await loaders.attendanceRecordById.load(request.attendanceRecordId))!;
  }
}
