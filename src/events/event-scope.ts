import type { ExecutionResult } from 'graphql';
import type { Loaders } from '../loaders';

/** Names a value built once per event, with its type: `new ScopeKey<SessionEventView>('view')`. */
export class ScopeKey<T> {
  declare private readonly type: T;
  constructor(readonly name: string) {}
}

/**
 * What the receivers of one delivered event share: the event's one set of
 * loaders (so N screens cost the statements of one, and none reads through a
 * loader from before the change), the values resolved from it, and one
 * execution result per distinct operation, variables and visibility (see
 * transport/ws/shared-execution.ts). Made by the feed for each event it
 * delivers, and dropped with it.
 */
export class EventScope {
  private loaders: Loaders | undefined;
  private readonly values = new Map<ScopeKey<unknown>, unknown>();
  private readonly results = new Map<string, Promise<ExecutionResult>>();

  /** The event's loaders, made by the first receiver that needs them. */
  loadersFrom(make: () => Loaders): Loaders {
    return (this.loaders ??= make());
  }

  /** A value resolved from the event, built by its first receiver. */
  once<T>(key: ScopeKey<T>, make: () => T): T {
    if (!this.values.has(key)) this.values.set(key, make());
    return this.values.get(key) as T;
  }

  /** The result of executing one operation for this event, shared by every receiver that asked the same. */
  result(key: string, execute: () => Promise<ExecutionResult>): Promise<ExecutionResult> {
    let result = this.results.get(key);
    if (!result) this.results.set(key, (result = execute()));
    return result;
  }
}
