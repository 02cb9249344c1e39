import { html } from './html';
import type { Html } from './html';
import type { PagePolicy } from './content-security-policy';

/**
 * What the explorer needs beyond the pages' default policy, and why:
 * - `worker-src 'self'`: Monaco's language services run in workers, served from /assets/explorer/.
 * - `connect-src 'self'`: queries to /graphql and the graphql-ws socket on the same path (CSP 3's 'self' matches
 *   ws: and wss: of this host).
 * - `style-src 'unsafe-inline'`: Monaco and GraphiQL's components write <style> elements and style attributes at
 *   run time (the editor's measured layout, its token colours); a nonce cannot be given to them. Styles cannot run
 *   code, and scripts stay nonce-only.
 * - `font-src data:` and `img-src data:`: GraphiQL's stylesheet carries its fonts and icons inline as data: URIs.
 */
export const EXPLORER_POLICY: PagePolicy = {
  worker: ["'self'"],
  connect: ["'self'"],
  style: ["'unsafe-inline'"],
  font: ['data:'],
  img: ['data:'],
};

/** The explorer's page: GraphiQL (web/explorer/explorer.ts, bundled by web/build.mjs) under the response's nonce. */
export function explorerPage(nonce: string): Html {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>Obrady — GraphQL explorer</title>
        <link rel="stylesheet" href="/assets/explorer/explorer.css" />
        <script defer src="/assets/explorer/explorer.js" nonce="${nonce}"></script>
      </head>
      <body>
        <main id="graphiql" aria-label="GraphQL explorer"></main>
        <noscript>The explorer needs JavaScript; the API itself is at <code>POST /graphql</code>.</noscript>
      </body>
    </html> `;
}
