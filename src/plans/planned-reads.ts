import type { DocumentNode, GraphQLSchema } from 'graphql';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import type { Basis } from '../cache/public-read-cache';
import type { ReadScope } from '../cache/read-scope';
import { statementName } from '../db/prepared';
import { typeMetadataOf } from './field-metadata';
import type { TypeMetadata } from './field-metadata';
import { planOperation } from './operation-plan';
import type { OperationPlan, PlanningContext, PreparedRead } from './operation-plan';
import { PLANNED_ENTITIES } from './plan-specs';
import { RowCodec } from './row-codec';

/** Documents whose plan (or whose having none) is remembered; the oldest go first. */
const MAX_DOCUMENTS = 500;
/** Reads of one plan sent in one statement, at most. */
const MAX_BATCH = 16;
/**
 * Planned statements under way at once, at most: enough for PostgreSQL to use its cores, few enough that reads
 * arriving meanwhile wait a moment and go together (see read()), and two of the pool's connections left for the
 * rest (measured with bench:reads: 2, 4 and 8 on 2 cores, 8 the best at 16 and 64 connections).
 */
const MAX_IN_FLIGHT = 8;
/**
 * Statements named (each connection keeps those it prepared, so their number is bounded) and kept: a plan has a
 * few (batch sizes, variants), a process at most these.
 */
const MAX_STATEMENTS = 2000;

export type PlannedOutcome = 'planned' | 'unplanned' | 'declined';

/**
 * Anonymous queries answered by a plan (see operation-plan.ts) instead of
 * Apollo and the resolvers: one statement per request (or one for several
 * requests of the same plan, when they come together), prepared by name on
 * each pooled connection, its result completed without a resolver. A
 * document is planned when Apollo has parsed and validated it once (the
 * plan never skips a check: every rule of src/security is a validation rule,
 * the same for any variables), and remembered by its exact text.
 */
export class PlannedReads {
  private readonly plans = new Map<string, OperationPlan | null>();
  /** Reads waiting to be sent, by the statement that can read them together. */
  private readonly waiting = new Map<string, Waiting[]>();
  private waitingCount = 0;
  private pumping = false;
  /** Planned statements under way, and how many may be. */
  private inFlight = 0;
  private readonly maxInFlight: number;
  private readonly statements = new Map<string, Statement>();
  private readonly named = new Set<string>();
  private readonly context: PlanningContext;

  constructor(
    schema: GraphQLSchema,
    dataSource: DataSource,
    private readonly pool: Pool,
    private readonly hooks: { statement(): void; outcome(outcome: PlannedOutcome): void; failed(why: string): void },
  ) {
    this.maxInFlight = Math.max(1, Math.min(MAX_IN_FLIGHT, (pool.options.max ?? 10) - 2));
    const codecs = new Map<string, RowCodec<object> | null>();
    const metadata = new Map<string, TypeMetadata | null>();
    this.context = {
      schema,
      codecOf(typeName) {
        if (!codecs.has(typeName)) {
          const spec = PLANNED_ENTITIES[typeName];
          codecs.set(typeName, spec ? (RowCodec.of(dataSource, spec.entity) as RowCodec<object> | null) : null);
        }
        return codecs.get(typeName)!;
      },
      fieldsOf(typeName) {
        if (!metadata.has(typeName)) {
          metadata.set(typeName, typeMetadataOf(typeName, PLANNED_ENTITIES[typeName]?.entity as object | undefined));
        }
        return metadata.get(typeName)!;
      },
    };
  }

  /** Plans a document Apollo has just validated, unless it was planned (or found unplannable) before. */
  learn(query: string, operationName: string | null | undefined, document: DocumentNode): void {
    const key = keyOf(query, operationName);
    if (this.plans.has(key)) return;
    let plan: OperationPlan | string;
    try {
      plan = planOperation(this.context, document, operationName);
    } catch (error) {
      // A planner's fault must not fail the request that taught it: the document is left to Apollo.
      plan = `the planner failed: ${error instanceof Error ? error.message : String(error)}`;
      this.hooks.failed(plan);
    }
    if (this.plans.size >= MAX_DOCUMENTS) this.plans.delete(this.plans.keys().next().value!);
    this.plans.set(key, typeof plan === 'string' ? null : plan);
  }

  /** Whether this document has a plan (a request that offers one without is counted as unplanned). */
  knows(query: string, operationName: string | null | undefined): boolean {
    const known = Boolean(this.plans.get(keyOf(query, operationName)));
    if (!known) this.hooks.outcome('unplanned');
    return known;
  }

  /**
   * The answer's `data` for a request of a planned document, or null when Apollo and the resolvers must answer
   * (a document not planned, a variable or argument they refuse, a value they would report as an error). With
   * `basis: 'read'`, the versions of the public read cache are read in the same statement as the data, and the
   * answer comes with them.
   */
  async answer(
    query: string,
    operationName: string | null | undefined,
    variables: Readonly<Record<string, unknown>> | undefined,
    scope: ReadScope | null,
    basis: Basis | 'read' | null = null,
  ): Promise<{
    readonly operationName: string | null;
    readonly data: Record<string, unknown>;
    readonly basis: Basis | null;
  } | null> {
    const plan = this.plans.get(keyOf(query, operationName));
    if (!plan) {
      this.hooks.outcome('unplanned');
      return null;
    }
    const read = plan.prepare(variables);
    if (!read) {
      this.hooks.outcome('declined');
      return null;
    }
    // The day an answer is kept for ("the current term" is a matter of date), taken before it is read.
    const day = new Date().toISOString().slice(0, 10);
    const result = await this.read(read, basis === 'read');
    const data = result ? read.complete(result.value, scope) : null;
    this.hooks.outcome(data ? 'planned' : 'declined');
    if (!data) return null;
    return {
      operationName: plan.operationName,
      data,
      basis: basis === 'read' ? (result!.versions ? { ...result!.versions, day } : null) : basis,
    };
  }

  /**
   * One request's read. While fewer than maxInFlight planned statements are under way it is sent at once (with
   * the reads of the same plan asked for in the same turn of the event loop, spread over the free places), so
   * PostgreSQL works on several at a time; beyond that, reads wait and are sent together, one statement for up to
   * MAX_BATCH of them: one write, one round trip and one snapshot for them all, each read a value of it. Null if
   * the statement failed.
   */
  private read(read: PreparedRead, withVersions: boolean): Promise<Fetched | null> {
    return new Promise((resolve) => {
      let group = this.waiting.get(read.batchKey);
      if (!group) this.waiting.set(read.batchKey, (group = []));
      group.push({ read, withVersions, resolve });
      this.waitingCount += 1;
      if (!this.pumping) {
        this.pumping = true;
        setImmediate(() => this.pump());
      }
    });
  }

  /** Sends what waits, as far as there are places: each place takes an equal share, at most MAX_BATCH. */
  private pump(): void {
    this.pumping = false;
    const free = this.maxInFlight - this.inFlight;
    if (free <= 0 || this.waitingCount === 0) return;
    const share = Math.min(MAX_BATCH, Math.ceil(this.waitingCount / free));
    for (const [key, group] of this.waiting) {
      while (group.length > 0 && this.inFlight < this.maxInFlight) {
        const batch = group.splice(0, share);
        this.waitingCount -= batch.length;
        this.inFlight += 1;
        void this.send(batch).finally(() => {
          this.inFlight -= 1;
          this.pump();
        });
      }
      if (group.length === 0) this.waiting.delete(key);
      if (this.inFlight >= this.maxInFlight) break;
    }
  }

  private async send(batch: readonly Waiting[]): Promise<void> {
    // Batches of 1, 2, 4, 8 or 16 reads, so a plan has a few statements; the places left over are read with every
    // parameter null, which finds no row at once (an id = NULL, a body_id = NULL), and are not looked at.
    let size = 1;
    while (size < batch.length) size *= 2;
    const withVersions = batch.some((waiting) => waiting.withVersions);
    const first = batch[0]!.read;
    const statement = this.statementOf(first, size, withVersions);
    const values: unknown[] = [];
    const nothing = first.values.map(() => null);
    for (let i = 0; i < size; i += 1) values.push(...(batch[i]?.read.values ?? nothing));
    this.hooks.statement();
    try {
      const result = await this.pool.query<unknown[]>({
        name: statement.name,
        text: statement.sql,
        values,
        rowMode: 'array',
      });
      const row = (result.rows[0]?.[0] ?? []) as unknown[];
      const [reference, sessions] = (withVersions ? row.slice(size) : []) as (string | null | undefined)[];
      const versions = reference && sessions ? { reference, sessions } : null;
      batch.forEach((waiting, i) => waiting.resolve({ value: row[i], versions }));
    } catch (error) {
      // The database refused or is gone: Apollo and the resolvers answer, with the error they meet.
      this.hooks.failed(`a planned statement failed: ${error instanceof Error ? error.message : String(error)}`);
      for (const waiting of batch) waiting.resolve(null);
    }
  }

  /** The statement that reads `size` reads of this kind, made once, named by its text while names last. */
  private statementOf(read: PreparedRead, size: number, withVersions: boolean): Statement {
    const key = `${size} ${withVersions}\n${read.batchKey}`;
    let statement = this.statements.get(key);
    if (!statement) {
      const count = read.values.length;
      const fragments = Array.from({ length: size }, (_, i) =>
        read.fragment.replace(/\$(\d+)/g, (_match, n: string) => `$${Number(n) + i * count}`),
      );
      if (withVersions) fragments.push(DATA_VERSIONS);
      const sql = `SELECT json_build_array(${fragments.join(', ')})`;
      statement = { name: this.nameOf(sql), sql };
      if (this.statements.size < MAX_STATEMENTS) this.statements.set(key, statement);
    }
    return statement;
  }

  /** A name that stands for one text (a hash of it), while there is room; else none (parsed each time). */
  private nameOf(sql: string): string | undefined {
    const name = statementName(sql);
    if (!this.named.has(name)) {
      if (this.named.size >= MAX_STATEMENTS) return undefined;
      this.named.add(name);
    }
    return name;
  }
}

interface Fetched {
  readonly value: unknown;
  readonly versions: { readonly reference: string; readonly sessions: string } | null;
}

interface Waiting {
  readonly read: PreparedRead;
  readonly withVersions: boolean;
  readonly resolve: (fetched: Fetched | null) => void;
}

interface Statement {
  readonly name: string | undefined;
  readonly sql: string;
}

/** The versions of the reference data and of the list of sessions (src/cache/versions.ts), as text. */
const DATA_VERSIONS =
  '(SELECT "version"::text FROM "data_version" WHERE "id" = 1), (SELECT "version"::text FROM "data_version" WHERE "id" = 2)';

function keyOf(query: string, operationName: string | null | undefined): string {
  return `${operationName ?? ''}\n${query}`;
}
