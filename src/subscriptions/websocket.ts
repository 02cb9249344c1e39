import type { Server } from 'node:http';
import { GraphQLError, specifiedRules, validate } from 'graphql';
import type { DocumentNode, ExecutionArgs, GraphQLSchema } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import type { IncomingMessage } from 'node:http';
import type { TokenVerifier } from '../auth/tokens';
import type { Config } from '../config';
import type { Caller, Context } from '../context';
import type { Logger } from '../logger';
import type { OperationLimits } from '../security/operation-limits';
import { SocketGuard } from '../security/socket-guard';
import { subscribeSharingResults } from './shared-execution';

type Extra = {
  readonly socket: WebSocket;
  readonly request: IncomingMessage;
  caller?: Caller | null;
  expiry?: NodeJS.Timeout;
  /** The client's address, for the per-address subscribe rate; taken from the request at connection_init. */
  address?: string;
};

export interface WebSocketDeps {
  readonly httpServer: Server;
  readonly schema: GraphQLSchema;
  readonly config: Config;
  readonly verifier: TokenVerifier;
  readonly operationLimits: OperationLimits;
  readonly contextFor: (caller: Caller | null) => Context;
  readonly log: Logger;
  /** Called each time a subscription's selection is executed for an event (not per subscriber). */
  readonly executed?: () => void;
}

/**
 * GraphQL over WebSocket (graphql-ws) on the HTTP server's own /graphql. It
 * applies the same operation limits as HTTP (these operations never pass
 * through Apollo), and its own limits on sockets. A token travels in
 * connectionParams.authorization; a bad one is refused (4403), and a socket
 * whose token expires is closed (4403) rather than keep rights it no longer has.
 */
export function serveWebSocket(deps: WebSocketDeps): { dispose: () => Promise<void>; sockets: () => number } {
  const { config, log } = deps;
  const { limits } = config;
  const guard = new SocketGuard(limits, config.trustProxy, log);
  const wsServer = new WebSocketServer({
    server: deps.httpServer,
    path: '/graphql',
    maxPayload: limits.wsMaxPayload,
    verifyClient: guard.verifyClient,
  });
  guard.attach(wsServer);
  const rules = [...specifiedRules, ...deps.operationLimits.rules()];

  /**
   * Parsing and validating an operation, done once per distinct query text:
   * ten thousand screens send the same subscription, and share one document.
   */
  const preparedOperations = new Map<string, DocumentNode>();
  const prepare = (query: string): DocumentNode | readonly GraphQLError[] => {
    const known = preparedOperations.get(query);
    if (known) return known;
    const outcome = parseAndValidate(query);
    // Only valid operations of a modest size are kept, so junk cannot fill the memory.
    if (!isErrors(outcome) && query.length <= 4096) {
      if (preparedOperations.size >= 500) preparedOperations.delete(preparedOperations.keys().next().value!);
      preparedOperations.set(query, outcome);
    }
    return outcome;
  };
  const parseAndValidate = (query: string): DocumentNode | readonly GraphQLError[] => {
    let document;
    try {
      document = deps.operationLimits.parse(query);
    } catch (error) {
      return [
        error instanceof GraphQLError
          ? new GraphQLError(error.message, { extensions: { code: 'GRAPHQL_PARSE_FAILED' } })
          : new GraphQLError('The query could not be parsed.', { extensions: { code: 'GRAPHQL_PARSE_FAILED' } }),
      ];
    }
    let errors: readonly GraphQLError[];
    try {
      errors = validate(deps.schema, document, rules);
    } catch (error) {
      // GraphQL Armor's rules throw their first refusal rather than report it.
      errors = [error instanceof GraphQLError ? error : new GraphQLError('The operation could not be validated.')];
    }
    if (errors.length > 0) {
      return errors.map(
        (error) =>
          new GraphQLError(config.production ? error.message.replace(/ ?Did you mean .*\?$/, '') : error.message, {
            nodes: error.nodes,
            extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
          }),
      );
    }
    return document;
  };

  const cleanup = useServer<Record<string, unknown> | undefined, Extra>(
    {
      schema: deps.schema,
      subscribe: subscribeSharingResults(deps.executed),
      connectionInitWaitTimeout: limits.wsInitTimeoutMs,
      onConnect: async (ctx) => {
        ctx.extra.address = guard.address(ctx.extra.request);
        // The upgrade request (headers and all) would otherwise be held for the socket's whole life: with
        // thousands of idle screens that is a few KB each for nothing.
        (ctx.extra as { request?: IncomingMessage }).request = undefined;
        const header = ctx.connectionParams?.authorization;
        let caller: Caller | null;
        try {
          caller = await deps.verifier.callerOf(typeof header === 'string' ? header : undefined);
        } catch {
          return false;
        }
        ctx.extra.caller = caller;
        if (caller) {
          ctx.extra.expiry = setTimeout(
            () => ctx.extra.socket.close(CloseCode.Forbidden, 'Forbidden: the token has expired'),
            Math.max(0, caller.expiresAt - Date.now()),
          );
          ctx.extra.expiry.unref();
        }
        return true;
      },
      onClose: (ctx) => {
        if (ctx.extra.expiry) clearTimeout(ctx.extra.expiry);
      },
      onSubscribe: (ctx, _id, payload): ExecutionArgs | readonly GraphQLError[] => {
        if (!guard.subscribeRate.take(ctx.extra.address ?? 'unknown')) {
          return [
            new GraphQLError('Too many subscribe messages from this address; slow down and retry shortly.', {
              extensions: { code: 'RATE_LIMITED' },
            }),
          ];
        }
        // graphql-ws has already reserved this operation's id among the socket's subscriptions.
        if (Object.keys(ctx.subscriptions).length > limits.wsMaxSubscriptions) {
          return [
            new GraphQLError(`At most ${limits.wsMaxSubscriptions} operations at once on one socket.`, {
              extensions: { code: 'BAD_USER_INPUT' },
            }),
          ];
        }
        const prepared = prepare(payload.query);
        if (isErrors(prepared)) return prepared;
        const document = prepared;
        return {
          schema: deps.schema,
          document,
          variableValues: payload.variables ?? undefined,
          operationName: payload.operationName ?? undefined,
          contextValue: Object.assign(deps.contextFor(ctx.extra.caller ?? null), {
            drained: () => guard.drained(ctx.extra.socket),
          }),
        };
      },
    },
    wsServer,
  );

  return {
    sockets: () => wsServer.clients.size,
    async dispose() {
      guard.stop();
      await cleanup.dispose();
    },
  };
}

function isErrors(outcome: DocumentNode | readonly GraphQLError[]): outcome is readonly GraphQLError[] {
  return Array.isArray(outcome);
}
