import { HTTP_SETTINGS, LIMIT_SETTINGS, METRICS_SETTINGS, SETTINGS, WEBHOOK_SETTINGS } from './config';
import type { Setting } from './config';

/**
 * The README's configuration tables, written from the settings in
 * config.ts so that the two cannot drift: `npm run config:readme` rewrites
 * them between their markers, and a test fails when they differ.
 */
export const TABLES: Readonly<Record<string, Readonly<Record<string, Setting<unknown>>>>> = {
  general: SETTINGS,
  limits: LIMIT_SETTINGS,
  http: HTTP_SETTINGS,
  metrics: METRICS_SETTINGS,
  webhooks: WEBHOOK_SETTINGS,
};

export const marker = (table: string): { start: string; end: string } => ({
  start: `<!-- settings:${table} (written by npm run config:readme from src/config.ts) -->`,
  end: `<!-- /settings:${table} -->`,
});

/** The rows of a table: variable, default, meaning. */
export function rowsOf(settings: Readonly<Record<string, Setting<unknown>>>): string[][] {
  return Object.values(settings).map((setting) => [`\`${setting.variable}\``, setting.shown, setting.meaning]);
}

export function renderTable(rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [line(['Variable', 'Default', 'Meaning']), line(['---', '---', '---']), ...rows.map(line)].join('\n');
}

/** The rows of the table between a table's markers in the README, cells trimmed; null when the markers are missing. */
export function rowsInReadme(readme: string, table: string): string[][] | null {
  const { start, end } = marker(table);
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from < 0 || to < from) return null;
  return readme
    .slice(from + start.length, to)
    .split('\n')
    .filter((row) => row.trim().startsWith('|'))
    .slice(2)
    .map((row) =>
      row
        .trim()
        .replace(/^\||\|$/g, '')
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim()),
    );
}

/** The README with every table rewritten from the settings. */
export function writeTables(readme: string): string {
  let text = readme;
  for (const [table, settings] of Object.entries(TABLES)) {
    const { start, end } = marker(table);
    const from = text.indexOf(start);
    const to = text.indexOf(end);
    if (from < 0 || to < from) throw new Error(`README.md has no markers for the ${table} settings table`);
    text = `${text.slice(0, from + start.length)}\n\n${renderTable(rowsOf(settings))}\n\n${text.slice(to)}`;
  }
  return text;
}
