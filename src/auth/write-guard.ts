import { getOperationAST, Kind, valueFromASTUntyped } from 'graphql';
import type {
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  GraphQLError,
  GraphQLSchema,
  SelectionSetNode,
} from 'graphql';
import type { Caller } from './caller';
import { ForbiddenError, UnauthenticatedError } from '../errors';
import { fromGlobalId } from '../schema/global-id';
import { writeTargetOf } from './write-target';
import type { WriteTargetType } from './write-target';

/** Finds the body an object of a write belongs to; null when there is no such object. */
export type BodyOf = (type: WriteTargetType, key: number) => Promise<number | null>;

export interface OperationRequest {
  readonly document: DocumentNode;
  readonly operationName?: string | null;
  /** The variables as sent, before they are coerced: coercing is reading input. */
  readonly variables?: Readonly<Record<string, unknown>> | null;
}

/**
 * Callers before input: decides whether this caller may run this operation's
 * writes from the token and, for a clerk, the one argument that names what
 * each write touches, before any argument is coerced, decoded or looked up
 * (that happens later, in execution). So the public learns nothing about
 * what exists from a write's errors, and a clerk of another body nothing
 * about that body's sessions. Reads pass; an unknown target is left for the
 * resolver to report (NOT_FOUND or BAD_USER_INPUT), as it is not another
 * body's. The services check the same rights again inside the transaction.
 */
export async function refusedWrite(
  schema: GraphQLSchema,
  request: OperationRequest,
  caller: Caller | null,
  bodyOf: BodyOf,
): Promise<GraphQLError | null> {
  const operation = getOperationAST(request.document, request.operationName ?? undefined);
  if (operation?.operation !== 'mutation') return null;
  if (!caller) {
    return new UnauthenticatedError(
      'Writing needs a token: send Authorization: Bearer <token> of a clerk or an admin.',
    );
  }
  if (caller.role === 'ADMIN') return null;
  const fields = schema.getMutationType()?.getFields() ?? {};
  const fragments = new Map(
    request.document.definitions
      .filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION)
      .map((fragment) => [fragment.name.value, fragment]),
  );
  for (const node of topLevelFields(operation.selectionSet, fragments, new Set())) {
    const name = node.name.value;
    if (name === '__typename') continue;
    const field = fields[name];
    if (!field) continue; // validation reports it
    const target = writeTargetOf(field);
    if (!target || target.type === 'Admin') return new ForbiddenError(`Only an admin may call ${name}.`);
    const id = argumentAt(node, target.at, request.variables ?? {});
    if (typeof id !== 'string') continue; // missing or not an id: the resolver says what is wrong
    let key: number;
    try {
      const decoded = fromGlobalId(id, target.at);
      if (decoded.type !== target.type) continue;
      key = decoded.key;
    } catch {
      continue;
    }
    const bodyId = await bodyOf(target.type, key);
    if (bodyId !== null && !caller.bodyIds.includes(bodyId)) {
      return new ForbiddenError(`This clerk's token does not allow ${name} on the sessions of another body.`);
    }
  }
  return null;
}

function* topLevelFields(
  selectionSet: SelectionSetNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  seen: Set<string>,
): Generator<FieldNode> {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      yield selection;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      yield* topLevelFields(selection.selectionSet, fragments, seen);
    } else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = fragments.get(selection.name.value);
      if (fragment) yield* topLevelFields(fragment.selectionSet, fragments, seen);
    }
  }
}

/** The raw value at a dotted path of a field's arguments, literal or from the variables. */
function argumentAt(node: FieldNode, path: string, variables: Readonly<Record<string, unknown>>): unknown {
  const [first, ...rest] = path.split('.');
  const argument = node.arguments?.find((candidate) => candidate.name.value === first);
  if (!argument) return undefined;
  let value: unknown = valueFromASTUntyped(argument.value, variables as Record<string, unknown>);
  for (const key of rest) {
    value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  }
  return value;
}
