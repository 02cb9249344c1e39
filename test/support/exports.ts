import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'csv-parse/sync';
import yauzl from 'yauzl';

/** What a GET of /export/… got back: status, headers and the body's bytes. */
export interface Download {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Buffer;
}

/** GET (or HEAD) of a path of the server (e.g. `/export/index.json`), with fetch, as a journalist's script would. */
export async function download(
  server: { url: string },
  pathAndQuery: string,
  init: { headers?: Record<string, string>; method?: string } = {},
): Promise<Download> {
  const response = await fetch(server.url.replace(/\/graphql$/, pathAndQuery), init);
  return { status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) };
}

/** The entries of a zip (read with yauzl), by name, as UTF-8 text. */
export function unzip(zip: Buffer): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(zip, { lazyEntries: true }, (error, file) => {
      if (error) return reject(error);
      const entries = new Map<string, string>();
      file.on('error', reject);
      file.on('end', () => resolve(entries));
      file.on('entry', (entry: yauzl.Entry) => {
        file.openReadStream(entry, (streamError, stream) => {
          if (streamError) return reject(streamError);
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('error', reject);
          stream.on('end', () => {
            entries.set(entry.fileName, Buffer.concat(chunks).toString('utf8'));
            file.readEntry();
          });
        });
      });
      file.readEntry();
    });
  });
}

/** A CSV file's lines as records by header (csv-parse), every value a string ('' for empty). */
export function csvRecords(text: string): Record<string, string>[] {
  return parse(text, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
}

const POPOLO = path.join(__dirname, '..', 'fixtures', 'popolo');

/**
 * Popolo's JSON schemas (vendored in test/fixtures/popolo/), compiled with Ajv. They are draft-03, which Ajv
 * does not read: the one draft-03 keyword they use, `"required": true` on a property, becomes the property's name
 * in its object's draft-07 `required` list, and `id` becomes `$id`; nothing else changes.
 */
export function popoloSchemas(): (name: string) => ValidateFunction {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  for (const file of readdirSync(POPOLO).filter((name) => name.endsWith('.json'))) {
    ajv.addSchema(toDraft07(JSON.parse(readFileSync(path.join(POPOLO, file), 'utf8')) as Record<string, unknown>));
  }
  return (name) => ajv.getSchema(`http://www.popoloproject.com/schemas/${name}.json`)!;
}

function toDraft07(schema: Record<string, unknown>): Record<string, unknown> {
  const {
    id,
    $schema: _draft03,
    properties,
    ...rest
  } = schema as {
    id?: string;
    $schema?: string;
    properties?: Record<string, Record<string, unknown>>;
  } & Record<string, unknown>;
  const required: string[] = [];
  const converted: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(properties ?? {})) {
    const { required: isRequired, ...kept } = property;
    if (isRequired === true) required.push(name);
    converted[name] = kept;
  }
  return {
    ...(id ? { $id: id.replace(/#$/, '') } : {}),
    ...rest,
    ...(properties ? { properties: converted } : {}),
    ...(required.length > 0 ? { required } : {}),
  };
}
