import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config';
import { authSecret } from './secret';
import { parseTtl, signToken } from './tokens';
import type { Role } from './tokens';

/**
 * npm run --silent token -- --role ADMIN
 * npm run --silent token -- --role CLERK --body <Body id> [--body <id> ...] [--ttl 8h] [--subject name]
 * Prints the token and nothing else, so it can be captured: TOKEN=$(npm run --silent token -- ...).
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      role: { type: 'string' },
      body: { type: 'string', multiple: true },
      ttl: { type: 'string', default: '8h' },
      subject: { type: 'string' },
    },
  });
  const role = values.role?.toUpperCase();
  if (role !== 'ADMIN' && role !== 'CLERK') throw new Error('--role must be ADMIN or CLERK');
  const bodies = values.body ?? [];
  if (role === 'CLERK' && bodies.length === 0) throw new Error('a CLERK token needs at least one --body <Body id>');
  const ttlSeconds = parseTtl(values.ttl!);
  const config = loadConfig();
  const token = await signToken(authSecret(config), {
    role: role as Role,
    subject: values.subject ?? (role === 'ADMIN' ? 'admin' : 'clerk'),
    bodyIds: bodies,
    ttlSeconds,
  });
  process.stdout.write(`${token}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `token: ${error instanceof ConfigError || error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(2);
});
