import { atDeadline, MAX_TIMER_DELAY_MS } from '../../src/transport/ws/deadline-timer';

/** The timer that closes a socket when its token expires, on a fake clock. */
const DAY = 86_400_000;

describe('atDeadline', () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date('2031-03-05T18:00:00Z') }));
  afterEach(() => jest.useRealTimers());

  it.each([
    ['1 second', 1000],
    ['24 days', 24 * DAY],
    ['25 days', 25 * DAY],
    ['365 days', 365 * DAY],
  ])('fires once, when a deadline %s away is reached and not before', (_name, delay) => {
    const fire = jest.fn();
    atDeadline(Date.now() + delay, fire);
    jest.advanceTimersByTime(delay - 1);
    expect(fire).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(fire).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(400 * DAY);
    expect(fire).toHaveBeenCalledTimes(1);
  });

  it('never asks setTimeout for more than 2³¹−1 ms', () => {
    const setTimeoutSpy = jest.spyOn(global, 'setTimeout');
    atDeadline(Date.now() + 365 * DAY, () => {});
    jest.advanceTimersByTime(365 * DAY);
    const delays = setTimeoutSpy.mock.calls.map((call) => call[1] ?? 0);
    expect(delays.length).toBeGreaterThan(1);
    expect(Math.max(...delays)).toBeLessThanOrEqual(MAX_TIMER_DELAY_MS);
    setTimeoutSpy.mockRestore();
  });

  it('fires on the next tick for a deadline already past', () => {
    const fire = jest.fn();
    atDeadline(Date.now() - 5000, fire);
    jest.advanceTimersByTime(0);
    expect(fire).toHaveBeenCalledTimes(1);
  });

  it('does not fire once cancelled, even between steps', () => {
    const fire = jest.fn();
    const timer = atDeadline(Date.now() + 60 * DAY, fire);
    jest.advanceTimersByTime(30 * DAY);
    timer.cancel();
    jest.advanceTimersByTime(60 * DAY);
    expect(fire).not.toHaveBeenCalled();
  });
});
