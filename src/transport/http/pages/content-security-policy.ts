import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';

/**
 * The pages' Content-Security-Policy: nothing is allowed unless a page names it, scripts only with the nonce made
 * for that one response (never inline without it), everything else from this origin. A page adds only the sources it
 * needs, each with its reason beside it (see explorer.page.ts).
 */
export interface PagePolicy {
  /** Sources of styles beyond the origin's own stylesheets. */
  readonly style?: readonly string[];
  /** Sources of fonts beyond the origin's own files. */
  readonly font?: readonly string[];
  /** Sources of images beyond the origin's own files. */
  readonly img?: readonly string[];
  /** Workers: none unless named. */
  readonly worker?: readonly string[];
  /** fetch and WebSocket: none unless named. */
  readonly connect?: readonly string[];
}

/** A fresh nonce for one response's scripts (128 bits, base64). */
export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

/** The header's value for a page whose scripts carry `nonce`. */
export function contentSecurityPolicy(nonce: string, policy: PagePolicy = {}): string {
  const directive = (name: string, sources: readonly string[]) => `${name} ${sources.join(' ')}`;
  return [
    "default-src 'none'",
    directive('script-src', [`'nonce-${nonce}'`]),
    directive('style-src', ["'self'", ...(policy.style ?? [])]),
    directive('font-src', ["'self'", ...(policy.font ?? [])]),
    directive('img-src', ["'self'", ...(policy.img ?? [])]),
    directive('worker-src', policy.worker?.length ? policy.worker : ["'none'"]),
    directive('connect-src', policy.connect?.length ? policy.connect : ["'none'"]),
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * Writes a page: HTML in UTF-8, its policy, and the headers that keep a browser from guessing types, leaking the
 * address to other sites, or framing it. Pages are made per request (their nonce and data), so they are not stored.
 */
export function sendPage(
  res: ServerResponse,
  page: { readonly nonce: string; readonly body: string; readonly policy?: PagePolicy; readonly head?: boolean },
): void {
  res.writeHead(200, {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': contentSecurityPolicy(page.nonce, page.policy),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
  });
  res.end(page.head ? undefined : page.body);
}
