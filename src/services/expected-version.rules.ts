import { ConflictError } from '../errors';

/** Optimistic concurrency: the client says which version it saw. */
export function assertVersion(what: string, current: number, expected: number | null | undefined): void {
  if (expected !== null && expected !== undefined && expected !== current) {
    throw new ConflictError(
      `The ${what} has changed since you read it (you had version ${expected}, it is now ${current}); reload it and try again.`,
    );
  }
}
