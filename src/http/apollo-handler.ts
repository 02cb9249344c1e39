import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap } from '@apollo/server';
import type { ApolloServer, BaseContext, ContextFunction } from '@apollo/server';

/**
 * Apollo Server on a bare node:http server: the same server carries the
 * graphql-ws sockets, and no framework sits on the hot path.
 */
export function apolloHandler<TContext extends BaseContext>(
  apollo: ApolloServer<TContext>,
  context: ContextFunction<[IncomingMessage], TContext>,
  limits: { bodyLimitBytes: number; maxBatch: number; tooManyTokens: (query: string) => string | null },
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    let body: unknown;
    try {
      body = await readJsonBody(req, limits.bodyLimitBytes);
      if (Array.isArray(body) && body.length > limits.maxBatch) {
        throw new HttpError(400, `A batch may hold at most ${limits.maxBatch} operations; got ${body.length}.`);
      }
      const queries = [
        ...(Array.isArray(body) ? body : [body]).map((operation) => (operation as { query?: unknown } | null)?.query),
        new URL(req.url ?? '/', 'http://localhost').searchParams.get('query'),
      ];
      for (const query of queries) {
        const refusal = typeof query === 'string' ? limits.tooManyTokens(query) : null;
        if (refusal) throw new HttpError(400, refusal, 'GRAPHQL_PARSE_FAILED');
      }
    } catch (error) {
      const status = error instanceof HttpError ? error.status : 400;
      const code = error instanceof HttpError ? error.code : 'BAD_REQUEST';
      const message = error instanceof Error ? error.message : 'Bad request';
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
      return;
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method?.toUpperCase() ?? 'GET', headers, search: url.search, body },
      context: () => context(req),
    });
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
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

/** Reads at most `limit` bytes; JSON bodies are parsed, others passed on for Apollo to refuse properly. */
async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
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
  const text = Buffer.concat(chunks).toString('utf8');
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/(graphql-response\+)?json/i.test(type) || text === '') return text;
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'The request body is not valid JSON.');
  }
}
