import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { createClient } from 'graphql-ws';
import type { Client } from 'graphql-ws';
import WebSocket from 'ws';
import { signToken } from '../../src/auth/tokens';
import { post } from './graphql';
import type { GraphQLResponse } from './graphql';

/** The secret test servers sign with: pass `env: { AUTH_SECRET: TEST_SECRET }` to startTestServer. */
export const TEST_SECRET = 'test-secret-of-at-least-thirty-two-characters';

export async function adminToken(ttlSeconds = 600): Promise<string> {
  return signToken(new TextEncoder().encode(TEST_SECRET), { role: 'ADMIN', subject: 'admin@test', ttlSeconds });
}

export async function clerkToken(bodyIds: string[], ttlSeconds = 600): Promise<string> {
  return signToken(new TextEncoder().encode(TEST_SECRET), {
    role: 'CLERK',
    subject: 'clerk@test',
    bodyIds,
    ttlSeconds,
  });
}

/** Sends an operation with a bearer token. */
export function as<TData, TVariables>(
  token: string | null,
  url: string,
  document: TypedDocumentNode<TData, TVariables>,
  variables: TVariables,
): Promise<GraphQLResponse<TData> & { status: number }> {
  return post(url, document, variables, token ? { authorization: `Bearer ${token}` } : {});
}

export function wsClient(url: string, connectionParams?: Record<string, unknown>): Client {
  return createClient({ url, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true, connectionParams });
}

/** Collects what a subscription delivers; `until` waits for a condition on it. */
export function collect<TData, TVariables extends Record<string, unknown>>(
  client: Client,
  document: TypedDocumentNode<TData, TVariables>,
  variables: TVariables,
) {
  const items: TData[] = [];
  const errors: unknown[] = [];
  let completed = false;
  const stop = client.subscribe<TData>(
    { query: print(document), variables },
    {
      next: (value) => {
        if (value.data) items.push(value.data);
        if (value.errors) errors.push(...value.errors);
      },
      error: (error) => errors.push(error),
      complete: () => (completed = true),
    },
  );
  return {
    items,
    errors,
    get completed() {
      return completed;
    },
    stop,
  };
}

export async function until(condition: () => boolean | Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Fails the test with the server's errors unless the operation succeeded. */
export function ok<TData>(result: GraphQLResponse<TData>): TData {
  if (result.errors?.length || !result.data) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
  return result.data;
}

/** The code of the first error. */
export function code(result: GraphQLResponse<unknown>): unknown {
  return result.errors?.[0]?.extensions?.code;
}
