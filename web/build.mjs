/**
 * Bundles what the pages load into dist/web (never committed): the explorer (GraphiQL 5, React, Monaco and its three
 * workers, graphql-ws), and the pages' stylesheet with its self-hosted font. Run by `npm run build`, `npm start` and
 * the tests' global setup; the server serves dist/web and nothing else from disk.
 *
 * Nothing here refers to another host: fonts and images are files under dist/web (or data: URIs inside GraphiQL's
 * stylesheet), and Monaco's workers are entry points of their own instead of esm.sh's or a bundler's `?worker`.
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { readmeExamples } from './readme-examples.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist', 'web');
const examples = readmeExamples(readFileSync(path.join(root, 'README.md'), 'utf8'));

/** Entry files keep their names (the pages name them); chunks and fonts get a content hash (cached for good). */
const common = {
  bundle: true,
  minify: true,
  legalComments: 'linked',
  target: ['chrome115', 'firefox115', 'safari16'],
  logLevel: 'warning',
  // Text as it is (the README's Polish examples among it), not \u escapes; the files are served as UTF-8.
  charset: 'utf8',
  assetNames: '[name]-[hash]',
  loader: { '.woff': 'file', '.woff2': 'file', '.ttf': 'file' },
  define: { 'process.env.NODE_ENV': '"production"' },
};

rmSync(out, { recursive: true, force: true });
await Promise.all([
  esbuild.build({
    ...common,
    entryPoints: { explorer: path.join(root, 'web/explorer/explorer.ts') },
    outdir: path.join(out, 'explorer'),
    format: 'iife',
    define: { ...common.define, OBRADY_EXAMPLES: JSON.stringify(examples) },
  }),
  esbuild.build({
    ...common,
    // Monaco's workers, as classic scripts: the editor's own, JSON's (the variables and headers) and GraphQL's.
    entryPoints: {
      'editor.worker': 'monaco-editor/esm/vs/editor/editor.worker.js',
      'json.worker': 'monaco-editor/esm/vs/language/json/json.worker.js',
      'graphql.worker': 'monaco-graphql/esm/graphql.worker.js',
    },
    nodePaths: [path.join(root, 'node_modules')],
    outdir: path.join(out, 'explorer'),
    format: 'iife',
  }),
  esbuild.build({
    ...common,
    entryPoints: { pages: path.join(root, 'web/pages/pages.css') },
    outdir: path.join(out, 'pages'),
  }),
]);
