import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { createClient } from 'graphql-ws';
import type { Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { GraphQLResponse } from './http';
import { waitFor } from './wait';

/** A graphql-ws client as an application would use it (no retries, lazy), optionally with a token. */
export function wsClient(server: { readonly wsUrl: string }, bearerToken?: string): Client {
  return createClient({
    url: server.wsUrl,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: true,
    connectionParams: bearerToken ? { authorization: `Bearer ${bearerToken}` } : undefined,
  });
}

/** What a subscription delivered, for assertions once a condition holds. */
export interface Collected<T> {
  /** Every result, as delivered. */
  readonly results: GraphQLResponse<T>[];
  /** The data of every result that had data. */
  readonly items: T[];
  /** What the error callback received: the operation refused, or the socket failed. */
  readonly errors: unknown[];
  /** The GraphQL errors carried by results. */
  readonly resultErrors: unknown[];
  completed: boolean;
  stop(): void;
}

export function collect<TData, TVariables extends Record<string, unknown>>(
  client: Client,
  document: TypedDocumentNode<TData, TVariables>,
  variables: TVariables,
): Collected<TData> {
  const collected: Collected<TData> = {
    results: [],
    items: [],
    errors: [],
    resultErrors: [],
    completed: false,
    stop: () => {},
  };
  collected.stop = client.subscribe<TData>(
    { query: print(document), variables },
    {
      next: (result) => {
        collected.results.push(result as GraphQLResponse<TData>);
        if (result.data) collected.items.push(result.data);
        if (result.errors) collected.resultErrors.push(...result.errors);
      },
      error: (error) => collected.errors.push(error),
      complete: () => (collected.completed = true),
    },
  );
  return collected;
}

/** A message of the graphql-transport-ws protocol, as received. */
export interface WsMessage {
  readonly type: string;
  readonly id?: string;
  readonly payload?: unknown;
}

/**
 * A WebSocket speaking graphql-transport-ws by hand, for what the graphql-ws
 * client would never send: bad JSON, a second init, a duplicate id.
 */
export class RawSocket {
  readonly ws: WebSocket;
  readonly received: WsMessage[] = [];
  /** Resolves with the close code and reason, whoever closed. */
  readonly closed: Promise<{ code: number; reason: string }>;
  /** Resolves once open; rejects with the HTTP status if the upgrade is refused. */
  readonly opened: Promise<void>;

  constructor(url: string, protocol = 'graphql-transport-ws', headers: Record<string, string> = {}) {
    this.ws = new WebSocket(url, protocol, { headers });
    this.ws.on('message', (data: WebSocket.RawData) => {
      this.received.push(JSON.parse(String(data)) as WsMessage);
    });
    this.closed = new Promise((resolve) => {
      this.ws.on('close', (code: number, reason: Buffer) => resolve({ code, reason: reason.toString() }));
    });
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => reject(new UpgradeRefused(res.statusCode ?? 0, body)));
      });
      this.ws.once('error', reject);
    });
    // A refused upgrade also emits 'error'; the promises above report it.
    this.ws.on('error', () => {});
  }

  static async open(url: string, headers: Record<string, string> = {}): Promise<RawSocket> {
    const socket = new RawSocket(url, 'graphql-transport-ws', headers);
    await socket.opened;
    return socket;
  }

  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** connection_init, then waits for connection_ack. */
  async init(payload?: Record<string, unknown>): Promise<void> {
    this.send({ type: 'connection_init', ...(payload ? { payload } : {}) });
    await this.next((message) => message.type === 'connection_ack', 'connection_ack');
  }

  subscribe(id: string, query: string, variables?: Record<string, unknown>): void {
    this.send({ type: 'subscribe', id, payload: { query, variables } });
  }

  /** The first received message matching `match` (already received, or the next to arrive). */
  async next(match: (message: WsMessage) => boolean, what: string, timeoutMs = 10_000): Promise<WsMessage> {
    let found: WsMessage | undefined;
    await waitFor(
      () => {
        found = this.received.find(match);
        return found !== undefined || this.ws.readyState === WebSocket.CLOSED;
      },
      what,
      timeoutMs,
    );
    if (!found) throw new Error(`the socket closed before ${what} arrived`);
    return found;
  }

  close(): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close();
  }
}

export class UpgradeRefused extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`upgrade refused with HTTP ${status}: ${body}`);
  }
}
