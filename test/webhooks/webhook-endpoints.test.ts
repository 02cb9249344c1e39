import dns from 'node:dns/promises';
import os from 'node:os';
import { Writable } from 'node:stream';
import { buildSchema } from 'graphql';
import type { GraphQLObjectType } from 'graphql';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { isPublicAddress } from '../../src/services/webhook-address.rules';
import {
  CreateWebhookEndpointDocument,
  DeleteWebhookEndpointDocument,
  DisableWebhookEndpointDocument,
  EnableWebhookEndpointDocument,
  ReplayWebhookDeliveryDocument,
  WebhookDeliveriesDocument,
  WebhookEndpointsDocument,
} from '../generated/graphql';
import {
  bearer,
  codes,
  councilOf,
  gid,
  post,
  query,
  scheduleSession,
  startTestServer,
  token,
  unchangedBy,
  waitFor,
} from '../support';
import type { TestServer } from '../support';

/**
 * Registering webhook endpoints, as production runs it (WEBHOOKS_ALLOW_PRIVATE unset): admins only, HTTPS to
 * public addresses only, checked again when sending, the secret shown once and never logged.
 */
let server: TestServer;
let admin: string;
let clerk: string;
let bodyGid: string;
let logged = '';

beforeAll(async () => {
  const capture = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logged += chunk.toString();
      done();
    },
  });
  server = await startTestServer({ env: { LOG_LEVEL: 'trace' }, log: pino({ level: 'trace' }, capture) });
  admin = await token('ADMIN');
  bodyGid = (await councilOf(server, 14)).bodyGid;
  clerk = await token('CLERK', { bodyIds: [bodyGid] });
});
afterAll(() => server?.stop());

const create = (url: string, as = admin, bodyIds: string[] | null = [bodyGid]) =>
  post(server.url, CreateWebhookEndpointDocument, { url, eventTypes: ['SESSION_STATUS_CHANGED'], bodyIds }, bearer(as));

it('shows the endpoints and the delivery log to admins only', async () => {
  await unchangedBy(server, async () => {
    expect(codes(await post(server.url, WebhookEndpointsDocument, {}))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await post(server.url, WebhookEndpointsDocument, {}, bearer(clerk)))).toEqual(['FORBIDDEN']);
    expect(codes(await post(server.url, WebhookDeliveriesDocument, {}))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await post(server.url, WebhookDeliveriesDocument, {}, bearer(clerk)))).toEqual(['FORBIDDEN']);
    expect(codes(await create('https://example.org/hooks', clerk))).toEqual(['FORBIDDEN']);
  });
});

it.each([
  ['plain HTTP', 'http://example.org/hooks', /must be an https:\/\/ URL/],
  ['another scheme', 'ftp://example.org/hooks', /must be an https:\/\/ URL/],
  ['no URL at all', 'hooks.example.org', /is not an absolute URL/],
  ['a password in the URL', 'https://user:secret@example.org/hooks', /user name or password/],
  ['a fragment', 'https://example.org/hooks#part', /#fragment/],
  ['loopback', 'https://127.0.0.1/hooks', /public address/],
  ['IPv6 loopback', 'https://[::1]/hooks', /public address/],
  ['an IPv4-mapped loopback', 'https://[::ffff:127.0.0.1]/hooks', /public address/],
  ['a private network', 'https://10.1.2.3/hooks', /public address/],
  ['link-local (cloud metadata)', 'https://169.254.169.254/latest/meta-data', /public address/],
  ['IPv6 unique-local', 'https://[fd00::1]/hooks', /public address/],
  ['localhost by name', 'https://localhost:8443/hooks', /not localhost/],
  ['a URL too long', `https://example.org/${'a'.repeat(2000)}`, /at most 2000 characters/],
])('refuses %s as BAD_USER_INPUT, storing nothing', async (_what, url, problem) => {
  await unchangedBy(server, async () => {
    const result = await create(url);
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0]!.message).toMatch(problem);
    expect(result.errors![0]!.extensions!.argumentName).toBe('url');
  });
});

it('refuses no event type, a body id of another type, and a body that does not exist; storing nothing', async () => {
  const session = await scheduleSession(server, admin, (await councilOf(server, 15)).bodyGid, 'Sesja obca');
  await unchangedBy(server, async () => {
    const none = await post(
      server.url,
      CreateWebhookEndpointDocument,
      { url: 'https://example.org/hooks', eventTypes: [] },
      bearer(admin),
    );
    expect(codes(none)).toEqual(['BAD_USER_INPUT']);
    expect(codes(await create('https://example.org/hooks', admin, [session]))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await create('https://example.org/hooks', admin, [bodyGid, gid('Body', 999_999)]))).toEqual([
      'NOT_FOUND',
    ]);
  });
});

it('shows the secret once: the list has no field for it, and no log line holds it', async () => {
  const created = await create('https://example.org/hooks/once');
  const { secret, endpoint } = created.data!.createWebhookEndpoint;
  expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
  const schema = buildSchema(readFileSync(path.join(__dirname, '..', '..', 'schema.graphql'), 'utf8'));
  expect(Object.keys((schema.getType('WebhookEndpoint') as GraphQLObjectType).getFields())).not.toContain('secret');
  const listed = await query(server.url, WebhookEndpointsDocument, {}, bearer(admin));
  expect(JSON.stringify(listed)).not.toContain(secret);
  expect(listed.webhookEndpoints.map((candidate) => candidate.id)).toContain(endpoint.id);
  expect(logged.length).toBeGreaterThan(0);
  expect(logged).not.toContain(secret);
  expect(logged).not.toContain(secret.slice('whsec_'.length));
});

it('checks the address again when sending: a name that resolves to this machine is refused then', async () => {
  const name = os.hostname();
  const addresses = await dns.lookup(name, { all: true });
  // The machine's own name resolves to itself (loopback, or a private address of its network).
  expect(addresses.some((entry) => !isPublicAddress(entry.address))).toBe(true);
  const body = (await councilOf(server, 16)).bodyGid;
  const created = await create(`https://${name}:9/hooks`, admin, [body]);
  const endpointId = created.data!.createWebhookEndpoint.endpoint.id;
  await scheduleSession(server, admin, body, 'Sesja: adres prywatny');
  const deliveries = () =>
    query(server.url, WebhookDeliveriesDocument, { endpointId }, bearer(admin)).then((data) => data.webhookDeliveries);
  await waitFor(async () => (await deliveries())[0]?.lastError != null, 'the first attempt');
  const [delivery] = await deliveries();
  expect(delivery).toMatchObject({ status: 'PENDING', attempts: 1, lastStatusCode: null });
  expect(delivery!.lastError).toMatch(/^refused: .* is a private, loopback, link-local or reserved address$/);
});

it('disables, enables and deletes an endpoint; a disabled one gets no deliveries and replays none', async () => {
  const body = (await councilOf(server, 17)).bodyGid;
  const created = await create('https://example.org/hooks/lifecycle', admin, [body]);
  const { id } = created.data!.createWebhookEndpoint.endpoint;
  const disabled = await query(server.url, DisableWebhookEndpointDocument, { id }, bearer(admin));
  expect(disabled.disableWebhookEndpoint).toMatchObject({ enabled: false, disabledReason: 'Disabled by an admin.' });
  await scheduleSession(server, admin, body, 'Sesja: wyłączony');
  expect(
    (await query(server.url, WebhookDeliveriesDocument, { endpointId: id }, bearer(admin))).webhookDeliveries,
  ).toEqual([]);
  const enabled = await query(server.url, EnableWebhookEndpointDocument, { id }, bearer(admin));
  expect(enabled.enableWebhookEndpoint).toMatchObject({ enabled: true, disabledReason: null, disabledAt: null });
  await scheduleSession(server, admin, body, 'Sesja: włączony');
  const [delivery] = (await query(server.url, WebhookDeliveriesDocument, { endpointId: id }, bearer(admin)))
    .webhookDeliveries;
  expect(delivery).toBeDefined();
  await query(server.url, DisableWebhookEndpointDocument, { id }, bearer(admin));
  await unchangedBy(server, async () => {
    const replay = await post(server.url, ReplayWebhookDeliveryDocument, { id: delivery!.id }, bearer(admin));
    expect(codes(replay)).toEqual(['CONFLICT']);
  });
  expect((await query(server.url, DeleteWebhookEndpointDocument, { id }, bearer(admin))).deleteWebhookEndpoint).toBe(
    id,
  );
  await unchangedBy(server, async () => {
    expect(codes(await post(server.url, DeleteWebhookEndpointDocument, { id }, bearer(admin)))).toEqual(['NOT_FOUND']);
    expect(codes(await post(server.url, ReplayWebhookDeliveryDocument, { id: delivery!.id }, bearer(admin)))).toEqual([
      'NOT_FOUND',
    ]);
    expect(codes(await post(server.url, DisableWebhookEndpointDocument, { id: bodyGid }, bearer(admin)))).toEqual([
      'BAD_USER_INPUT',
    ]);
  });
  const list = await query(server.url, WebhookEndpointsDocument, {}, bearer(admin));
  expect(list.webhookEndpoints.map((endpoint) => endpoint.id)).not.toContain(id);
});

it('pages the delivery log: first between 1 and 100', async () => {
  for (const first of [0, 101]) {
    expect(codes(await post(server.url, WebhookDeliveriesDocument, { first }, bearer(admin)))).toEqual([
      'BAD_USER_INPUT',
    ]);
  }
});
