import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap } from '@apollo/server';
import type { ApolloServer, BaseContext, ContextFunction } from '@apollo/server';
import type { Basis, CachedAnswer, Lookup, PublicReadCache } from '../../cache/public-read-cache';
import { ReadScope, readScopes } from '../../cache/read-scope';

/**
 * Apollo Server on a bare node:http server: the same server carries the
 * graphql-ws sockets, and no framework sits on the hot path.
 */
export function apolloHandler<TContext extends BaseContext>(
  apollo: ApolloServer<TContext>,
  context: ContextFunction<[IncomingMessage], TContext>,
  limits: { bodyLimitBytes: number; maxBatch: number; tooManyTokens: (query: string) => string | null },
  cache?: ReadCacheHooks<TContext>,
  planned?: PlannedHooks,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    const started = process.hrtime.bigint();
    const elapsed = () => Number(process.hrtime.bigint() - started) / 1e6;
    let body: unknown;
    let cacheKey: string | null = null;
    let basis: Basis | null = null;
    /** Nothing is kept for this request's bytes and nothing is being computed for them: a plan may answer at once. */
    let cold = false;
    /** The computation this request has claimed for its bytes (others wait for it); call when it is over. */
    let land = null as (() => void) | null;
    /**
     * Answers from the cache (after waiting for a computation under way); else the basis to store under, or null.
     * A miss claims the computation in the same turn as it is found (no await between), so that requests finding
     * the same miss wait for this one rather than compute too.
     */
    const fromCache = async (key: string): Promise<Basis | null | 'answered'> => {
      const { cache: readCache } = cache!;
      let found: Lookup | null = await readCache.lookup(key).catch(() => null);
      const flight = found?.hit ? undefined : readCache.flight(key);
      if (flight || (!found?.hit && readCache.has(key))) {
        // The same answer is being computed for another request (or was stored while this one looked): wait for
        // it, then check that it holds for this request.
        await flight;
        found = await readCache.lookup(key).catch(() => null);
        if (found?.hit) cache!.shared();
      }
      if (found?.hit) {
        cache!.answered(found.hit, res, elapsed());
        res.writeHead(found.hit.status, Object.fromEntries(found.hit.headers));
        res.end(found.hit.body);
        return 'answered';
      }
      const basis = found?.basis ?? null;
      if (basis !== null) land = readCache.fly(key);
      return basis;
    };
    try {
      const text = await readBody(req, limits.bodyLimitBytes);
      cacheKey = cache?.cache.keyOf(req, text) ?? null;
      cold = cacheKey !== null && !cache!.cache.has(cacheKey) && !cache!.cache.flight(cacheKey);
      if (cacheKey !== null && !cold) {
        // An answer is only ever stored after the same bytes passed every check below, so a hit skips them.
        const found = await fromCache(cacheKey);
        if (found === 'answered') return;
        basis = found;
      }
      body = parseBody(req, text);
      if (Array.isArray(body)) basis = null;
      if (Array.isArray(body) && body.length > limits.maxBatch) {
        throw new HttpError(400, `A batch may hold at most ${limits.maxBatch} operations; got ${body.length}.`);
      }
      const queries = (Array.isArray(body) ? body : [body]).map(
        (operation) => (operation as { query?: unknown } | null)?.query,
      );
      if (req.url?.includes('?')) queries.push(new URL(req.url, 'http://localhost').searchParams.get('query'));
      for (const query of queries) {
        const refusal = typeof query === 'string' ? limits.tooManyTokens(query) : null;
        if (refusal) throw new HttpError(400, refusal, 'GRAPHQL_PARSE_FAILED');
      }
    } catch (error) {
      // A computation claimed by the lookup will not happen: the requests waiting for it look again.
      land?.();
      land = null;
      const status = error instanceof HttpError ? error.status : 400;
      const code = error instanceof HttpError ? error.code : 'BAD_REQUEST';
      const message = error instanceof Error ? error.message : 'Bad request';
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
      return;
    }
    const request = planned && !Array.isArray(body) ? plannableRequest(req, body) : null;
    if (request && planned!.knows(request)) {
      // A cold request's plan reads the versions its answer is kept under in its own statement (the same snapshot
      // as the data): no lookup first. Others read them in the lookup above.
      const keep = cacheKey !== null && (cold || basis !== null);
      const scope = keep ? new ReadScope() : null;
      if (cold && cacheKey !== null) land = cache!.cache.fly(cacheKey);
      try {
        const answer = await planned!.answer(request, scope, cold ? 'read' : basis);
        if (answer) {
          if (keep) cache!.computed();
          const text = `${JSON.stringify({ data: answer.data })}\n`;
          planned!.answered(answer.operationName, res, elapsed());
          const headers = [['content-type', request.contentType]] as const;
          if (keep && answer.basis) {
            const answered = { operationName: answer.operationName, status: 200, headers, body: text };
            cache!.cache.store(cacheKey!, answer.basis, scope!, answered);
          }
          res.writeHead(200, Object.fromEntries(headers));
          res.end(text);
          return;
        }
      } finally {
        // Declined: the computation is Apollo's now, and claimed again below.
        land?.();
        land = null;
      }
    }
    if ((cold || basis !== null) && cacheKey !== null && !Array.isArray(body) && land === null) {
      // No plan answered: Apollo computes, under the versions read now.
      const found = await fromCache(cacheKey);
      if (found === 'answered') return;
      basis = found;
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    let contextValue: TContext | undefined;
    // What the answer reads is followed (src/cache/read-scope.ts) so that it can be kept; others wait for it.
    const scope = cache && cacheKey !== null && basis !== null ? new ReadScope() : null;
    if (!scope) {
      land?.();
      land = null;
    }
    try {
      if (scope) cache!.computed();
      const execute = () =>
        apollo.executeHTTPGraphQLRequest({
          httpGraphQLRequest: { method: req.method?.toUpperCase() ?? 'GET', headers, search: url.search, body },
          context: async () => (contextValue = await context(req)),
        });
      const response = scope ? await readScopes.run(scope, execute) : await execute();
      for (const [key, value] of response.headers) res.setHeader(key, value);
      res.statusCode = response.status ?? 200;
      if (response.body.kind === 'complete') {
        if (scope && contextValue && res.statusCode === 200) {
          const operationName = cache!.cacheableAs(contextValue);
          if (operationName !== undefined) {
            cache!.cache.store(cacheKey!, basis!, scope, {
              operationName,
              status: 200,
              headers: [...response.headers].filter(([key]) => key !== 'x-request-id'),
              body: response.body.string,
            });
          }
        }
        res.end(response.body.string);
        return;
      }
      for await (const chunk of response.body.asyncIterator) res.write(chunk);
      res.end();
    } finally {
      land?.();
    }
  };
}

/** The public read cache, as the handler uses it (see src/cache). */
export interface ReadCacheHooks<TContext> {
  readonly cache: PublicReadCache;
  /** The operation's name if the answer may be kept (as the cacheable plugin found), else undefined. */
  cacheableAs(context: TContext): string | null | undefined;
  /** Logs and counts a request answered from the cache, and sets its own headers (a request id). */
  answered(answer: CachedAnswer, res: ServerResponse, ms: number): void;
  /** Counts an answer computed for the cache (a miss). */
  computed(): void;
  /** Counts a request answered by waiting for the same answer computed for another. */
  shared(): void;
}

/** Anonymous queries answered by a plan instead of Apollo (src/plans/), as the handler uses them. */
export interface PlannedHooks {
  /** Whether a plan is known for the request's document (else Apollo answers, and may teach one). */
  knows(request: PlannableRequest): boolean;
  /**
   * The answer's data and operation name, or null for Apollo to answer; with the versions it is valid under: `basis`
   * as given, or read in the plan's own statement ('read'), or none (null: not kept).
   */
  answer(
    request: PlannableRequest,
    scope: ReadScope | null,
    basis: Basis | 'read' | null,
  ): Promise<{
    readonly operationName: string | null;
    readonly data: Record<string, unknown>;
    readonly basis: Basis | null;
  } | null>;
  /** Logs and counts a request a plan answered, and sets its own headers (a request id). */
  answered(operationName: string | null, res: ServerResponse, ms: number): void;
}

export interface PlannableRequest {
  readonly query: string;
  /** The answer's content type, as Apollo would choose it for the request's Accept header. */
  readonly contentType: string;
  readonly operationName: string | null | undefined;
  readonly variables: Readonly<Record<string, unknown>> | undefined;
}

/**
 * What Apollo answers a query with (besides its request id: Apollo's own choice for the usual Accept headers; any
 * other is left to Apollo).
 */
const ANSWER_TYPES: ReadonlyMap<string, string> = new Map([
  ['*/*', 'application/json; charset=utf-8'],
  ['application/json', 'application/json; charset=utf-8'],
  ['application/graphql-response+json', 'application/graphql-response+json; charset=utf-8'],
]);

/**
 * A request a plan may answer: an anonymous POST of one JSON operation that
 * takes a JSON answer (what Apollo would answer with PLANNED_HEADERS), without
 * extensions (persisted queries are Apollo's).
 */
function plannableRequest(req: IncomingMessage, body: unknown): PlannableRequest | null {
  if (req.method !== 'POST' || req.headers.authorization !== undefined || req.headers.cookie !== undefined) return null;
  if (!/^application\/json/i.test(req.headers['content-type'] ?? '')) return null;
  const contentType = ANSWER_TYPES.get(req.headers.accept ?? '*/*');
  if (contentType === undefined) return null;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const { query, operationName, variables, extensions } = body as Record<string, unknown>;
  if (typeof query !== 'string' || extensions != null) return null;
  if (operationName != null && typeof operationName !== 'string') return null;
  if (variables != null && (typeof variables !== 'object' || Array.isArray(variables))) return null;
  return {
    query,
    contentType,
    operationName: operationName as string | null | undefined,
    variables: (variables ?? undefined) as Record<string, unknown> | undefined,
  };
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code = 'BAD_REQUEST',
  ) {
    super(message);
  }
}

/** Reads at most `limit` bytes of the body, as text (undefined for GET and HEAD). */
async function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  if (req.method === 'GET' || req.method === 'HEAD') return undefined;
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) {
    req.resume();
    throw new HttpError(413, `Request body too large: at most ${limit} bytes.`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      req.resume();
      throw new HttpError(413, `Request body too large: at most ${limit} bytes.`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** JSON bodies are parsed; others are passed on for Apollo to refuse properly. */
function parseBody(req: IncomingMessage, text: string | undefined): unknown {
  if (text === undefined) return undefined;
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/(graphql-response\+)?json/i.test(type) || text === '') return text;
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'The request body is not valid JSON.');
  }
}
