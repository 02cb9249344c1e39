import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { lexicographicSortSchema, printSchema } from 'graphql';
import type { GraphQLSchema } from 'graphql';
import { buildObradySchema } from './build-schema';

/** A schema as SDL in a stable order: schema.graphql's text, and /schema.graphql's. */
export function sdlOf(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}

/** The text of schema.graphql: the served schema, printed in a stable order. */
export async function printedSchema(): Promise<string> {
  return sdlOf(await buildObradySchema());
}

// npm run schema rewrites schema.graphql; with --check (npm run schema:check) it fails when the file is stale.
if (require.main === module) {
  const file = path.resolve('schema.graphql');
  void printedSchema().then((text) => {
    if (!process.argv.includes('--check')) {
      writeFileSync(file, text);
      return;
    }
    let current = '';
    try {
      current = readFileSync(file, 'utf8');
    } catch {
      // missing: stale
    }
    if (current !== text) {
      process.stderr.write('schema.graphql is stale: run npm run schema and commit it.\n');
      process.exit(1);
    }
  });
}
