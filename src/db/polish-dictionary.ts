import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Logger } from '../logger';

const require_ = createRequire(__filename);

/**
 * The files PostgreSQL's ispell template reads for the dictionary `obrady_polish` (DictFile = polish,
 * AffFile = polish, StopWords = polish), by name in `share/tsearch_data`, with where each comes from:
 * - polish.affix, polish.dict: the npm package dictionary-pl (hunspell, UTF-8, which PostgreSQL reads as is;
 *   the files of LibreOffice's Polish dictionary, sjp.pl), used under its MPL-2.0 option;
 * - polish.stop: the Polish list of the npm package stopwords-iso (MIT), one word a line.
 */
export async function polishDictionaryFiles(): Promise<{ name: string; content: Buffer }[]> {
  const dictionaryDir = path.dirname(require_.resolve('dictionary-pl'));
  const stopWords = (require_('stopwords-iso') as Record<string, string[]>).pl ?? [];
  return [
    { name: 'polish.affix', content: await fs.readFile(path.join(dictionaryDir, 'index.aff')) },
    { name: 'polish.dict', content: await fs.readFile(path.join(dictionaryDir, 'index.dic')) },
    { name: 'polish.stop', content: Buffer.from(`${stopWords.join('\n')}\n`, 'utf8') },
  ];
}

/**
 * Puts the Polish dictionary's files into the embedded server's tsearch_data. That folder lies inside
 * node_modules, which `npm ci` lays anew, so this runs at every start, before the server opens; a file already
 * there with the same bytes is left alone. Without them search still works, without stemming (see the migration
 * PolishSearch): a failure is logged, not fatal.
 */
export async function installPolishDictionary(tsearchDataDir: string, log: Logger): Promise<boolean> {
  try {
    for (const { name, content } of await polishDictionaryFiles()) {
      const target = path.join(tsearchDataDir, name);
      const existing = existsSync(target) ? await fs.readFile(target) : null;
      if (existing && existing.equals(content)) continue;
      const temporary = `${target}.${process.pid}.tmp`;
      await fs.writeFile(temporary, content, { mode: 0o644 });
      await fs.rename(temporary, target);
    }
    return true;
  } catch (error) {
    log.warn(
      { dir: tsearchDataDir, error: String(error) },
      'could not install the Polish dictionary for the embedded PostgreSQL: search will not stem words',
    );
    return false;
  }
}
