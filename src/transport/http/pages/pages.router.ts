import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GraphQLSchema } from 'graphql';
import type { Config } from '../../../config';
import { toGlobalId } from '../../../schema/global-id';
import { sdlOf } from '../../../schema/print-schema';
import type { Services } from '../../../services';
import { newNonce, sendPage } from './content-security-policy';
import { EXPLORER_POLICY, explorerPage } from './explorer.page';
import { frontPage } from './front.page';
import { builtWebFolder, StaticFiles } from './static-files';

/** Sessions in progress the front page links to; past that many, the API lists them. */
const FRONT_PAGE_SESSIONS = 50;

export type PageHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

/**
 * The pages and files people open in a browser: the front page (`/`), the explorer (`/explorer`, and `/graphql` when a
 * browser asks for HTML), the schema (`/schema.graphql`) and the built assets (`/assets/...`, from dist/web).
 * `match` picks the handler of a request, or null when it is not a page's (then the router goes on).
 */
export class PageRoutes {
  private readonly assets = new StaticFiles(builtWebFolder(), '/assets/');
  private readonly sdl: string;

  constructor(
    private readonly deps: { readonly config: Config; readonly services: Services; readonly schema: GraphQLSchema },
  ) {
    this.sdl = sdlOf(deps.schema);
  }

  match(req: IncomingMessage, path: string): PageHandler | null {
    if (req.method !== 'GET' && req.method !== 'HEAD') return null;
    if (path.startsWith('/assets/')) {
      return (_, res) => {
        if (!this.assets.serve(req, res, path)) notFound(res);
      };
    }
    if (path === '/') return (_, res) => this.front(req, res);
    if (path === '/schema.graphql') return (_, res) => this.schema(req, res);
    if (this.deps.config.explorer && (path === '/explorer' || (path === '/graphql' && wantsPage(req)))) {
      return (_, res) => this.explorer(req, res);
    }
    return null;
  }

  private async front(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { liveSessions, reference } = this.deps.services;
    const [sessions, districts] = await Promise.all([
      liveSessions.inProgress(FRONT_PAGE_SESSIONS),
      reference.districts(),
    ]);
    const body = frontPage({
      inProgress: sessions.map((session) => ({
        id: toGlobalId('Session', session.id),
        title: session.title,
        bodyName: session.body!.name,
        synthetic: session.synthetic,
      })),
      districts,
      explorer: this.deps.config.explorer,
    });
    sendPage(res, { nonce: newNonce(), body: body.text, head: req.method === 'HEAD' });
  }

  private explorer(req: IncomingMessage, res: ServerResponse): void {
    if (!this.assets.has('explorer/explorer.js')) {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('The explorer is not built: run npm run build.\n');
      return;
    }
    const nonce = newNonce();
    sendPage(res, { nonce, body: explorerPage(nonce).text, policy: EXPLORER_POLICY, head: req.method === 'HEAD' });
  }

  private schema(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/plain; charset=utf-8',
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-cache',
    });
    res.end(req.method === 'HEAD' ? undefined : this.sdl);
  }
}

/**
 * A browser opening /graphql: a GET without a `query` that takes HTML (as Apollo chose its landing page). A client
 * asking for JSON, or sending a query, still gets GraphQL over HTTP.
 */
function wantsPage(req: IncomingMessage): boolean {
  const accept = req.headers.accept ?? '';
  return accept.includes('text/html') && !new URL(req.url ?? '/', 'http://localhost').searchParams.has('query');
}

function notFound(res: ServerResponse): void {
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
  res.end('Not found.\n');
}
