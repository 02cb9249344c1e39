import { loadConfig, ConfigError } from '../../src/config';
import { SessionEventKind } from '../../src/entities/session-event.entity';
import { WebhookEventType } from '../../src/entities/webhook-endpoint.entity';
import { endpointUrlProblem, isPublicAddress } from '../../src/services/webhook-address.rules';
import { WEBHOOK_EVENT_TYPE_OF, webhookPayload } from '../../src/services/webhook-payload.rules';
import type { WebhookSource } from '../../src/services/webhook-payload.rules';
import { JITTER, retryDelayMs } from '../../src/services/webhook-schedule.rules';

describe('isPublicAddress', () => {
  it.each([
    ['93.184.216.34', true],
    ['2606:2800:220:1:248:1893:25c8:1946', true],
    ['127.0.0.1', false],
    ['127.8.9.10', false],
    ['10.0.0.1', false],
    ['172.16.5.4', false],
    ['192.168.1.1', false],
    ['169.254.169.254', false],
    ['100.64.0.1', false],
    ['0.0.0.0', false],
    ['255.255.255.255', false],
    ['224.0.0.1', false],
    ['192.0.2.1', false],
    ['::1', false],
    ['::', false],
    ['fe80::1', false],
    ['fd12:3456::1', false],
    ['::ffff:127.0.0.1', false],
    ['::ffff:10.0.0.1', false],
    ['::ffff:93.184.216.34', true],
    ['2002:7f00:1::', false],
    ['not an address', false],
  ])('%s is public: %s', (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });
});

describe('endpointUrlProblem', () => {
  it('accepts an https URL of a public host, with a port, path and query', () => {
    expect(endpointUrlProblem('https://hooks.example.org:8443/obrady?team=civic', false)).toBeNull();
    expect(endpointUrlProblem('https://93.184.216.34/hooks', false)).toBeNull();
  });

  it('refuses plain http and private hosts unless the switch allows them', () => {
    for (const url of [
      'http://127.0.0.1:3000/hooks',
      'https://10.0.0.1/',
      'https://localhost/',
      'https://a.localhost/',
    ]) {
      expect([url, endpointUrlProblem(url, false)]).toEqual([url, expect.any(String)]);
      expect([url, endpointUrlProblem(url, true)]).toEqual([url, null]);
    }
  });

  it('refuses, switch or not, what is never a webhook URL', () => {
    for (const url of [
      'ftp://example.org/',
      'mailto:a@example.org',
      'https://u:p@example.org/',
      '/hooks',
      'https://example.org/#x',
    ]) {
      expect([url, endpointUrlProblem(url, true)]).toEqual([url, expect.any(String)]);
    }
  });
});

describe('retryDelayMs', () => {
  const schedule = [5000, 300_000, 1_800_000];

  it("waits the schedule's entry after each failure, stretched by at most the jitter, then gives up", () => {
    expect(retryDelayMs(schedule, 1, () => 0)).toBe(5000);
    expect(retryDelayMs(schedule, 1, () => 0.999_999)).toBe(Math.round(5000 * (1 + JITTER * 0.999_999)));
    expect(retryDelayMs(schedule, 2, () => 0.5)).toBe(300_000 * (1 + JITTER / 2));
    expect(retryDelayMs(schedule, 3, () => 0)).toBe(1_800_000);
    expect(retryDelayMs(schedule, 4, () => 0)).toBeNull();
    expect(retryDelayMs([], 1)).toBeNull();
  });

  it('spreads receivers coming back: random jitter within [delay, delay × (1 + JITTER)]', () => {
    const delays = Array.from({ length: 200 }, () => retryDelayMs(schedule, 1)!);
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(5000);
    expect(Math.max(...delays)).toBeLessThanOrEqual(5000 * (1 + JITTER));
    expect(new Set(delays).size).toBeGreaterThan(10);
  });
});

describe('WEBHOOKS_RETRY_SCHEDULE', () => {
  it("defaults to the spec's schedule", () => {
    const minute = 60_000;
    const hour = 60 * minute;
    expect(loadConfig({}).webhooks.retrySchedule).toEqual([
      5000,
      5 * minute,
      30 * minute,
      2 * hour,
      5 * hour,
      10 * hour,
      10 * hour,
    ]);
  });

  it('reads durations with units, and refuses anything else', () => {
    expect(loadConfig({ WEBHOOKS_RETRY_SCHEDULE: '100ms,2s,1m' }).webhooks.retrySchedule).toEqual([100, 2000, 60_000]);
    for (const bad of ['5', '5 s', '5s,,5m', '1d', '-5s']) {
      expect(() => loadConfig({ WEBHOOKS_RETRY_SCHEDULE: bad })).toThrow(ConfigError);
    }
    expect(loadConfig({}).webhooks.allowPrivate).toBe(false);
  });
});

describe('webhookPayload', () => {
  const source = (over: Partial<WebhookSource>): WebhookSource => ({
    sessionId: 7,
    sequence: 3,
    kind: SessionEventKind.VOTE_CLOSED,
    occurredAt: new Date('2031-03-05T18:30:00Z'),
    eventType: WebhookEventType.VOTE_CLOSED,
    session: { id: 7, bodyId: 2, title: 'Sesja', status: 'IN_PROGRESS', chairId: 9, logBytes: 100, synthetic: false },
    agendaItem: null,
    order: null,
    vote: {
      id: 4,
      agendaItemId: 5,
      subject: 'Uchwała',
      secrecy: 'SECRET',
      status: 'CLOSED',
      result: 'ADOPTED',
      countFor: 10,
      countAgainst: 2,
      countAbstain: 1,
      quorumSeats: 21,
      quorumPresent: 15,
      quorumRequired: 11,
      quorumReached: true,
    },
    quorum: { seats: 21, present: 15, required: 11, reached: true },
    ...over,
  });

  it("names the type, the event's time, and the API's global ids", () => {
    const payload = webhookPayload(source({}));
    expect(payload.type).toBe('vote.closed');
    expect(payload.timestamp).toBe('2031-03-05T18:30:00.000Z');
    expect(payload.data).toMatchObject({
      sessionId: Buffer.from('Session:7').toString('base64url'),
      sequence: 3,
      session: { bodyId: Buffer.from('Body:2').toString('base64url'), title: 'Sesja', status: 'IN_PROGRESS' },
      vote: { id: Buffer.from('Vote:4').toString('base64url'), counts: { for: 10, against: 2, abstain: 1 } },
    });
  });

  it('copies only the fields it names: no person, no internal column, whatever the snapshot holds', () => {
    const text = JSON.stringify(
      webhookPayload(
        source({
          session: {
            id: 7,
            bodyId: 2,
            title: 'Sesja',
            chairId: 9,
            email: 'a@example.org',
            phone: '+48 1',
            logBytes: 5,
          },
          vote: { id: 4, countFor: 1, ballots: [{ seatId: 3, option: 'FOR' }], email: 'b@example.org' },
        }),
      ),
    );
    expect(text).not.toMatch(/chairId|email|phone|logBytes|ballots|seatId|synthetic|@example/);
  });

  it('maps every kind of session event, once', () => {
    expect(Object.keys(WEBHOOK_EVENT_TYPE_OF).sort()).toEqual(Object.values(SessionEventKind).sort());
  });
});
