import { GraphQLError, Kind } from 'graphql';
import type { FieldNode, FragmentDefinitionNode, SelectionSetNode, ValidationRule } from 'graphql';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../schema/pagination';

/**
 * Page sizes of the lists that can grow, for the weighting: an omitted
 * `first` is the list's default, a variable its largest allowed value (rules
 * run before variables are known, so the worst case is what counts).
 */
const PAGED_FIELDS: Readonly<Record<string, { fallback: number; max: number }>> = {
  sessions: { fallback: 20, max: MAX_PAGE_SIZE },
  people: { fallback: 20, max: MAX_PAGE_SIZE },
  search: { fallback: 20, max: MAX_PAGE_SIZE },
  events: { fallback: 100, max: 1000 },
};

/**
 * Fields that are paged connections on one type and plain lists elsewhere (Person.attendance and Person.ballots
 * against Session.attendance and Vote.ballots): paged where the selection has the connection's shape.
 */
const CONNECTION_ON_SOME_TYPES: ReadonlySet<string> = new Set(['attendance', 'ballots']);
const CONNECTION_FIELDS: ReadonlySet<string> = new Set(['edges', 'nodes', 'pageInfo', 'totalCount']);

function isConnection(selection: FieldNode): boolean {
  return (
    selection.arguments?.some((argument) => argument.name.value === 'first' || argument.name.value === 'after') ===
      true ||
    // A fragment may hold the connection's fields: counted as one, the worst case.
    selection.selectionSet?.selections.some(
      (inner) => inner.kind !== Kind.FIELD || CONNECTION_FIELDS.has(inner.name.value),
    ) === true
  );
}

/** The page size a field may return: 1 for a field that is not a paged list. */
export function pageSizeOf(selection: FieldNode): number {
  const name = selection.name.value;
  const paged =
    PAGED_FIELDS[name] ??
    (CONNECTION_ON_SOME_TYPES.has(name) && isConnection(selection)
      ? { fallback: DEFAULT_PAGE_SIZE, max: MAX_PAGE_SIZE }
      : undefined);
  if (!paged) return 1;
  const first = selection.arguments?.find((argument) => argument.name.value === 'first')?.value;
  return !first
    ? paged.fallback
    : first.kind === Kind.INT
      ? Math.max(1, Number(first.value))
      : first.kind === Kind.VARIABLE
        ? paged.max
        : paged.fallback;
}

/**
 * The cost GraphQL Armor leaves out: page size. An operation may ask for at
 * most `maxRows` rows along any path, multiplying the page sizes of nested
 * lists, so `sessions(first: 100) { events(first: 1000) }` is refused while a
 * dashboard's page of sessions with their agendas passes.
 */
export function maxRowsRule(maxRows: number): ValidationRule {
  return (context) => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of context.getDocument().definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    }
    const rows = (selectionSet: SelectionSetNode, seen: ReadonlySet<string>): number => {
      let most = 1;
      for (const selection of selectionSet.selections) {
        if (selection.kind === Kind.FIELD) {
          const size = pageSizeOf(selection);
          most = Math.max(most, size * (selection.selectionSet ? rows(selection.selectionSet, seen) : 1));
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          most = Math.max(most, rows(selection.selectionSet, seen));
        } else {
          const name = selection.name.value;
          const fragment = fragments.get(name);
          // A fragment spread twice on one path is a cycle: the validation's own rule reports it.
          if (fragment && !seen.has(name)) most = Math.max(most, rows(fragment.selectionSet, new Set([...seen, name])));
        }
      }
      return most;
    };
    return {
      OperationDefinition(operation) {
        const asked = rows(operation.selectionSet, new Set());
        if (asked > maxRows) {
          context.reportError(
            new GraphQLError(
              `This operation may ask for up to ${asked} rows (page sizes multiplied along its deepest path); the limit is ${maxRows}. Ask for smaller pages.`,
              { nodes: operation },
            ),
          );
        }
      },
    };
  };
}
