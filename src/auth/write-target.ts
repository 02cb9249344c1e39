import { Extensions } from 'type-graphql';
import type { GraphQLField } from 'graphql';

/** The kinds of object a write names, from which the body it writes to is found. */
export type WriteTargetType = 'Body' | 'Session' | 'AgendaItem' | 'Vote' | 'SpeechRequest';

export type WriteTarget =
  | {
      readonly type: WriteTargetType;
      /** Where the target's id is among the arguments: "id", "input.sessionId". */
      readonly at: string;
    }
  | {
      /** Writes what belongs to no body (the city's webhook endpoints): admins only, whatever the arguments. */
      readonly type: 'Admin';
    };

/**
 * Declares, on a mutation, which argument names what it writes to, so that
 * who may call it is decided from that argument alone, before any other is
 * decoded or looked up (see write-guard.ts). A mutation without it is
 * refused to everyone but admins.
 */
export function WritesTo(type: WriteTargetType, at: string): MethodDecorator {
  return Extensions({ writesTo: { type, at } satisfies WriteTarget });
}

/**
 * Declares a mutation that only an admin may call, as a write target of its own, so that the declaration is
 * explicit (a mutation without any is refused to everyone but admins too, but looks forgotten).
 */
export function AdminOnly(): MethodDecorator {
  return Extensions({ writesTo: { type: 'Admin' } satisfies WriteTarget });
}

export function writeTargetOf(field: GraphQLField<unknown, unknown>): WriteTarget | undefined {
  return (field.extensions as { writesTo?: WriteTarget }).writesTo;
}
