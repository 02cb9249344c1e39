/** The test kit: one way each to start a server, make tokens, talk HTTP and graphql-ws, run SQL, wait, set up the domain. */
export * from './browser';
export * from './counters';
export * from './database';
export * from './exports';
export * from './fixtures';
export * from './http';
export * from './test-server';
export * from './tokens';
export * from './wait';
export * from './ws';
export * from './spawned-server';
export * from './webhook-receiver';
export * from './browser';
export * from './browser-or-skip';
export * from './tcp-proxy';
