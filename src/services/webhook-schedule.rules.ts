/** The largest share of a retry's wait added at random, so that receivers coming back are not hit all at once. */
export const JITTER = 0.2;

/**
 * Standard Webhooks' retry schedule: the first attempt at once, then after each failure the next wait of the
 * schedule (WEBHOOKS_RETRY_SCHEDULE; the spec's is 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h), stretched by up
 * to JITTER of itself. Returns the wait in milliseconds before the attempt after `attemptsMade`, or null when
 * the schedule is used up and the delivery has failed.
 */
export function retryDelayMs(
  schedule: readonly number[],
  attemptsMade: number,
  random: () => number = Math.random,
): number | null {
  const base = schedule[attemptsMade - 1];
  if (base === undefined) return null;
  return Math.round(base * (1 + JITTER * random()));
}
