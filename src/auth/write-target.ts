import { Extensions } from 'type-graphql';
import type { GraphQLField } from 'graphql';

/** The kinds of object a write names, from which the body it writes to is found. */
export type WriteTargetType = 'Body' | 'Session' | 'AgendaItem' | 'Vote' | 'SpeechRequest';

export interface WriteTarget {
  readonly type: WriteTargetType;
  /** Where the target's id is among the arguments: "id", "input.sessionId". */
  readonly at: string;
}

/**
 * Declares, on a mutation, which argument names what it writes to, so that
 * who may call it is decided from that argument alone, before any other is
 * decoded or looked up (see write-guard.ts). A mutation without it is
 * refused to everyone but admins.
 */
export function WritesTo(type: WriteTargetType, at: string): MethodDecorator {
  return Extensions({ writesTo: { type, at } satisfies WriteTarget });
}

export function writeTargetOf(field: GraphQLField<unknown, unknown>): WriteTarget | undefined {
  return (field.extensions as { writesTo?: WriteTarget }).writesTo;
}
