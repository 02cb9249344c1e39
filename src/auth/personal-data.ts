import type { Caller } from './caller';

/**
 * RODO/GDPR: a person's contact details go to an admin, or to a clerk of a
 * body in which the person holds a seat (who needs them to run its
 * meetings); to nobody else, whatever the channel.
 */
export function maySeeContactDetails(caller: Caller | null, seatBodyIds: readonly number[]): boolean {
  if (!caller) return false;
  if (caller.role === 'ADMIN') return true;
  return seatBodyIds.some((bodyId) => caller.bodyIds.includes(bodyId));
}
