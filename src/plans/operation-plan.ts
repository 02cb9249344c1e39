import { getArgumentValues, getVariableValues } from 'graphql/execution/values';
import { collectFields, collectSubfields } from 'graphql/execution/collectFields';
import {
  getNamedType,
  getNullableType,
  getOperationAST,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  visit,
} from 'graphql';
import type {
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  GraphQLField,
  GraphQLLeafType,
  GraphQLObjectType,
  GraphQLOutputType,
  GraphQLSchema,
  OperationDefinitionNode,
} from 'graphql';
import pg from 'pg';
import type { ReadScope } from '../cache/read-scope';
import { cursorTime, CURSOR_KIND, filterOf } from '../loaders/session-pages.loader';
import { keyOf } from '../schema/global-id';
import { encodeCursor, pageSize } from '../schema/pagination';
import { SessionOrder } from '../schema/session-filter.input';
import type { SessionFilter } from '../schema/session-filter.input';
import type { TypeMetadata } from './field-metadata';
import { GETTER_NEEDS, PLANNED_BY_ID, PLANNED_ENTITIES, SESSION_TYPE } from './plan-specs';
import type { RelationSpec } from './plan-specs';
import type { Projection, RowCodec } from './row-codec';

/**
 * A planned read: one query operation, whose every field is a column, a
 * relation or a computed object of PLANNED_ENTITIES, compiled once into one
 * SQL statement that PostgreSQL answers with the whole result as JSON
 * (to-one relations as scalar subqueries, lists as ordered arrays), and a
 * completion that turns that JSON into the very object graphql-js would
 * have made of the resolvers' values: the same entities, the same leaf
 * serializers, the same field order (graphql-js's own field collection).
 * Anything it does not cover yields no plan, and anything unexpected at run
 * time (a bad argument, a null where the schema says non-null) yields no
 * answer: Apollo and the resolvers answer instead, errors and all.
 */
export interface OperationPlan {
  /** The operation's own name, as Apollo reports it (the request need not send it). */
  readonly operationName: string | null;
  /** The read and its parameters for these variables, or null if the resolvers must answer. */
  prepare(variables: Readonly<Record<string, unknown>> | undefined): PreparedRead | null;
}

export interface PreparedRead {
  /**
   * Requests of the same plan whose statements differ only in their parameters share this key: one statement can
   * read them all (see PlannedReads), each request's `fragment` a value of it.
   */
  readonly batchKey: string;
  /** The request's read as one SQL value (a JSON array), its parameters numbered from $1. */
  readonly fragment: string;
  readonly values: readonly unknown[];
  /** The `data` of the answer from the fragment's value; null if the resolvers must answer. */
  complete(value: unknown, scope: ReadScope | null): Record<string, unknown> | null;
}

/** What the planner reads about the schema's types: their entities' codecs and type-graphql's fields. */
export interface PlanningContext {
  readonly schema: GraphQLSchema;
  codecOf(typeName: string): RowCodec<object> | null;
  fieldsOf(typeName: string): TypeMetadata | null;
}

class NotPlanned extends Error {}
const refuse = (why: string): never => {
  throw new NotPlanned(why);
};

/** Why an operation cannot be planned, or its plan. */
export function planOperation(
  context: PlanningContext,
  document: DocumentNode,
  operationName: string | null | undefined,
): OperationPlan | string {
  const operation = getOperationAST(document, operationName);
  if (!operation || operation.operation !== 'query') return 'not a query';
  if (usesVariablesInDirectives(document)) return '@include/@skip on a variable';
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  }
  try {
    return new Planner(context, fragments).root(operation);
  } catch (error) {
    if (error instanceof NotPlanned) return error.message;
    throw error;
  }
}

function usesVariablesInDirectives(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    Directive(node) {
      if (node.arguments?.some((argument) => argument.value.kind === Kind.VARIABLE)) found = true;
    },
  });
  return found;
}

/** How a value of a field is completed, as graphql-js's completeValue would. */
interface Shape {
  readonly nonNull: boolean;
  readonly list: boolean;
  readonly itemNonNull: boolean;
}

function shapeOf(type: GraphQLOutputType): Shape {
  const nonNull = isNonNullType(type);
  const inner = getNullableType(type);
  if (!isListType(inner)) return { nonNull, list: false, itemNonNull: false };
  const item = inner.ofType as GraphQLOutputType;
  if (isListType(getNullableType(item))) refuse('a list of lists');
  return { nonNull, list: true, itemNonNull: isNonNullType(item) };
}

type FieldPlan =
  | { readonly key: string; readonly kind: 'typename'; readonly value: string }
  | {
      readonly key: string;
      readonly kind: 'leaf';
      readonly property: string;
      readonly leaf: GraphQLLeafType;
      readonly shape: Shape;
    }
  | {
      readonly key: string;
      readonly kind: 'row';
      readonly index: number;
      readonly spec: RelationSpec & { kind: 'one' | 'many' };
      readonly shape: Shape;
      readonly child: ObjectPlan;
    }
  | {
      readonly key: string;
      readonly kind: 'computed';
      readonly compute: (parent: never) => object | null;
      readonly shape: Shape;
      readonly child: ObjectPlan;
    };

interface ObjectPlan {
  readonly typeName: string;
  /** For entity types: how their row is read. Computed (plain) types have none. */
  readonly codec: RowCodec<object> | null;
  /** The columns of the row the fields need (of an entity type). */
  readonly projection: Projection<object> | null;
  readonly fields: readonly FieldPlan[];
  /** The relations read with the row, in the order of their values after the columns (and the version). */
  readonly rows: readonly Extract<FieldPlan, { kind: 'row' }>[];
  /** A session's row, read with its version. */
  readonly versioned: boolean;
}

type RootPlan =
  | { readonly key: string; readonly kind: 'typename' }
  | {
      readonly key: string;
      readonly kind: 'byId';
      readonly type: string;
      readonly node: FieldNode;
      readonly field: GraphQLField<unknown, unknown>;
      readonly child: ObjectPlan;
    }
  | {
      readonly key: string;
      readonly kind: 'sessions';
      readonly node: FieldNode;
      readonly field: GraphQLField<unknown, unknown>;
      readonly connection: ConnectionPlan;
    };

/** Query.sessions' connection: nodes, edges (cursor, node) and pageInfo; totalCount is left to the resolvers. */
type ConnectionField =
  | { readonly key: string; readonly kind: 'typename'; readonly value: string }
  | { readonly key: string; readonly kind: 'nodes' }
  | { readonly key: string; readonly kind: 'edges'; readonly fields: readonly EdgeField[] }
  | {
      readonly key: string;
      readonly kind: 'pageInfo';
      readonly typeName: string;
      readonly fields: readonly { key: string; name: string }[];
    };
type EdgeField = { readonly key: string; readonly kind: 'typename' | 'cursor' | 'node'; readonly value?: string };

interface ConnectionPlan {
  readonly fields: readonly ConnectionField[];
  /** The sessions' plan, where nodes or edges.node ask for them. */
  readonly session: ObjectPlan | null;
  /** Whether edges' cursors or pageInfo are asked for (they need each row's time). */
  readonly cursors: boolean;
}

/** pg's own parser of timestamptz text: a cursor's time is what the loader's row held. */
const TIMESTAMPTZ = pg.types.getTypeParser(pg.types.builtins.TIMESTAMPTZ, 'text') as (text: string) => Date;

const PAGE_INFO_FIELDS: ReadonlySet<string> = new Set(['hasNextPage', 'hasPreviousPage', 'startCursor', 'endCursor']);

class Planner {
  constructor(
    private readonly context: PlanningContext,
    private readonly fragments: Record<string, FragmentDefinitionNode>,
  ) {}

  private get schema(): GraphQLSchema {
    return this.context.schema;
  }

  root(operation: OperationDefinitionNode): OperationPlan {
    const queryType = this.schema.getQueryType()!;
    const roots: RootPlan[] = [];
    for (const [key, nodes] of collectFields(this.schema, this.fragments, {}, queryType, operation.selectionSet)) {
      const node = nodes[0]!;
      const name = node.name.value;
      if (name === '__typename') {
        roots.push({ key, kind: 'typename' });
        continue;
      }
      const field = queryType.getFields()[name] ?? refuse(`no field ${name}`);
      const byId = PLANNED_BY_ID[name];
      if (byId) {
        const type = getNamedType(field.type);
        if (!isObjectType(type) || type.name !== byId) refuse(`${name} is not a ${byId}`);
        roots.push({
          key,
          kind: 'byId',
          type: byId,
          node,
          field,
          child: this.object(type as GraphQLObjectType, nodes),
        });
      } else if (name === 'sessions') {
        roots.push({ key, kind: 'sessions', node, field, connection: this.connection(field, nodes) });
      } else {
        refuse(`Query.${name}`);
      }
    }
    return new CompiledPlan(operation, this.schema, roots);
  }

  private subfields(type: GraphQLObjectType, nodes: readonly FieldNode[]) {
    return collectSubfields(this.schema, this.fragments, {}, type, nodes);
  }

  private object(type: GraphQLObjectType, nodes: readonly FieldNode[]): ObjectPlan {
    const spec = PLANNED_ENTITIES[type.name];
    const codec = spec ? (this.context.codecOf(type.name) ?? refuse(`${type.name}'s columns`)) : null;
    const meta = this.context.fieldsOf(type.name) ?? refuse(`${type.name} has no metadata`);
    const fields: FieldPlan[] = [];
    const rows: Extract<FieldPlan, { kind: 'row' }>[] = [];
    const versioned = type.name === SESSION_TYPE;
    // The columns the fields read: a session's id for its version; 'all' once a getter may read any.
    let needs: Set<string> | 'all' = new Set(versioned ? ['id'] : []);
    const need = (properties: readonly string[] | 'all'): void => {
      if (needs === 'all' || properties === 'all') needs = 'all';
      else for (const property of properties) needs.add(property);
    };
    for (const [key, fieldNodes] of this.subfields(type, nodes)) {
      const node = fieldNodes[0]!;
      const name = node.name.value;
      if (name === '__typename') {
        fields.push({ key, kind: 'typename', value: type.name });
        continue;
      }
      if ((node.arguments?.length ?? 0) > 0) refuse(`${type.name}.${name} has arguments`);
      const field = type.getFields()[name] ?? refuse(`no field ${type.name}.${name}`);
      const shape = shapeOf(field.type);
      const relation = spec?.relations[name];
      const info = meta.fields.get(name) ?? refuse(`${type.name}.${name} has no metadata`);
      if (relation) {
        // A relation here must be a field with a resolver, the one this spec follows.
        if (!info.resolved) refuse(`${type.name}.${name} has no resolver`);
        const childType = getNamedType(field.type);
        if (!isObjectType(childType)) refuse(`${type.name}.${name} is not an object`);
        const child = this.object(childType as GraphQLObjectType, fieldNodes);
        if (relation.kind === 'computed') {
          if (child.codec) refuse(`${type.name}.${name} computes an entity`);
          need(relation.needs);
          fields.push({ key, kind: 'computed', compute: relation.compute, shape, child });
        } else {
          if (!child.codec) refuse(`${type.name}.${name} is not an entity`);
          if (shape.list !== (relation.kind === 'many')) refuse(`${type.name}.${name}'s shape`);
          if (relation.kind === 'many' && relation.unless) need([relation.unless.property]);
          const plan = { key, kind: 'row' as const, index: 0, spec: relation, shape, child };
          rows.push(plan);
          fields.push(plan);
        }
        continue;
      }
      // Anything else must be what type-graphql's basic resolver returns: the entity's property, a leaf.
      if (info.resolved || !info.plain) refuse(`${type.name}.${name} has a resolver`);
      if (shape.list) refuse(`${type.name}.${name} is a list`);
      const leaf = getNamedType(field.type);
      if (!isLeafType(leaf)) refuse(`${type.name}.${name} is not a leaf`);
      fields.push({ key, kind: 'leaf', property: info.property, leaf: leaf as GraphQLLeafType, shape });
      if (codec) need(codec.hasColumn(info.property) ? [info.property] : (GETTER_NEEDS[info.property] ?? 'all'));
    }
    const projection = codec ? codec.projection(needs) : null;
    // Values of a row: the columns, the version (a session's), then each relation's.
    const first = (projection?.width ?? 0) + (versioned ? 1 : 0);
    const indexed = rows.map((row, i) => ({ ...row, index: first + i }));
    const byKey = new Map(indexed.map((row) => [row.key, row]));
    return {
      typeName: type.name,
      codec,
      projection,
      versioned,
      rows: indexed,
      fields: fields.map((field) => (field.kind === 'row' ? byKey.get(field.key)! : field)),
    };
  }

  private connection(field: GraphQLField<unknown, unknown>, nodes: readonly FieldNode[]): ConnectionPlan {
    const type = getNamedType(field.type) as GraphQLObjectType;
    const sessionType = this.schema.getType(SESSION_TYPE) as GraphQLObjectType;
    const fields: ConnectionField[] = [];
    let session: ObjectPlan | null = null;
    const sessionsOnce = (sessionNodes: readonly FieldNode[]): void => {
      if (session) refuse('sessions selected twice');
      session = this.object(sessionType, sessionNodes);
    };
    for (const [key, fieldNodes] of this.subfields(type, nodes)) {
      const name = fieldNodes[0]!.name.value;
      if (name === '__typename') fields.push({ key, kind: 'typename', value: type.name });
      else if (name === 'nodes') {
        sessionsOnce(fieldNodes);
        fields.push({ key, kind: 'nodes' });
      } else if (name === 'edges') {
        const edgeType = getNamedType(type.getFields().edges!.type) as GraphQLObjectType;
        const edgeFields: EdgeField[] = [];
        for (const [edgeKey, edgeNodes] of this.subfields(edgeType, fieldNodes)) {
          const edgeName = edgeNodes[0]!.name.value;
          if (edgeName === '__typename') edgeFields.push({ key: edgeKey, kind: 'typename', value: edgeType.name });
          else if (edgeName === 'cursor') edgeFields.push({ key: edgeKey, kind: 'cursor' });
          else if (edgeName === 'node') {
            sessionsOnce(edgeNodes);
            edgeFields.push({ key: edgeKey, kind: 'node' });
          } else refuse(`${edgeType.name}.${edgeName}`);
        }
        fields.push({ key, kind: 'edges', fields: edgeFields });
      } else if (name === 'pageInfo') {
        const infoType = getNamedType(type.getFields().pageInfo!.type) as GraphQLObjectType;
        const infoFields: { key: string; name: string }[] = [];
        for (const [infoKey, infoNodes] of this.subfields(infoType, fieldNodes)) {
          const infoName = infoNodes[0]!.name.value;
          if (infoName !== '__typename' && !PAGE_INFO_FIELDS.has(infoName)) refuse(`PageInfo.${infoName}`);
          infoFields.push({ key: infoKey, name: infoName });
        }
        fields.push({ key, kind: 'pageInfo', typeName: infoType.name, fields: infoFields });
      } else refuse(`${type.name}.${name}`);
    }
    const cursors = fields.some((field) => field.kind === 'edges' || field.kind === 'pageInfo');
    return { fields, session, cursors };
  }
}

/** A session's version (src/cache/read-scope.ts), read in the statement that reads its row. */
const VERSION_SQL = (alias: string): string =>
  `(SELECT v."version" FROM "session_version" v WHERE v."session_id" = ${alias}."id")::text`;

/** The SQL of an object's row (a JSON array) for the table alias `alias`; `next` names nested aliases. */
function rowSql(plan: ObjectPlan, alias: string, next: () => string): string {
  const codec = plan.codec!;
  const columns = plan.projection!.select(alias);
  const parts = columns === '' ? [] : [columns];
  if (plan.versioned) {
    parts.push(VERSION_SQL(alias));
  }
  for (const row of plan.rows) {
    const child = row.child.codec!;
    const inner = next();
    const childRow = rowSql(row.child, inner, next);
    if (row.spec.kind === 'one') {
      parts.push(
        `(SELECT ${childRow} FROM "${child.tableName}" ${inner} WHERE ${inner}."id" = ${alias}.${codec.columnOf(row.spec.fk)})`,
      );
    } else {
      const order = row.spec.order.map(([property, direction]) => `${inner}.${child.columnOf(property)} ${direction}`);
      const unless = row.spec.unless
        ? ` AND ${alias}.${codec.columnOf(row.spec.unless.property)} <> '${row.spec.unless.value}'`
        : '';
      parts.push(
        `array_to_json(ARRAY(SELECT ${childRow} FROM "${child.tableName}" ${inner}` +
          ` WHERE ${inner}.${child.columnOf(row.spec.fk)} = ${alias}."id"${unless} ORDER BY ${order.join(', ')}))`,
      );
    }
  }
  return `json_build_array(${parts.join(', ')})`;
}

/** Variants of one plan's fragment kept (the filters of Query.sessions make a few): beyond these, made each time. */
const MAX_VARIANTS = 64;
/** Plans made so far in this process: each plan's batches are its own. */
let plans = 0;

/** A value graphql-js would refuse (a null in a non-null place): the resolvers answer, with their error. */
class Unanswerable extends Error {}

class CompiledPlan implements OperationPlan {
  readonly operationName: string | null;
  /** The SQL of each root field's rows that does not depend on the variables. */
  private readonly rowSql = new Map<string, string>();
  /** The fragment of each variant (see prepare), made once. */
  private readonly fragments = new Map<string, string>();
  private readonly id = (plans += 1);

  constructor(
    private readonly operation: OperationDefinitionNode,
    private readonly schema: GraphQLSchema,
    private readonly roots: readonly RootPlan[],
  ) {
    this.operationName = operation.name?.value ?? null;
    let counter = 0;
    const next = () => `t${(counter += 1)}`;
    for (const root of roots) {
      if (root.kind === 'byId') this.rowSql.set(root.key, rowSql(root.child, 's', next));
      if (root.kind === 'sessions' && root.connection.session) {
        this.rowSql.set(root.key, rowSql(root.connection.session, 's', next));
      }
    }
  }

  prepare(variables: Readonly<Record<string, unknown>> | undefined): PreparedRead | null {
    const coerced = getVariableValues(this.schema, this.operation.variableDefinitions ?? [], variables ?? {}, {
      maxErrors: 1,
    });
    if (coerced.errors) return null;
    const values: unknown[] = [];
    const param = (value: unknown): string => {
      values.push(value);
      return `$${values.length}`;
    };
    const columns: (() => string)[] = [];
    // What makes this request's statement differ from another's of the same plan: the filters of its pages.
    let variant = `${this.id}\n`;
    const pages = new Map<string, { first: number; after: boolean; kind: string }>();
    try {
      for (const root of this.roots) {
        if (root.kind === 'typename') continue;
        const args = getArgumentValues(root.field, root.node, coerced.coerced);
        if (root.kind === 'byId') {
          const key = keyOf(args.id as string, root.type as never, 'id');
          const table = root.child.codec!.tableName;
          const id = param(key);
          columns.push(() => `(SELECT ${this.rowSql.get(root.key)} FROM "${table}" s WHERE s."id" = ${id}::int)`);
        } else {
          const page = sessionsPage(args, param);
          if (!page) return null;
          pages.set(root.key, page);
          const row = this.rowSql.get(root.key);
          const limit = param(page.first + 1);
          variant += `${page.where} ${page.direction}\n`;
          // Each: the id and the time of the cursor, then the session's row where nodes or edges ask for it, else
          // its version alone (the answer is kept under the versions of every session of the page, as the loader's).
          const at = root.connection.cursors ? `s."scheduled_at"::text` : 'NULL';
          const selected = `s."id", ${at}, ${row ?? VERSION_SQL('s')}`;
          columns.push(
            () =>
              `array_to_json(ARRAY(SELECT json_build_array(${selected}) FROM "session" s WHERE ${page.where}` +
              ` ORDER BY s."scheduled_at" ${page.direction}, s."id" ${page.direction} LIMIT ${limit}))`,
          );
        }
      }
    } catch {
      // An argument the resolvers refuse (a malformed id, a page too large): they answer, with the error.
      return null;
    }
    let fragment = this.fragments.get(variant);
    if (fragment === undefined) {
      fragment = `json_build_array(${columns.map((column) => column()).join(', ')})`;
      if (this.fragments.size < MAX_VARIANTS) this.fragments.set(variant, fragment);
    }
    return {
      batchKey: variant,
      fragment,
      values,
      complete: (value, scope) => {
        try {
          return this.complete(value as unknown[], pages, scope);
        } catch {
          // A null where the schema says non-null, a value a serializer refuses: the resolvers answer, with the error.
          return null;
        }
      },
    };
  }

  private complete(
    result: readonly unknown[],
    pages: ReadonlyMap<string, { first: number; after: boolean; kind: string }>,
    scope: ReadScope | null,
  ): Record<string, unknown> {
    const data: Record<string, unknown> = {};
    let column = 0;
    for (const root of this.roots) {
      if (root.kind === 'typename') {
        data[root.key] = 'Query';
        continue;
      }
      const value = result[column++];
      if (root.kind === 'byId') {
        data[root.key] =
          value === null ? nullable(shapeOf(root.field.type)) : completeObject(root.child, value as unknown[], scope);
        continue;
      }
      const page = pages.get(root.key)!;
      data[root.key] = completeConnection(root.connection, value as unknown[][], page, scope);
    }
    return data;
  }
}

/** The arguments of Query.sessions that a plan serves (the resolvers' loader does the rest), as SQL. */
function sessionsPage(
  args: Record<string, unknown>,
  param: (value: unknown) => string,
): { where: string; direction: 'ASC' | 'DESC'; first: number; after: boolean; kind: string } | null {
  const filter = (args.filter ?? null) as SessionFilter | null;
  const order = (args.orderBy ?? SessionOrder.SCHEDULED_AT_DESC) as SessionOrder;
  // Searches and lists by updatedAt are not kept by the cache and have their own reads: left to the loader.
  if (order === SessionOrder.UPDATED_AT_ASC || filter?.search != null || filter?.updatedSince != null) return null;
  const first = pageSize(args.first as number | null | undefined);
  const descending = order === SessionOrder.SCHEDULED_AT_DESC;
  const kind = CURSOR_KIND[order];
  const params: unknown[] = [];
  let where = filterOf(filter, params);
  if (args.after) {
    params.push(...cursorTime(args.after as string, kind));
    where += ` AND (s.scheduled_at, s.id) ${descending ? '<' : '>'} ($${params.length - 1}, $${params.length})`;
  }
  // filterOf numbers its parameters from $1: renumbered into this statement's.
  const renumbered = where.replace(/\$(\d+)/g, (_, n: string) => param(params[Number(n) - 1]));
  return { where: renumbered, direction: descending ? 'DESC' : 'ASC', first, after: Boolean(args.after), kind };
}

function nullable(shape: Shape): null {
  if (shape.nonNull) throw new Unanswerable();
  return null;
}

function completeObject(plan: ObjectPlan, row: readonly unknown[], scope: ReadScope | null): Record<string, unknown> {
  const entity = plan.projection!.decode(row) as Record<string, unknown> & { id: number };
  if (plan.versioned) scope?.sawSession(entity.id, (row[plan.projection!.width] as string | null) ?? null);
  return completeFields(plan, entity, row, scope);
}

function completeFields(
  plan: ObjectPlan,
  source: Record<string, unknown>,
  row: readonly unknown[] | null,
  scope: ReadScope | null,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of plan.fields) {
    switch (field.kind) {
      case 'typename':
        out[field.key] = field.value;
        break;
      case 'leaf': {
        const value = source[field.property];
        if (value === null || value === undefined) out[field.key] = nullable(field.shape);
        else {
          const serialized = field.leaf.serialize(value);
          if (serialized === undefined) throw new Unanswerable();
          out[field.key] = serialized;
        }
        break;
      }
      case 'computed': {
        const value = field.compute(source as never) as Record<string, unknown> | null;
        out[field.key] = value === null ? nullable(field.shape) : completeFields(field.child, value, null, scope);
        break;
      }
      case 'row': {
        const value = row![field.index];
        if (field.spec.kind === 'one') {
          out[field.key] =
            value === null ? nullable(field.shape) : completeObject(field.child, value as unknown[], scope);
          break;
        }
        const { unless } = field.spec;
        const items = unless && source[unless.property] === unless.value ? [] : (value as unknown[][]);
        if (plan.versioned && scope) scope.requireSession(source.id as number);
        out[field.key] = items.map((item) =>
          item === null
            ? nullable({ nonNull: field.shape.itemNonNull, list: false, itemNonNull: false })
            : completeObject(field.child, item, scope),
        );
        break;
      }
    }
  }
  return out;
}

function completeConnection(
  plan: ConnectionPlan,
  rows: readonly unknown[][],
  page: { first: number; after: boolean; kind: string },
  scope: ReadScope | null,
): Record<string, unknown> {
  const shown = rows.slice(0, page.first);
  // Each row: the session's id, its scheduled time as pg's text, and its own row where asked for.
  const cursors = plan.cursors
    ? shown.map((row) => encodeCursor(page.kind, TIMESTAMPTZ(row[1] as string).getTime(), row[0] as number))
    : [];
  // The loader reads every session of the page (with its version) whether its fields are asked for or not.
  const session = plan.session;
  const versionOf = (row: readonly unknown[]) =>
    ((session ? (row[2] as unknown[])[session.projection!.width] : row[2]) as string | null) ?? null;
  for (const row of rows) scope?.sawSession(row[0] as number, versionOf(row));
  const sessions = session ? shown.map((row) => completeObject(session, row[2] as unknown[], scope)) : [];
  const out: Record<string, unknown> = {};
  for (const field of plan.fields) {
    if (field.kind === 'typename') out[field.key] = field.value;
    else if (field.kind === 'nodes') out[field.key] = sessions;
    else if (field.kind === 'edges') {
      out[field.key] = shown.map((_, i) => {
        const edge: Record<string, unknown> = {};
        for (const edgeField of field.fields) {
          if (edgeField.kind === 'typename') edge[edgeField.key] = edgeField.value;
          else if (edgeField.kind === 'cursor') edge[edgeField.key] = cursors[i];
          else edge[edgeField.key] = sessions[i];
        }
        return edge;
      });
    } else {
      const info: Record<string, unknown> = {
        __typename: field.typeName,
        hasNextPage: rows.length > page.first,
        hasPreviousPage: page.after,
        startCursor: cursors[0] ?? null,
        endCursor: cursors[cursors.length - 1] ?? null,
      };
      const out2: Record<string, unknown> = {};
      for (const { key, name } of field.fields) out2[key] = info[name];
      out[field.key] = out2;
    }
  }
  return out;
}
