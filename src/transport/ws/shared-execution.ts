import { createSourceEventStream, execute, print } from 'graphql';
import type { DocumentNode, ExecutionArgs, ExecutionResult } from 'graphql';
import type { Caller } from '../../auth/caller';
import type { Context } from '../../context';
import { EventScope } from '../../events/event-scope';
import { filterMap } from '../../events/streams';

/**
 * graphql-js's subscribe, with one change: an event delivered to many
 * subscribers (the feed hands them all the same object) is executed once per
 * distinct operation, variables and visibility, and every subscriber that
 * asked for the same thing gets the same result. Each subscriber keeps its own
 * source stream, so what it receives, and in what order, is unchanged; only
 * the work of building the payload is shared.
 */
export function subscribeSharingResults(
  executed: () => void = () => {},
): (args: ExecutionArgs) => Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  return (args) => subscribe(args, executed);
}

async function subscribe(
  args: ExecutionArgs,
  executed: () => void,
): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  const source = await createSourceEventStream(args);
  if (!isAsyncIterator(source)) return source as ExecutionResult;
  // Subscribers asking the same share one key string, hashed once rather than at every event.
  const memo = intern(
    `result:${printed(args.document)}\n${args.operationName ?? ''}\n${JSON.stringify(args.variableValues ?? {})}\n${visibility((args.contextValue as Context).caller)}`,
  );
  const run = (payload: unknown): Promise<ExecutionResult> => {
    const executeOnce = (): Promise<ExecutionResult> => {
      executed();
      return Promise.resolve(execute({ ...args, rootValue: payload }));
    };
    const scope = (payload as { scope?: unknown } | null)?.scope;
    return scope instanceof EventScope ? scope.result(memo, executeOnce) : executeOnce();
  };
  return filterMap(source, run);
}

const keys = new Map<string, string>();

function intern(key: string): string {
  const known = keys.get(key);
  if (known !== undefined) return known;
  if (keys.size >= 10_000) keys.clear();
  keys.set(key, key);
  return key;
}

const texts = new WeakMap<DocumentNode, string>();

/** Subscribers of the same query share one parsed document (see websocket.ts), so its text is printed once. */
function printed(document: DocumentNode): string {
  let text = texts.get(document);
  if (text === undefined) texts.set(document, (text = print(document)));
  return text;
}

/** What a caller may see decides the result: the public, an admin, or a clerk of these bodies. */
function visibility(caller: Caller | null): string {
  if (!caller) return 'public';
  return caller.role === 'ADMIN' ? 'admin' : `clerk:${[...caller.bodyIds].sort((a, b) => a - b).join(',')}`;
}

function isAsyncIterator(value: unknown): value is AsyncGenerator<unknown> {
  return typeof (value as AsyncIterable<unknown> | null)?.[Symbol.asyncIterator] === 'function';
}
