import { GraphQLError, Kind } from 'graphql';
import type { FieldNode, FragmentDefinitionNode, SelectionSetNode, ValidationRule } from 'graphql';
import { MAX_PAGE_SIZE } from '../schema/pagination';

/**
 * Page sizes of the lists that can grow, for the weighting: an omitted
 * `first` is the list's default, a variable its largest allowed value (rules
 * run before variables are known, so the worst case is what counts).
 */
const PAGED_FIELDS: Readonly<Record<string, { fallback: number; max: number }>> = {
  sessions: { fallback: 20, max: MAX_PAGE_SIZE },
  people: { fallback: 20, max: MAX_PAGE_SIZE },
  events: { fallback: 100, max: 1000 },
};

/** The page size a field may return: 1 for a field that is not a paged list. */
export function pageSizeOf(selection: FieldNode): number {
  const paged = PAGED_FIELDS[selection.name.value];
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
