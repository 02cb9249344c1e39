import { Field, ObjectType, registerEnumType } from 'type-graphql';
import type { NodeTypeName } from './global-id';
import { connectionOf } from './connection.types';

export enum ChangeOperation {
  UPSERT = 'UPSERT',
  DELETE = 'DELETE',
}
registerEnumType(ChangeOperation, {
  name: 'ChangeOperation',
  valuesConfig: {
    UPSERT: { description: 'Created or changed: fetch the node (or read it from `node`).' },
    DELETE: { description: 'Removed: forget the row with this id.' },
  },
});

@ObjectType({ description: 'One row of the public record created, changed or removed.' })
export class Change {
  @Field(() => String, { description: 'The GraphQL type of what changed, e.g. Session, AgendaItem, Vote.' })
  typename!: NodeTypeName;

  /** The row's key; its global id is the field `id`. */
  rowId!: number;

  @Field(() => ChangeOperation)
  operation!: ChangeOperation;

  @Field(() => Date, { description: 'When the change was made (its transaction may have committed a little later).' })
  changedAt!: Date;
}

export const ChangeConnection = connectionOf('Change', Change);
