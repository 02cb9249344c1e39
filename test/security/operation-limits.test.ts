import { getIntrospectionQuery, parse, print } from 'graphql';
import type { DefinitionNode, OperationDefinitionNode } from 'graphql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { send, startTestServer } from '../support';
import type { TestServer } from '../support';

/**
 * Rows of the attack table that concern what one operation may ask: each
 * sends the real thing over HTTP and over WebSocket and checks the refusal.
 */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

async function overWebSocket(query: string): Promise<{ message: string; extensions?: { code?: string } }[]> {
  const client = createClient({ url: server.wsUrl, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
  try {
    return await new Promise((resolve, reject) => {
      client.subscribe(
        { query },
        {
          next: () => reject(new Error('the operation ran')),
          error: (errors) => resolve(errors as { message: string; extensions?: { code?: string } }[]),
          complete: () => reject(new Error('the operation completed')),
        },
      );
    });
  } finally {
    await client.dispose();
  }
}

const messages = (errors: { message: string }[] | undefined): string => (errors ?? []).map((e) => e.message).join('\n');

const nest = (depth: number): string =>
  `{ sessions(first: 1) { nodes { ${'agenda { session { '.repeat(depth)}id${' } }'.repeat(depth)} } } }`;

describe('limits on one operation', () => {
  it('refuses a depth bomb, over HTTP and over WebSocket', async () => {
    const { json } = await send(server.url, { query: nest(6) });
    expect(messages(json.errors)).toMatch(/depth limit of 8/i);
    expect(json.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(messages(await overWebSocket(nest(6)))).toMatch(/depth limit of 8/i);
  });

  it('refuses an alias flood on an expensive field', async () => {
    const aliases = Array.from({ length: 50 }, (_, i) => `a${i}: sessions(first: 100) { totalCount }`).join(' ');
    const { json } = await send(server.url, { query: `{ ${aliases} }` });
    expect(messages(json.errors)).toMatch(/alias/i);
    expect(messages(await overWebSocket(`{ ${aliases} }`))).toMatch(/alias/i);
  });

  it('refuses a circular fragment', async () => {
    const query = 'query { districts { ...A } } fragment A on District { bodies { district { ...A } } }';
    const { json } = await send(server.url, { query });
    expect(json.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(json.errors?.[0]?.message).toMatch(/cannot spread fragment "A" within itself/i);
  });

  it('refuses a query with too many tokens', async () => {
    const fields = Array.from({ length: 2100 }, () => 'number').join(' ');
    const { json } = await send(server.url, { query: `{ districts { ${fields} } }` });
    expect(messages(json.errors)).toMatch(/token/i);
    expect(messages(await overWebSocket(`{ districts { ${fields} } }`))).toMatch(/token/i);
  });

  it('refuses pages that multiply past the row limit', async () => {
    const { json } = await send(server.url, {
      query: '{ sessions(first: 100) { nodes { events(first: 1000) { sequence } } } }',
    });
    expect(messages(json.errors)).toMatch(/up to 100000 rows/);
  });

  it('refuses a page larger than 100 naming the argument', async () => {
    const { json } = await send(server.url, { query: '{ sessions(first: 101) { totalCount } }' });
    expect(json.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'first' });
  });

  it('refuses a 10 MB body with 413 before parsing it', async () => {
    const { status, json } = await send(server.url, {
      query: '{ districts { number } }',
      variables: { pad: 'x'.repeat(10 * 1024 * 1024) },
    });
    expect(status).toBe(413);
    expect(json.errors?.[0]?.message).toMatch(/too large/);
  });

  it('answers a small batch and refuses a large one', async () => {
    const small = await send(server.url, [{ query: '{ terms { number } }' }, { query: '{ terms { numeral } }' }]);
    expect(small.status).toBe(200);
    expect(Array.isArray(small.json)).toBe(true);
    const large = await send(
      server.url,
      Array.from({ length: 20 }, () => ({ query: '{ terms { number } }' })),
    );
    expect(large.status).toBe(400);
    expect(large.text).toMatch(/at most 5 operations/);
  });

  it('lets the deepest legitimate query through', async () => {
    const { json } = await send(server.url, {
      query:
        '{ sessions(first: 50) { totalCount nodes { id title body { name district { name } } term { numeral } chair { fullName mandates { title seat { label body { name } } } } agenda { position title } attendance { label status person { fullName } seat { label district { name } } } quorum { present required } } } }',
    });
    expect(json.errors).toBeUndefined();
  });
});

/** The first result of an operation over graphql-ws: its data, or the errors it was refused with. */
async function resultOverWebSocket(
  url: string,
  query: string,
): Promise<{ data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] }> {
  const client = createClient({ url, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
  try {
    return await new Promise((resolve, reject) => {
      client.subscribe(
        { query },
        {
          next: (result) => resolve(result as { data?: unknown }),
          error: (errors) =>
            Array.isArray(errors) ? resolve({ errors }) : reject(new Error(`the socket failed: ${String(errors)}`)),
          complete: () => reject(new Error('the operation completed without a result')),
        },
      );
    });
  } finally {
    await client.dispose();
  }
}

describe('introspection for tools (GraphiQL, codegen, IDEs)', () => {
  let production: TestServer;
  beforeAll(async () => {
    production = await startTestServer({ env: { NODE_ENV: 'production' }, database: server.database });
  });
  afterAll(() => production?.stop());

  const sendTo = async (url: string, query: string) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
    return (await response.json()) as {
      data?: { __schema?: { queryType: { name: string } } };
      errors?: { message: string }[];
    };
  };

  const everyOption = {
    descriptions: true,
    specifiedByUrl: true,
    directiveIsRepeatable: true,
    schemaDescription: true,
    inputValueDeprecation: true,
    oneOf: true,
  };

  it.each([
    ['default options', getIntrospectionQuery()],
    ['every option', getIntrospectionQuery(everyOption)],
  ])(
    'answers the standard introspection query with %s, over HTTP and WebSocket, in production',
    async (_name, query) => {
      const overHttp = await sendTo(production.url, query);
      expect(overHttp.errors).toBeUndefined();
      expect(overHttp.data?.__schema?.queryType.name).toBe('Query');
      const overWs = await resultOverWebSocket(production.wsUrl, query);
      expect(overWs.errors).toBeUndefined();
      expect(overWs.data).toEqual(overHttp.data);
    },
  );

  it('refuses a 40-deep introspection, over HTTP and WebSocket', async () => {
    const deep = `{ __type(name: "Query") { ${'ofType { '.repeat(40)}name${' }'.repeat(40)} } }`;
    expect(messages((await sendTo(production.url, deep)).errors)).toMatch(/depth limit of 20/i);
    expect(messages((await resultOverWebSocket(production.wsUrl, deep)).errors)).toMatch(/depth limit of 20/i);
  });

  it('refuses introspection that nests lists past the standard query (types, fields, args)', async () => {
    // Each level multiplies the answer by the schema's size: shallow, cheap to write, huge to answer.
    const bomb = '{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }';
    expect(messages((await sendTo(production.url, bomb)).errors)).toMatch(/Maximum introspection depth exceeded/);
    expect(messages((await resultOverWebSocket(production.wsUrl, bomb)).errors)).toMatch(
      /Maximum introspection depth exceeded/,
    );
    const viaType =
      '{ __type(name: "Session") { fields { type { fields { type { fields { type { fields { name } } } } } } } } }';
    expect(messages((await sendTo(production.url, viaType)).errors)).toMatch(/Maximum introspection depth exceeded/);
  });

  it('refuses two copies of the standard query under aliases', async () => {
    const [operation, ...fragments] = parse(getIntrospectionQuery()).definitions as [
      OperationDefinitionNode,
      ...DefinitionNode[],
    ];
    const schemaField = print(operation.selectionSet.selections[0]!);
    const twice = `{ a: ${schemaField} b: ${schemaField} } ${fragments.map((fragment) => print(fragment)).join(' ')}`;
    expect(messages((await sendTo(production.url, twice)).errors)).toMatch(/cost limit of 150000/i);
  });

  it('holds introspection mixed with other fields to the normal limits', async () => {
    const mixed = getIntrospectionQuery().replace('__schema {', 'terms { number } __schema {');
    expect(messages((await sendTo(production.url, mixed)).errors)).toMatch(/depth limit of 8/i);
    expect(messages((await resultOverWebSocket(production.wsUrl, mixed)).errors)).toMatch(/depth limit of 8/i);
  });
});
