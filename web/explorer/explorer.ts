/**
 * The explorer's page script: GraphiQL 5 over this server's /graphql, queries and mutations over HTTP, subscriptions
 * over graphql-ws on the same path. Everything it loads comes from Obrady (web/build.mjs bundles it), so it works
 * in a meeting room or a city network without internet.
 */
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import type { Fetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import 'graphiql/style.css';
import './explorer-page.css';
import { Kind, parse } from 'graphql';
import type { OperationDefinitionNode } from 'graphql';
import { createClient } from 'graphql-ws';
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';

/** The README's example operations, put here by web/build.mjs. */
declare const OBRADY_EXAMPLES: string[];

/**
 * Monaco runs its language services in workers. GraphiQL's own setups load them from esm.sh or through a
 * bundler's `new URL(..., import.meta.url)`; ours are separate bundles served beside this one (same origin, so the
 * CSP's `worker-src 'self'` allows them).
 */
const workers: Record<string, string> = { json: 'json.worker.js', graphql: 'graphql.worker.js' };
(globalThis as { MonacoEnvironment?: unknown }).MonacoEnvironment = {
  getWorker: (_id: string, label: string) =>
    new Worker(new URL(`/assets/explorer/${workers[label] ?? 'editor.worker.js'}`, location.href)),
};

const url = new URL('/graphql', location.href);
const socketUrl = new URL(url);
socketUrl.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';

const http = createGraphiQLFetcher({ url: url.href });
// A socket per page, opened at the first subscription; graphql-ws retries a dropped one itself.
const socket = createClient({ url: socketUrl.href, lazy: true });

/**
 * The operation GraphiQL will run. GraphiQL can pass the name of an operation the editor held before (the toolkit's
 * own fetcher then takes a subscription for a query and sends it over HTTP, where no subscription can run); a
 * document of one operation runs that operation, whatever the name.
 */
function operationOf(query: string, name: string | null | undefined): OperationDefinitionNode | undefined {
  let operations: OperationDefinitionNode[];
  try {
    operations = parse(query).definitions.filter(
      (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
    );
  } catch {
    return undefined; // The server says what is wrong with it.
  }
  return operations.length === 1 ? operations[0] : operations.find((operation) => operation.name?.value === name);
}

/** Queries and mutations over HTTP; subscriptions over graphql-ws on the same path. */
const fetcher: Fetcher = (params, options) => {
  const operation = operationOf(params.query, params.operationName);
  if (operation?.operation !== 'subscription') return http(params, options);
  const results = socket.iterate({
    query: params.query,
    variables: params.variables ?? undefined,
    operationName: operation.name?.value,
  });
  // The results as the server wrote them (JSON): what GraphiQL shows; its type names graphql-js's own objects.
  return results as unknown as ReturnType<Fetcher>;
};

/**
 * GraphiQL's tabs are `li role="tab"` elements holding two buttons (select, close): an interactive control inside
 * another, which screen readers cannot announce (axe-core's nested-interactive, serious). Until GraphiQL changes
 * its markup, the tab bar is kept a plain list of buttons, the open tab's marked `aria-current`.
 */
function plainTabs(root: HTMLElement): void {
  const fix = () => {
    for (const list of root.querySelectorAll('ul[role="tablist"]')) list.removeAttribute('role');
    for (const tab of root.querySelectorAll<HTMLElement>('li.graphiql-tab')) {
      if (tab.hasAttribute('role')) tab.removeAttribute('role');
      const selected = tab.getAttribute('aria-selected');
      if (selected !== null) {
        tab.removeAttribute('aria-selected');
        const button = tab.querySelector('.graphiql-tab-button');
        if (selected === 'true') button?.setAttribute('aria-current', 'true');
        else button?.removeAttribute('aria-current');
      }
    }
  };
  new MutationObserver(fix).observe(root, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ['role', 'aria-selected'],
  });
}

const root = document.getElementById('graphiql')!;
plainTabs(root);
createRoot(root).render(
  createElement(
    GraphiQL,
    { fetcher, defaultTabs: OBRADY_EXAMPLES.map((query) => ({ query })), defaultEditorToolsVisibility: true },
    // In place of GraphiQL's logo, a link to the front page (and not to another site).
    createElement(GraphiQL.Logo, null, createElement('a', { href: '/', className: 'obrady-home' }, 'Obrady')),
  ),
);
