import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config';

/**
 * The HS256 secret: AUTH_SECRET, or one generated on first use and kept in
 * DATA_DIR/auth-secret, so that `npm start` works with no configuration and
 * tokens minted with `npm run token` keep working across restarts.
 */
export function authSecret(config: Pick<Config, 'authSecret' | 'dataDir'>): Uint8Array {
  if (config.authSecret) return new TextEncoder().encode(config.authSecret);
  const file = path.join(config.dataDir, 'auth-secret');
  let secret: string;
  try {
    secret = readFileSync(file, 'utf8').trim();
  } catch {
    mkdirSync(config.dataDir, { recursive: true });
    secret = randomBytes(48).toString('base64url');
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  }
  return new TextEncoder().encode(secret);
}
