/**
 * The layers, enforced by `npm run check` (depcruise). Data flows one way:
 * transport -> resolvers -> services/loaders -> entities/db; events flow back
 * out through the event bus. See docs/architecture.md.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment:
        'No import cycle, type-only imports included: each layer must be understandable without the ones above it.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'resolvers-not-to-the-database',
      severity: 'error',
      comment: 'Resolvers are thin: they read through loaders and write through services, never TypeORM or src/db.',
      from: { path: '^src/resolvers/' },
      to: { path: ['^src/db/', '^node_modules/typeorm/'] },
    },
    {
      name: 'inner-layers-not-to-resolvers-or-transport',
      severity: 'error',
      comment:
        'Entities, services, loaders, the database, events, auth and validation know nothing of GraphQL resolvers, of HTTP/WebSocket or of the composition root.',
      from: {
        path: ['^src/(entities|services|loaders|plans|db|events|auth|validation|cache)/'],
      },
      to: { path: ['^src/resolvers/', '^src/transport/', '^src/(server|app)[.]ts$'] },
    },
    {
      name: 'resolvers-not-to-transport',
      severity: 'error',
      comment: 'Resolvers serve both transports alike: they never import one.',
      from: { path: '^src/resolvers/' },
      to: { path: ['^src/transport/', '^src/(server|app)[.]ts$'] },
    },
    {
      name: 'entities-are-the-bottom',
      severity: 'error',
      comment: 'Entities depend on nothing of ours but the schema helpers their decorators use.',
      from: { path: '^src/entities/' },
      to: { path: '^src/(?!entities/|schema/)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    includeOnly: ['^src/', '^node_modules/typeorm'],
  },
};
