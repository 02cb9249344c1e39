import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { fromGlobalId } from '../schema/global-id';
import type { NodeTypeName } from '../schema/global-id';
import { Node } from '../schema/node.interface';

type NodeLoaderName =
  | 'districtById'
  | 'termById'
  | 'bodyById'
  | 'seatById'
  | 'personById'
  | 'sessionById'
  | 'agendaItemById'
  | 'attendanceRecordById'
  | 'voteById'
  | 'speechRequestById';

const LOADER_OF: Record<NodeTypeName, NodeLoaderName> = {
  District: 'districtById',
  Term: 'termById',
  Body: 'bodyById',
  Seat: 'seatById',
  Person: 'personById',
  Session: 'sessionById',
  AgendaItem: 'agendaItemById',
  AttendanceRecord: 'attendanceRecordById',
  Vote: 'voteById',
  SpeechRequest: 'speechRequestById',
};

/** The object a global id's type and key name, through the request's loaders; null if there is none. */
export async function loadNode(loaders: Context['loaders'], type: NodeTypeName, key: number): Promise<Node | null> {
  return (await loaders[LOADER_OF[type]].load(key)) as Node | null;
}

@Resolver()
export class NodeResolver {
  @Query(() => Node, { nullable: true })
  async node(@Arg('id', () => ID) id: string, @Ctx() { loaders }: Context): Promise<Node | null> {
    const { type, key } = fromGlobalId(id, 'id');
    // Webhook endpoints and deliveries have ids too, but are not public nodes.
    if (!(type in LOADER_OF)) return null;
    return loadNode(loaders, type as NodeTypeName, key);
  }
}
