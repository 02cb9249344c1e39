import type { Server } from 'node:http';
import { execute, GraphQLError, specifiedRules, validate } from 'graphql';
import type { DocumentNode, ExecutionArgs, GraphQLSchema } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import type { IncomingMessage } from 'node:http';
import { authorizationParam } from '../../auth/tokens';
import type { TokenVerifier } from '../../auth/tokens';
import { refusedWrite } from '../../auth/write-guard';
import type { Config } from '../../config';
import type { Caller } from '../../auth/caller';
import type { Context } from '../../context';
import type { Logger } from '../../logger';
import type { OperationLimits } from '../../security/operation-limits';
import type { RateLimitStore } from '../../security/rate-limiter';
import { SocketGuard } from './socket-guard';
import { atDeadline } from './deadline-timer';
import type { DeadlineTimer } from './deadline-timer';
import { subscribeSharingResults } from './shared-execution';

type Extra = {
  readonly socket: WebSocket;
  readonly request: IncomingMessage;
  caller?: Caller | null;
  expiry?: DeadlineTimer;
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
  /** Where the subscribe rate counts (shared by the instances, or this one's memory). */
  readonly rateLimits?: RateLimitStore;
  /** Called each time a subscription's selection is executed for an event (not per subscriber). */
  readonly executed?: () => void;
}

/**
 * GraphQL over WebSocket (graphql-ws) on the HTTP server's own /graphql. It
 * applies the same operation limits as HTTP (these operations never pass
 * through Apollo), and its own limits on sockets. A token travels in
 * connectionParams.authorization (the key in any case); a bad or malformed one is refused (4403), and a socket
 * whose token expires is closed (4403) rather than keep rights it no longer has.
 */
export function serveWebSocket(deps: WebSocketDeps): { dispose: () => Promise<void>; sockets: () => number } {
  const { config, log } = deps;
  const { limits } = config;
  const guard = new SocketGuard(limits, config.trustProxy, log, deps.rateLimits);
  const wsServer = new WebSocketServer({
    server: deps.httpServer,
    path: '/graphql',
    maxPayload: limits.wsMaxPayload,
    verifyClient: guard.verifyClient,
  });
  guard.attach(wsServer);
  const rules = [...specifiedRules, ...deps.operationLimits.rules()];
  /** Writes the write guard refused, by their context: executing one answers its refusal. */
  const refusals = new WeakMap<Context, GraphQLError>();

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
      execute: (args) => {
        const refusal = refusals.get(args.contextValue as Context);
        return refusal ? { errors: [refusal] } : execute(args);
      },
      connectionInitWaitTimeout: limits.wsInitTimeoutMs,
      onConnect: async (ctx) => {
        ctx.extra.address = guard.address(ctx.extra.request);
        // The upgrade request (headers and all) would otherwise be held for the socket's whole life: with
        // thousands of idle screens that is a few KB each for nothing.
        (ctx.extra as { request?: IncomingMessage }).request = undefined;
        let caller: Caller | null;
        try {
          caller = await deps.verifier.callerOf(authorizationParam(ctx.connectionParams));
        } catch {
          return false;
        }
        ctx.extra.caller = caller;
        if (caller) {
          // A token may outlive setTimeout's longest delay (24.8 days): atDeadline waits in steps.
          ctx.extra.expiry = atDeadline(caller.expiresAt, () =>
            ctx.extra.socket.close(CloseCode.Forbidden, 'Forbidden: the token has expired'),
          );
        }
        return true;
      },
      onClose: (ctx) => {
        ctx.extra.expiry?.cancel();
      },
      onSubscribe: async (ctx, _id, payload): Promise<ExecutionArgs | readonly GraphQLError[]> => {
        // graphql-ws has already reserved this operation's id among the socket's subscriptions: counted
        // before the rate limit's await, while the ids of later messages are not yet reserved too.
        const tooMany = Object.keys(ctx.subscriptions).length > limits.wsMaxSubscriptions;
        if (!(await guard.subscribeRate.take(ctx.extra.address ?? 'unknown')).allowed) {
          return [
            new GraphQLError('Too many subscribe messages from this address; slow down and retry shortly.', {
              extensions: { code: 'RATE_LIMITED' },
            }),
          ];
        }
        if (tooMany) {
          return [
            new GraphQLError(`At most ${limits.wsMaxSubscriptions} operations at once on one socket.`, {
              extensions: { code: 'BAD_USER_INPUT' },
            }),
          ];
        }
        const prepared = prepare(payload.query);
        if (isErrors(prepared)) return prepared;
        const document = prepared;
        const contextValue = Object.assign(deps.contextFor(ctx.extra.caller ?? null), {
          drained: () => guard.drained(ctx.extra.socket),
        });
        // Writes over WebSocket meet the same guard as over HTTP, before their variables are read.
        const refusal = await refusedWrite(
          deps.schema,
          { document, operationName: payload.operationName, variables: payload.variables },
          contextValue.caller,
          (type, key) => contextValue.services.writeTargets.bodyOf(type, key),
        );
        // Answered as an execution result with errors, as over HTTP, rather than as a protocol error.
        if (refusal) refusals.set(contextValue, refusal);
        return {
          schema: deps.schema,
          document,
          variableValues: payload.variables ?? undefined,
          operationName: payload.operationName ?? undefined,
          contextValue,
        };
      },
    },
    wsServer,
  );

  return {
    sockets: () => wsServer.clients.size,
    async dispose() {
      await cleanup.dispose();
    },
  };
}

function isErrors(outcome: DocumentNode | readonly GraphQLError[]): outcome is readonly GraphQLError[] {
  return Array.isArray(outcome);
}
