import pg from 'pg';
import type { DataSource, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';

/** How one column travels inside the JSON PostgreSQL builds for a planned read, and becomes the loaders' value again. */
interface ColumnTransport {
  readonly meta: ColumnMetadata;
  /** The SQL of the value inside json_build_array, for a table alias. */
  readonly sql: (alias: string) => string;
  /** The value pg would have given for the column read on its own (before TypeORM's hydration). */
  readonly decode: (value: unknown) => unknown;
}

const asIs = (value: unknown): unknown => value;

/**
 * Types whose JSON form is the value pg gives (integers, text, booleans), and
 * types sent as their text and parsed by pg's own parser for the type, so a
 * planned read hydrates exactly the values a loader's row holds.
 */
const TEXT_PARSED: Readonly<Record<string, number>> = {
  timestamptz: pg.types.builtins.TIMESTAMPTZ,
  'timestamp with time zone': pg.types.builtins.TIMESTAMPTZ,
  date: pg.types.builtins.DATE,
};
const AS_JSON: ReadonlySet<string> = new Set([
  'int',
  'integer',
  'int4',
  'varchar',
  'character varying',
  'text',
  'boolean',
]);

/**
 * An entity's columns as PostgreSQL puts them into JSON for a planned read,
 * and back into the entity TypeORM's loaders would have made of them: the
 * same class, the same hydrated values. Null when a column has a type this
 * codec does not carry (then no plan reads the entity).
 */
export class RowCodec<T extends ObjectLiteral> {
  private constructor(
    readonly metadata: EntityMetadata,
    private readonly columns: readonly ColumnTransport[],
    private readonly dataSource: DataSource,
  ) {}

  static of<T extends ObjectLiteral>(dataSource: DataSource, entity: EntityTarget<T>): RowCodec<T> | null {
    const metadata = dataSource.getMetadata(entity);
    const columns: ColumnTransport[] = [];
    for (const meta of metadata.columns) {
      if (!meta.isSelect) continue;
      // A column declared without a type (the generated ids) has its property's: Number is an integer.
      const type = meta.type === Number ? 'integer' : String(meta.type);
      const column = `"${meta.databaseName}"`;
      if (AS_JSON.has(type)) {
        columns.push({ meta, sql: (alias) => `${alias}.${column}`, decode: asIs });
      } else if (TEXT_PARSED[type] !== undefined) {
        const parse = pg.types.getTypeParser(TEXT_PARSED[type], 'text') as (text: string) => unknown;
        columns.push({
          meta,
          sql: (alias) => `${alias}.${column}::text`,
          decode: (value) => (value === null ? null : parse(value as string)),
        });
      } else {
        return null;
      }
    }
    return new RowCodec<T>(metadata, columns, dataSource);
  }

  get tableName(): string {
    return this.metadata.tableName;
  }

  /** Whether the property is one of the columns this codec reads (not a getter, not a relation). */
  hasColumn(property: string): boolean {
    return this.columns.some((column) => column.meta.propertyPath === property);
  }

  /** The column of a property, for joins and orders. */
  columnOf(property: string): string {
    const found = this.metadata.findColumnWithPropertyPath(property);
    if (!found) throw new Error(`${this.metadata.name} has no column ${property}`);
    return `"${found.databaseName}"`;
  }

  /**
   * The columns of these properties (all of them for 'all'): what a plan reads of a row, so that PostgreSQL builds
   * and Node decodes no column nobody asked for.
   */
  projection(properties: ReadonlySet<string> | 'all'): Projection<T> {
    const columns = this.columns.filter((column) => properties === 'all' || properties.has(column.meta.propertyPath));
    const { metadata } = this;
    const driver = this.dataSource.driver;
    const assigners = columns.map(({ meta, decode }) => {
      // A column of an embedded (a session's venue) goes through TypeORM, which makes the embedded object.
      if (meta.embeddedMetadata) {
        return (entity: T, value: unknown) =>
          meta.setEntityValue(entity, driver.prepareHydratedValue(decode(value), meta));
      }
      const property = meta.propertyName;
      // Integers, text and booleans come out of JSON as TypeORM would hydrate them (no transformer is declared):
      // set as they are; the rest (times, dates) through TypeORM's own hydration.
      if (decode === asIs && !meta.transformer && meta.type !== Boolean) {
        return (entity: T, value: unknown) => {
          (entity as Record<string, unknown>)[property] = value;
        };
      }
      return (entity: T, value: unknown) => {
        (entity as Record<string, unknown>)[property] = driver.prepareHydratedValue(decode(value), meta);
      };
    });
    return {
      width: columns.length,
      select: (alias) => columns.map((column) => column.sql(alias)).join(', '),
      decode(values) {
        const entity = metadata.create() as T;
        for (let i = 0; i < assigners.length; i += 1) assigners[i]!(entity, values[i]);
        return entity;
      },
    };
  }
}

/** Some columns of an entity: their SQL in a row array, and the entity made of them. */
export interface Projection<T> {
  /** How many values of a row array the columns take. */
  readonly width: number;
  /** The columns' SQL, comma-separated, for `alias`. */
  select(alias: string): string;
  /** The entity of the columns at the start of `values`. */
  decode(values: readonly unknown[]): T;
}
