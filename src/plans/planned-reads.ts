import type { DocumentNode, GraphQLSchema } from 'graphql';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import type { Basis } from '../cache/public-read-cache';
import type { ReadScope } from '../cache/read-scope';
import { typeMetadataOf } from './field-metadata';
import type { TypeMetadata } from './field-metadata';
import { planOperation } from './operation-plan';
import type { OperationPlan, PlanningContext } from './operation-plan';
import { PLANNED_ENTITIES } from './plan-specs';
import { RowCodec } from './row-codec';

/** Documents whose plan (or whose having none) is remembered; the oldest go first. */
const MAX_DOCUMENTS = 500;

export type PlannedOutcome = 'planned' | 'unplanned' | 'declined';

/**
 * Anonymous queries answered by a plan (see operation-plan.ts) instead of
 * Apollo and the resolvers: one statement per request, prepared by name on
 * each pooled connection, its result completed without a resolver. A
 * document is planned when Apollo has parsed and validated it once (the
 * plan never skips a check: every rule of src/security is a validation rule,
 * the same for any variables), and remembered by its exact text.
 */
export class PlannedReads {
  private readonly plans = new Map<string, OperationPlan | null>();
  private readonly context: PlanningContext;

  constructor(
    schema: GraphQLSchema,
    dataSource: DataSource,
    private readonly pool: Pool,
    private readonly hooks: { statement(): void; outcome(outcome: PlannedOutcome): void; failed(why: string): void },
  ) {
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
    const read = plan.prepare(variables, basis === 'read');
    if (!read) {
      this.hooks.outcome('declined');
      return null;
    }
    // The day an answer is kept for ("the current term" is a matter of date), taken before it is read.
    const day = new Date().toISOString().slice(0, 10);
    this.hooks.statement();
    let value: unknown;
    try {
      const result = await this.pool.query<unknown[]>({
        name: read.name,
        text: read.sql,
        values: read.values as unknown[],
        rowMode: 'array',
      });
      value = result.rows[0]?.[0];
    } catch (error) {
      // The database refused or is gone: Apollo and the resolvers answer, with the error they meet.
      this.hooks.failed(`a planned statement failed: ${error instanceof Error ? error.message : String(error)}`);
      this.hooks.outcome('declined');
      return null;
    }
    const completed = read.complete(value, scope);
    this.hooks.outcome(completed ? 'planned' : 'declined');
    if (!completed) return null;
    const versions = completed.versions;
    return {
      operationName: plan.operationName,
      data: completed.data,
      basis: basis === 'read' ? (versions ? { ...versions, day } : null) : basis,
    };
  }
}

function keyOf(query: string, operationName: string | null | undefined): string {
  return `${operationName ?? ''}\n${query}`;
}
