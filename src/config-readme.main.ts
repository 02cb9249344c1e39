import { readFileSync, writeFileSync } from 'node:fs';
import { writeTables } from './config-readme';

/** npm run config:readme: rewrites the README's settings tables from src/config.ts (then Prettier aligns them). */
const file = 'README.md';
writeFileSync(file, writeTables(readFileSync(file, 'utf8')));
