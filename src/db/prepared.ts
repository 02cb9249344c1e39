import { createHash } from 'node:crypto';
import type { PoolClient } from 'pg';
import { QueryFailedError } from 'typeorm';
import type { EntityManager, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';

/** Each statement text's name, made once: the texts are the code's own constants, a fixed few. */
const names = new Map<string, string>();

function nameOf(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    name = statementName(text);
    names.set(text, name);
  }
  return name;
}

/**
 * The name a prepared statement of this text has on every connection (a hash of the text): one text, one name,
 * whoever prepares it (the write path here, the planned reads in src/plans/), so two texts never share a name.
 */
export function statementName(text: string): string {
  return `obrady_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
}

/**
 * Runs a statement of a transaction as a named prepared statement on its connection: PostgreSQL parses and plans
 * it the first time that connection sends it, and only binds and executes it after that. TypeORM's query() cannot
 * name a statement, so every change's statements were parsed and planned anew each time: measured on the
 * clerks' writes (issue 13), more than half of PostgreSQL's CPU per change (1.37 ms of a change's statements,
 * 0.61 ms named). Counted, logged and failing (QueryFailedError) as TypeORM's own statements do.
 *
 * `text` must be a constant of the code, never built from values: each distinct text is kept, by name, on every
 * connection of the pool for as long as it lives.
 */
export async function preparedQuery<R extends ObjectLiteral>(
  tx: EntityManager,
  text: string,
  values: readonly unknown[],
): Promise<R[]> {
  const runner = tx.queryRunner;
  if (!runner) throw new Error('preparedQuery runs on the connection of a transaction');
  const client = (await runner.connect()) as PoolClient;
  const { logger, options } = tx.connection;
  const parameters = values as unknown[];
  logger.logQuery(text, parameters, runner);
  const started = Date.now();
  try {
    const { rows } = await client.query<R>({ name: nameOf(text), text, values: parameters });
    const took = Date.now() - started;
    if (options.maxQueryExecutionTime && took > options.maxQueryExecutionTime) {
      logger.logQuerySlow(took, text, parameters, runner);
    }
    return rows;
  } catch (error) {
    logger.logQueryError(error as Error, text, parameters, runner);
    throw new QueryFailedError(text, parameters, error as Error);
  }
}

/**
 * An entity's columns as a statement of our own selects them, `alias.column AS "prefix" || column`, and the
 * entity made back from such a row, as TypeORM's query builder would make it (its hydration, column by column),
 * without building the statement anew for every change. Both follow the entity's metadata, so a column added to
 * the entity is selected and set here too.
 */
export class EntityColumns<E extends ObjectLiteral> {
  /** The select list. */
  readonly select: string;
  private readonly columns: EntityMetadata['columns'];

  constructor(
    private readonly metadata: EntityMetadata,
    alias: string,
    private readonly prefix: string,
  ) {
    this.columns = metadata.columns.filter((column) => column.isSelect && !column.isVirtual);
    this.select = this.columns
      .map((column) => `"${alias}"."${column.databaseName}" AS "${prefix}${column.databaseName}"`)
      .join(', ');
  }

  /** The entity of a row; null when the row has none (every column null, as a LEFT JOIN that found nothing leaves). */
  from(row: Record<string, unknown>): E | null {
    const entity = this.metadata.create(undefined, { fromDeserializer: true }) as E;
    let found = false;
    for (const column of this.columns) {
      const value = row[`${this.prefix}${column.databaseName}`];
      if (value === undefined) continue;
      if (value !== null) found = true;
      column.setEntityValue(entity, this.metadata.connection.driver.prepareHydratedValue(value, column));
    }
    return found ? entity : null;
  }
}

const made = new WeakMap<EntityMetadata, Map<string, EntityColumns<ObjectLiteral>>>();

/** The entity's columns under `alias`, each selected as `prefix` and its name; made once per entity, alias and prefix. */
export function entityColumns<E extends ObjectLiteral>(
  tx: EntityManager,
  target: EntityTarget<E>,
  alias: string,
  prefix = `${alias}_`,
): EntityColumns<E> {
  const metadata = tx.connection.getMetadata(target);
  let byAlias = made.get(metadata);
  if (!byAlias) made.set(metadata, (byAlias = new Map()));
  const key = `${alias} ${prefix}`;
  let columns = byAlias.get(key);
  if (!columns) byAlias.set(key, (columns = new EntityColumns(metadata, alias, prefix)));
  return columns as EntityColumns<E>;
}
