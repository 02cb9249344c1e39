import { DistrictsDocument } from './generated/graphql';
import { query, startTestServer, token } from './support';
import type { TestServer } from './support';

let server: TestServer;
let base: string;
beforeAll(async () => {
  server = await startTestServer();
  base = server.url.replace(/\/graphql$/, '');
});
afterAll(() => server?.stop());

async function metric(name: string, labels = ''): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const line = text
    .split('\n')
    .find((l) => l.startsWith(`${name}${labels} `) || (labels === '' && l.startsWith(`${name} `)));
  return line ? Number(line.split(' ').pop()) : 0;
}

describe('health and metrics', () => {
  it('says it is alive and ready', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.text()).toBe('ready\n');
  });

  it('counts requests by operation and outcome, and events written', async () => {
    const before = await metric('obrady_graphql_requests_total', '{operation="Districts",outcome="ok"}');
    await query(server.url, DistrictsDocument);
    await query(server.url, DistrictsDocument);
    expect(await metric('obrady_graphql_requests_total', '{operation="Districts",outcome="ok"}')).toBe(before + 2);
    expect(await metric('obrady_sql_statements_total')).toBeGreaterThan(0);
    expect(await metric('obrady_db_pool_connections', '{state="idle"}')).toBeGreaterThanOrEqual(0);

    const written = await metric('obrady_events_written_total');
    const adminToken = await token('ADMIN', { subject: 'test', ttlSeconds: 60 });
    const [session] = (await server.server.database.dataSource.query('SELECT id FROM session LIMIT 1')) as {
      id: number;
    }[];
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({
        query: 'mutation($id: ID!) { updateSession(input: { id: $id, description: "x" }) { id } }',
        variables: { id: Buffer.from(`Session:${session!.id}`).toString('base64url') },
      }),
    });
    expect(((await response.json()) as { errors?: unknown }).errors).toBeUndefined();
    expect(await metric('obrady_events_written_total')).toBe(written + 1);
    expect(await metric('obrady_process_resident_memory_bytes')).toBeGreaterThan(0);
  });
});
