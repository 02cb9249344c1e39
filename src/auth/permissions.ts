import type { Caller } from './caller';
import { ForbiddenError, UnauthenticatedError } from '../errors';
import { toGlobalId } from '../schema/global-id';

/** Writes need a token: an admin writes everything, a clerk the sessions of the bodies the token names. */
export function assertMayWrite(caller: Caller | null, bodyId: number): asserts caller is Caller {
  if (!caller) {
    throw new UnauthenticatedError('Writing needs a token: send Authorization: Bearer <token> of a clerk or an admin.');
  }
  if (caller.role === 'ADMIN') return;
  if (!caller.bodyIds.includes(bodyId)) {
    throw new ForbiddenError(
      `This clerk's token does not allow writing the sessions of body ${toGlobalId('Body', bodyId)}.`,
    );
  }
}

export function assertAuthenticated(caller: Caller | null): asserts caller is Caller {
  if (!caller) {
    throw new UnauthenticatedError('Writing needs a token: send Authorization: Bearer <token> of a clerk or an admin.');
  }
}

/** What only an admin may see or do (webhook endpoints, their secrets and deliveries). */
export function assertAdmin(caller: Caller | null, what: string): asserts caller is Caller {
  if (!caller) throw new UnauthenticatedError(`Only an admin may ${what}: send Authorization: Bearer <admin token>.`);
  if (caller.role !== 'ADMIN') throw new ForbiddenError(`Only an admin may ${what}.`);
}
