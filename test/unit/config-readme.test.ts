import { readFileSync } from 'node:fs';
import path from 'node:path';
import { rowsInReadme, rowsOf, TABLES } from '../../src/config-readme';

/** Every setting is declared once, in src/config.ts; the README's tables are written from it. */
describe("the README's configuration tables", () => {
  const readme = readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');

  it.each(Object.keys(TABLES))('list the %s settings exactly as src/config.ts declares them', (table) => {
    const inReadme = rowsInReadme(readme, table);
    expect(inReadme).not.toBeNull();
    // On a difference: npm run config:readme.
    expect(inReadme).toEqual(rowsOf(TABLES[table]!));
  });

  it('name every variable once', () => {
    const variables = Object.values(TABLES).flatMap((settings) => Object.values(settings).map((s) => s.variable));
    expect(new Set(variables).size).toBe(variables.length);
  });
});
