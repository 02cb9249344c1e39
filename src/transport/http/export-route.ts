import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import type { ReadStream } from 'node:fs';
import type http from 'node:http';
import { pipeline } from 'node:stream/promises';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../errors';
import type { Logger } from '../../logger';
import { EXPORT_FORMATS } from '../../services/export-files.service';
import type { ExportFile, ExportFilesService, ExportFormat } from '../../services/export-files.service';
import { ifNoneMatchHolds } from './conditional-get';

/** The files under /export/ besides index.json, and the term number in each path. */
const FILES: readonly (readonly [RegExp, ExportFormat])[] = [
  [/^\/export\/term-(\d{1,9})\/popolo\.json$/, 'popolo'],
  [/^\/export\/term-(\d{1,9})\/csv\.zip$/, 'csv'],
  [/^\/export\/attendance-(\d{1,9})\.csv$/, 'attendance'],
];

/**
 * Stored by any cache, but revalidated every time: the data may change at any moment of a meeting, and the
 * revalidation costs one statement and a 304.
 */
const CACHE_CONTROL = 'public, no-cache';

const HTTP_STATUS: Readonly<Record<string, number>> = {
  [ErrorCode.BAD_USER_INPUT]: 400,
  [ErrorCode.NOT_FOUND]: 404,
};

/**
 * GET (and HEAD) /export/…: the bulk exports (services/export-files.service.ts). Each answer carries an ETag made
 * of the file's data version, so `If-None-Match` is answered with 304 after one statement, without building
 * anything; a file is streamed from disk. `?synthetic=include` adds the synthetic demo rows (left out otherwise).
 */
export function exportRoute(
  exports: ExportFilesService,
  log: Logger,
): (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void> {
  return async (req, res) => {
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'application/json' });
        res.end(errorBody('The exports are read with GET.', 'METHOD_NOT_ALLOWED'));
        return;
      }
      const url = new URL(req.url ?? '/', 'http://localhost');
      const synthetic = url.searchParams.get('synthetic');
      if (synthetic !== null && synthetic !== 'include' && synthetic !== 'exclude') {
        throw new GraphQLError('synthetic must be "include" or "exclude" (the default).', {
          extensions: { code: ErrorCode.BAD_USER_INPUT },
        });
      }
      const includeSynthetic = synthetic === 'include';
      const variant = includeSynthetic ? 'all' : 'public';

      if (url.pathname === '/export/index.json') {
        const version = await exports.version(null);
        const now = etag(`index-${variant}`, version);
        if (notModified(req, now)) return unchanged(res, `W/${now}`);
        const index = await exports.index(includeSynthetic, version);
        res.writeHead(200, {
          'content-type': 'application/json; charset=utf-8',
          'content-length': Buffer.byteLength(index.json),
          // Weak: the same version built on another instance has other generatedAt times.
          etag: `W/${etag(`index-${variant}`, index.version)}`,
          'cache-control': CACHE_CONTROL,
        });
        res.end(req.method === 'HEAD' ? undefined : index.json);
        return;
      }

      const route = FILES.map(([pattern, format]) => [pattern.exec(url.pathname), format] as const).find(
        ([match]) => match !== null,
      );
      if (!route) {
        throw new GraphQLError(`No such export: ${url.pathname.slice(0, 100)}. The list is at /export/index.json.`, {
          extensions: { code: ErrorCode.NOT_FOUND },
        });
      }
      const [match, format] = route;
      const term = Number(match![1]);
      const tag = (version: string) => etag(`${format}-${term}-${variant}`, version);
      const version = await exports.version(term);
      if (notModified(req, tag(version))) return unchanged(res, tag(version));
      // A file superseded between its look-up and its opening is gone: the next look-up builds or finds the new one.
      let file = await exports.file(format, term, includeSynthetic, version);
      let stream = await opened(file);
      if (!stream) {
        file = await exports.file(format, term, includeSynthetic);
        stream = await opened(file);
        if (!stream) throw new Error(`export file ${file.path} vanished twice`);
      }
      res.writeHead(200, {
        'content-type': EXPORT_FORMATS[format].contentType,
        'content-length': file.bytes,
        etag: tag(file.version),
        'cache-control': CACHE_CONTROL,
        'content-disposition': `attachment; filename="${download(file)}"`,
        'x-content-type-options': 'nosniff',
      });
      if (req.method === 'HEAD') {
        stream.destroy();
        res.end();
        return;
      }
      // A client that goes away ends the pipeline early; nothing to report.
      await pipeline(stream, res).catch(() => undefined);
    } catch (error) {
      const code = error instanceof GraphQLError ? String(error.extensions.code) : '';
      const status = HTTP_STATUS[code];
      if (status === undefined) {
        log.error({ err: error instanceof Error ? error.message : String(error), path: req.url }, 'export failed');
      }
      if (res.headersSent) {
        res.destroy();
        return;
      }
      res.writeHead(status ?? 500, { 'content-type': 'application/json' });
      res.end(
        status === undefined
          ? errorBody('Internal server error.', ErrorCode.INTERNAL_SERVER_ERROR)
          : errorBody((error as GraphQLError).message, code),
      );
    }
  };
}

function etag(name: string, version: string): string {
  return `"${name}-${version}"`;
}

function notModified(req: http.IncomingMessage, tag: string): boolean {
  return ifNoneMatchHolds(req.headers['if-none-match'], tag);
}

function unchanged(res: http.ServerResponse, tag: string): void {
  res.writeHead(304, { etag: tag, 'cache-control': CACHE_CONTROL });
  res.end();
}

function download(file: ExportFile): string {
  const name = EXPORT_FORMATS[file.format].download(file.term);
  return file.includeSynthetic ? name.replace(/(\.[a-z]+)$/, '-with-synthetic$1') : name;
}

/** The file, open for reading; null if it has just been superseded and removed. */
async function opened(file: ExportFile): Promise<ReadStream | null> {
  const stream = createReadStream(file.path);
  try {
    await once(stream, 'open');
    return stream;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function errorBody(message: string, code: string): string {
  return JSON.stringify({ errors: [{ message, extensions: { code } }] });
}
