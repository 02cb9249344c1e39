import fs from 'node:fs/promises';
import path from 'node:path';
import { polishDictionaryFiles } from './polish-dictionary';

/**
 * npm run --silent search:dictionary -- <folder>
 * Writes polish.affix, polish.dict and polish.stop, the files the embedded server gets at every start, into a
 * folder: an external server's tsearch_data (`$(pg_config --sharedir)/tsearch_data`), or one to copy from.
 * See docs/operations.md, "Search in Polish".
 */
async function main(): Promise<void> {
  const folder = process.argv[2];
  if (!folder) throw new Error('name the folder: npm run --silent search:dictionary -- <tsearch_data folder>');
  for (const { name, content } of await polishDictionaryFiles()) {
    await fs.writeFile(path.join(folder, name), content, { mode: 0o644 });
    process.stdout.write(`${path.join(folder, name)} (${content.length} bytes)\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`search:dictionary: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
