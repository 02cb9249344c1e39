import { serverAudits } from 'graphql-http';
import type { AuditResult } from 'graphql-http';
import { codes, send, startTestServer } from '../support';
import type { TestServer } from '../support';

/**
 * The GraphQL over HTTP specification, as audited by graphql-http's own
 * suite against the real server: every MUST passes; the SHOULDs we do not
 * meet are listed below with why, and checked to be exactly those, so the
 * list stays true as Apollo Server or our handler change.
 */

/**
 * SHOULD audits the server does not pass, by audit id, with the reason.
 *
 * All three are one choice of Apollo Server: for a request that parses as
 * JSON but whose document does not parse, does not validate, or whose
 * variables do not coerce, it answers 400 whatever the client accepts. The
 * spec recommends 200 for the legacy application/json response type (a
 * client that does not know application/graphql-response+json may treat any
 * 4xx as a transport failure and never read the errors). For clients that
 * accept application/graphql-response+json the 400 is what the spec asks
 * (audits 556A, 74FF, 86EE pass). Answering 200 for application/json would
 * mean rewriting Apollo's status per Accept header in our handler; every
 * client we know of reads the errors of a 400 anyway.
 */
const SHOULD_NOT_MET: Readonly<Record<string, string>> = {
  '572B':
    'Apollo Server answers 400, not 200, to a document that does not parse, also when the client accepts only application/json.',
  FDE2: 'Apollo Server answers 400, not 200, to a document that does not validate, also when the client accepts only application/json.',
  '7B9B':
    'Apollo Server answers 400, not 200, to variables that do not coerce (status400ForVariableCoercionErrors, its default since v5), also when the client accepts only application/json.',
};

/**
 * Why the MAY audits that do not pass do not, for the printed summary (optional
 * behaviour is not asserted). All three send a plain GET: Apollo Server's CSRF
 * prevention (csrfPrevention: true) refuses a GET that a browser could send
 * cross-site without a preflight, that is one without apollo-require-preflight,
 * x-apollo-operation-name or a non-simple content-type. A GET with one of them
 * is served.
 */
const CSRF_GET = "Apollo Server's CSRF prevention refuses a GET without a preflight-forcing header.";
const MAY_NOT_TAKEN: Readonly<Record<string, string>> = { '5A70': CSRF_GET, D6D5: CSRF_GET, '6A70': CSRF_GET };

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

const audits = serverAudits({ url: () => server.url });
const results = new Map<string, AuditResult>();

afterAll(() => {
  const lines = [
    'GraphQL over HTTP audit (graphql-http):',
    `  MUST: ${[...results.values()].filter((r) => r.name.startsWith('MUST') && r.status === 'ok').length} passed of ${audits.filter((a) => a.name.startsWith('MUST')).length}`,
    '  SHOULD not met:',
    ...Object.entries(SHOULD_NOT_MET).map(
      ([id, reason]) => `    ${id} ${audits.find((a) => a.id === id)?.name}\n         ${reason}`,
    ),
    '  MAY not taken up:',
    ...[...results.values()]
      .filter((r) => r.name.startsWith('MAY') && r.status !== 'ok')
      .map((r) => `    ${r.id} ${r.name}\n         ${MAY_NOT_TAKEN[r.id] ?? (r.status === 'ok' ? '' : r.reason)}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
});

/** The result without its Response, which does not print usefully. */
async function run(audit: (typeof audits)[number]): Promise<{ id: string; status: string; reason?: string }> {
  const result = await audit.fn();
  results.set(audit.id, result);
  return result.status === 'ok'
    ? { id: result.id, status: result.status }
    : { id: result.id, status: result.status, reason: result.reason };
}

describe('MUST', () => {
  it.each(audits.filter((audit) => audit.name.startsWith('MUST')).map((audit) => [`${audit.id} ${audit.name}`, audit]))(
    '%s',
    async (_name, audit) => {
      expect(await run(audit)).toEqual({ id: audit.id, status: 'ok' });
    },
  );
});

describe('SHOULD', () => {
  const shoulds = audits.filter((audit) => audit.name.startsWith('SHOULD'));

  it('lists only audits that exist', () => {
    expect(Object.keys(SHOULD_NOT_MET).filter((id) => !shoulds.some((audit) => audit.id === id))).toEqual([]);
  });

  it.each(
    shoulds.map((audit) => [
      `${audit.id} ${audit.name}${SHOULD_NOT_MET[audit.id] ? ' (known not to pass)' : ''}`,
      audit,
    ]),
  )('%s', async (_name, audit) => {
    const result = await run(audit);
    if (SHOULD_NOT_MET[audit.id]) expect(result.status).toBe('warn');
    else expect(result).toEqual({ id: audit.id, status: 'ok' });
  });
});

describe('MAY', () => {
  // Optional behaviour is recorded in the printed summary, not required; the audits must still run cleanly.
  it.each(audits.filter((audit) => audit.name.startsWith('MAY')).map((audit) => [`${audit.id} ${audit.name}`, audit]))(
    '%s runs',
    async (_name, audit) => {
      expect(['ok', 'notice']).toContain((await run(audit)).status);
    },
  );
});

it('refuses a subscription sent over HTTP with a 400 that says it is served over WebSocket', async () => {
  const response = await send(server.url, {
    query: 'subscription { sessionEvents(sessionId: "U2Vzc2lvbjox", after: 0) { sequence } }',
  });
  expect(response.status).toBe(400);
  expect(codes(response.json)).toEqual(['BAD_REQUEST']);
  expect(response.json.errors?.[0]?.message).toMatch(/WebSocket/);
  expect(response.text).not.toMatch(/TypeError|at \//);
});
