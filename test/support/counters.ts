import type { TestServer } from './test-server';

/** The SQL statements a server sends while `run` runs (its own counter): what a read or a change costs. */
export async function statementsOf(server: TestServer, run: () => Promise<unknown>): Promise<number> {
  const before = server.statements();
  await run();
  return server.statements() - before;
}

/** The value of an unlabelled metric on a server's /metrics, 0 while it has none. */
export async function metricValue(server: TestServer, name: string): Promise<number> {
  const text = await (await fetch(server.url.replace(/\/graphql$/, '/metrics'))).text();
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name} `));
  return line === undefined ? 0 : Number(line.slice(name.length + 1));
}
