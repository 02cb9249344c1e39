import { startTestServer } from '../support';
import type { TestServer } from '../support';
/** What changes with NODE_ENV=production, and who may call from a browser. */
let production: TestServer;
let development: TestServer;
beforeAll(async () => {
  production = await startTestServer({ env: { NODE_ENV: 'production', CORS_ORIGINS: 'https://dashboard.example' } });
  development = await startTestServer({ database: production.database });
});
afterAll(async () => {
  await development?.stop();
  await production?.stop();
});

const ask = (server: TestServer, body: unknown, headers: Record<string, string> = {}) =>
  fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

it('suggests field names in development only', async () => {
  const typo = { query: '{ districts { numbr } }' };
  const dev = (await (await ask(development, typo)).json()) as { errors: { message: string }[] };
  expect(dev.errors[0]!.message).toMatch(/Did you mean "number"/);
  const prod = (await (await ask(production, typo)).json()) as { errors: { message: string }[] };
  expect(prod.errors[0]!.message).not.toMatch(/Did you mean/);
  expect(prod.errors[0]!.message).toMatch(/numbr/);
});

it('answers introspection, counting it against the cost limit', async () => {
  const small = (await (await ask(production, { query: '{ __schema { queryType { name } } }' })).json()) as {
    data: { __schema: { queryType: { name: string } } };
  };
  expect(small.data.__schema.queryType.name).toBe('Query');
  const nested = `{ __schema { types { fields { type { fields { type { fields { type { name } } } } } } } } }`;
  const refused = (await (await ask(production, { query: nested })).json()) as { errors?: { message: string }[] };
  expect(refused.errors?.map((e) => e.message).join(' ')).toMatch(/Cost limit|depth limit|introspection depth/i);
});

it('lets configured browser origins call, and no others', async () => {
  const allowed = await ask(production, { query: '{ terms { number } }' }, { origin: 'https://dashboard.example' });
  expect(allowed.headers.get('access-control-allow-origin')).toBe('https://dashboard.example');
  const other = await ask(production, { query: '{ terms { number } }' }, { origin: 'https://evil.example' });
  expect(other.headers.get('access-control-allow-origin')).toBeNull();
  const preflight = await fetch(production.url, {
    method: 'OPTIONS',
    headers: { origin: 'https://dashboard.example' },
  });
  expect(preflight.status).toBe(204);
  expect(preflight.headers.get('access-control-allow-headers')).toMatch(/authorization/);
});

it('keeps CSRF prevention on: a simple GET without a preflight header is refused', async () => {
  const response = await fetch(`${production.url}?query=${encodeURIComponent('{ terms { number } }')}`);
  expect(response.status).toBe(400);
  const preflighted = await fetch(`${production.url}?query=${encodeURIComponent('{ terms { number } }')}`, {
    headers: { 'apollo-require-preflight': 'true' },
  });
  expect(preflighted.status).toBe(200);
});
