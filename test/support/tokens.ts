import { signToken } from '../../src/auth/tokens';
import type { Role } from '../../src/auth/tokens';

/** The HS256 secret every test server is started with (AUTH_SECRET), unless a test names another. */
export const SECRET = 'obrady-test-kit-secret-'.padEnd(48, 'x');
/** Another secret, for forged tokens. */
export const OTHER_SECRET = 'somebody-elses-secret-'.padEnd(48, 'y');

export const encode = (secret: string): Uint8Array => new TextEncoder().encode(secret);

/** A token of `role`, signed with SECRET unless `secret` is given; valid for ten minutes unless `ttlSeconds` says otherwise. */
export function token(
  role: Role,
  options: { bodyIds?: readonly string[]; ttlSeconds?: number; subject?: string; secret?: string } = {},
): Promise<string> {
  return signToken(encode(options.secret ?? SECRET), {
    role,
    subject: options.subject ?? (role === 'ADMIN' ? 'admin-of-the-suite' : 'clerk-of-the-suite'),
    bodyIds: options.bodyIds,
    ttlSeconds: options.ttlSeconds ?? 600,
  });
}

/** The Authorization header carrying a token. */
export const bearer = (value: string): Record<string, string> => ({ authorization: `Bearer ${value}` });
