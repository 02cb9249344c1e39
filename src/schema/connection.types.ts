import { Field, ObjectType } from 'type-graphql';
import type { ClassType } from 'type-graphql';
import { AttendanceRecord } from '../entities/attendance-record.entity';
import { Ballot } from '../entities/ballot.entity';
import { Person } from '../entities/person.entity';
import { Session } from '../entities/session.entity';

@ObjectType()
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field()
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true })
  startCursor!: string | null;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

/** A page of a list, with the total computed only when a client asks for it. */
export interface Page<T> {
  edges: Edge<T>[];
  nodes: T[];
  pageInfo: PageInfo;
  /** Counts the whole list; resolved only when a client selects totalCount. */
  count: () => Promise<number>;
}

/** The Edge and Connection types of a list of `node`s, named `${name}Edge` and `${name}Connection`. */
export function connectionOf<T extends object>(name: string, node: ClassType<T>) {
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field()
    cursor!: string;

    @Field(() => node)
    node!: T;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionType {
    @Field(() => [EdgeType])
    edges!: EdgeType[];

    @Field(() => [node])
    nodes!: T[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;
  }
  return ConnectionType;
}

export const SessionConnection = connectionOf('Session', Session);
export const PersonConnection = connectionOf('Person', Person);
export const AttendanceRecordConnection = connectionOf('AttendanceRecord', AttendanceRecord);
export const BallotConnection = connectionOf('Ballot', Ballot);
