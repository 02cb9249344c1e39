/**
 * The longest delay setTimeout honours: 2³¹−1 ms (about 24.8 days). Node
 * clamps a longer one to 1 ms, with a TimeoutOverflowWarning, so a timer set
 * for a long-lived token's expiry would fire at once.
 */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/** A timer that can be cancelled before it fires. */
export interface DeadlineTimer {
  cancel(): void;
}

/**
 * Calls `fire` once the clock reaches `deadline` (epoch ms), however far
 * away: in steps of at most MAX_TIMER_DELAY_MS, reading the clock again at
 * each step. A deadline already past fires on the next tick. The timers do not
 * keep the process alive.
 */
export function atDeadline(deadline: number, fire: () => void): DeadlineTimer {
  let handle: NodeJS.Timeout;
  const wait = (): void => {
    const remaining = deadline - Date.now();
    handle = setTimeout(
      remaining > MAX_TIMER_DELAY_MS ? wait : fire,
      Math.min(Math.max(0, remaining), MAX_TIMER_DELAY_MS),
    );
    handle.unref();
  };
  wait();
  return { cancel: () => clearTimeout(handle) };
}
