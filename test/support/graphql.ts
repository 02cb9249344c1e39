import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';

export interface GraphQLResponse<TData> {
  data?: TData | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

/** Sends one operation over HTTP with fetch, as a client would. */
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

/** Like post, for operations expected to succeed: fails the test with the server's errors otherwise. */
export async function query<TData, TVariables>(
  url: string,
  document: TypedDocumentNode<TData, TVariables>,
  variables?: TVariables,
  headers: Record<string, string> = {},
): Promise<TData> {
  const result = await post(url, document, variables, headers);
  if (result.errors?.length || !result.data) {
    throw new Error(`GraphQL errors: ${JSON.stringify(result.errors ?? result)}`);
  }
  return result.data;
}
