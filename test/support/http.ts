import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';

export interface GraphQLResponse<TData> {
  data?: TData | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

/** Sends one typed operation over HTTP with fetch, as a client would. */
export async function post<TData, TVariables>(
  url: string,
  document: TypedDocumentNode<TData, TVariables>,
  variables?: TVariables,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<TData> & { status: number }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: JSON.stringify({ query: print(document), variables }),
  });
  return { status: response.status, ...((await response.json()) as GraphQLResponse<TData>) };
}

/** The data of a result that must have succeeded: fails the test with the server's errors otherwise. */
export function ok<TData>(result: GraphQLResponse<TData>): TData {
  if (result.errors?.length || !result.data) {
    throw new Error(`GraphQL errors: ${JSON.stringify(result.errors ?? result)}`);
  }
  return result.data;
}

/** Like post, for operations expected to succeed: their data, or the test fails with the server's errors. */
export async function query<TData, TVariables>(
  url: string,
  document: TypedDocumentNode<TData, TVariables>,
  variables?: TVariables,
  headers: Record<string, string> = {},
): Promise<TData> {
  return ok(await post(url, document, variables, headers));
}

/** What `send` got back: the status, the body as text, and the body as JSON ({} if it is not JSON). */
export interface RawResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly json: GraphQLResponse<unknown> & unknown[];
}

/**
 * POSTs any body as application/json (a string as it is, anything else
 * JSON-encoded), with no Accept header unless given: for what a typed client
 * would never send.
 */
export async function send(url: string, body: unknown, headers: Record<string, string> = {}): Promise<RawResponse> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let json: unknown = {};
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON: reported by the assertions
  }
  return { status: response.status, headers: response.headers, text, json: json as RawResponse['json'] };
}

/** The extensions.code of every error of a result, in order. */
export const codes = (result: { errors?: readonly { extensions?: Record<string, unknown> }[] }): unknown[] =>
  (result.errors ?? []).map((error) => error.extensions?.code);
