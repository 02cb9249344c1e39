import { FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { ClassType } from 'type-graphql';
import {
  AttendanceRecordConnection,
  BallotConnection,
  PersonConnection,
  SessionConnection,
} from '../schema/connection.types';
import type { Page } from '../schema/connection.types';

/** totalCount costs a statement of its own, so it runs only when a client selects it. */
function connectionResolver(connection: ClassType) {
  @Resolver(() => connection)
  class ConnectionResolver {
    @FieldResolver(() => Int)
    totalCount(@Root() page: Page<unknown>): Promise<number> {
      return page.count();
    }
  }
  return ConnectionResolver;
}

export const SessionConnectionResolver = connectionResolver(SessionConnection);
export const PersonConnectionResolver = connectionResolver(PersonConnection);
export const AttendanceRecordConnectionResolver = connectionResolver(AttendanceRecordConnection);
export const BallotConnectionResolver = connectionResolver(BallotConnection);
