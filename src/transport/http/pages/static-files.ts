import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';

/** Types by extension: a file of any other kind is not served. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.txt': 'text/plain; charset=utf-8',
};

/** esbuild's `[name]-[hash]`: such a name changes with its content, so it may be cached for good. */
const HASHED = /-[A-Z0-9]{8}\.[a-z0-9]+$/;

interface StaticFile {
  readonly type: string;
  readonly body: Buffer;
  readonly etag: string;
  readonly cacheControl: string;
}

/**
 * The files under one folder (dist/web, made by web/build.mjs), served under a URL prefix. The folder is listed once,
 * at start: only those files exist for a request, so no path a request names can leave it. Hashed names are cached
 * for a year; the others (the entry files a page names) are revalidated by ETag.
 */
export class StaticFiles {
  private readonly files = new Map<string, string>();
  private readonly loaded = new Map<string, StaticFile>();

  constructor(
    folder: string,
    private readonly prefix: string,
  ) {
    const walk = (dir: string): void => {
      let entries;
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        return; // not built: every asset is 404, and the pages say so
      }
      for (const entry of entries) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (CONTENT_TYPES[path.extname(entry.name)]) {
          this.files.set(`${prefix}${path.relative(folder, full).split(path.sep).join('/')}`, full);
        }
      }
    };
    walk(folder);
  }

  /** True when the build has made `relative` (e.g. `explorer/explorer.js`). */
  has(relative: string): boolean {
    return this.files.has(this.prefix + relative);
  }

  /** Answers a GET or HEAD of one of the files and returns true; false when `urlPath` names none of them. */
  serve(req: IncomingMessage, res: ServerResponse, urlPath: string): boolean {
    const file = this.files.get(urlPath);
    if (!file || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
    const found = this.load(file);
    const headers = {
      'content-type': found.type,
      'cache-control': found.cacheControl,
      etag: found.etag,
      'x-content-type-options': 'nosniff',
      // Fonts and scripts of the pages are theirs alone.
      'cross-origin-resource-policy': 'same-origin',
    };
    if (req.headers['if-none-match'] === found.etag) {
      res.writeHead(304, headers);
      res.end();
      return true;
    }
    res.writeHead(200, { ...headers, 'content-length': String(found.body.length) });
    res.end(req.method === 'HEAD' ? undefined : found.body);
    return true;
  }

  private load(file: string): StaticFile {
    let found = this.loaded.get(file);
    if (!found) {
      const body = readFileSync(file);
      found = {
        type: CONTENT_TYPES[path.extname(file)]!,
        body,
        etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
        cacheControl: HASHED.test(file) ? 'public, max-age=31536000, immutable' : 'no-cache',
      };
      this.loaded.set(file, found);
    }
    return found;
  }
}

/** dist/web, wherever this file runs from: src/ under ts-jest, dist/src/ after the build. */
export function builtWebFolder(): string {
  const root = path.resolve(__dirname, '..', '..', '..', '..');
  return path.join(path.basename(root) === 'dist' ? root : path.join(root, 'dist'), 'web');
}
