import { Field, ID, InterfaceType } from 'type-graphql';

/** Relay's Node: anything with a global id that `node(id)` can fetch back. */
@InterfaceType('Node')
export abstract class Node {
  @Field(() => ID, { name: 'id' })
  abstract readonly nodeId: string;
}
