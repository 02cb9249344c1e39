import { GraphQLError, Kind } from 'graphql';
import type { FragmentDefinitionNode, SelectionSetNode, ValidationRule } from 'graphql';
import { selectsPayload } from '../schema/session-event.type';
import { pageSizeOf } from './max-rows.rule';

/** What one event costs when only its own columns (sequence, kind, status, ...) are selected. */
export const EVENT_HEADER_BYTES = 256;

/**
 * The bytes an operation may pull from the event log, counted before it
 * runs: every `events(first:)` on any path, times the page sizes above it,
 * each event at EVENT_MAX_BYTES if a payload field (agendaItem, attendance,
 * quorum) is selected and at EVENT_HEADER_BYTES if not. Summed over the
 * operation (aliases count each time), so five `events(first: 1000) { agendaItem }` under aliases
 * cost what they would read. A replay (sessionEvents with after) is measured
 * when it starts (session-feed.ts): the log's size is not known here.
 */
export function maxLogBytesRule(maxLogBytes: number, eventMaxBytes: number): ValidationRule {
  return (context) => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of context.getDocument().definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    }
    const fragment = (name: string): FragmentDefinitionNode | undefined => fragments.get(name);
    const bytes = (selectionSet: SelectionSetNode, rows: number, seen: ReadonlySet<string>): number => {
      let total = 0;
      for (const selection of selectionSet.selections) {
        if (selection.kind === Kind.FIELD) {
          const size = rows * pageSizeOf(selection);
          if (selection.name.value === 'events') {
            total += size * (selectsPayload(selection.selectionSet, fragment) ? eventMaxBytes : EVENT_HEADER_BYTES);
          } else if (selection.selectionSet) {
            total += bytes(selection.selectionSet, size, seen);
          }
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          total += bytes(selection.selectionSet, rows, seen);
        } else {
          const name = selection.name.value;
          const definition = fragments.get(name);
          // A fragment spread twice on one path is a cycle: the validation's own rule reports it.
          if (definition && !seen.has(name)) total += bytes(definition.selectionSet, rows, new Set([...seen, name]));
        }
      }
      return total;
    };
    return {
      OperationDefinition(operation) {
        const asked = bytes(operation.selectionSet, 1, new Set());
        if (asked > maxLogBytes) {
          context.reportError(
            new GraphQLError(
              `This operation may read up to ${asked} bytes from the event log (events' page sizes × ${eventMaxBytes} bytes per event with a payload field, ${EVENT_HEADER_BYTES} without); the limit is ${maxLogBytes} (MAX_LOG_BYTES). Ask for smaller pages of events, or only sequence, kind and status.`,
              { nodes: operation },
            ),
          );
        }
      },
    };
  };
}
