import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import type { Caller } from '../context';
import { UnauthenticatedError } from '../errors';
import { fromGlobalId } from '../schema/global-id';

export type Role = Caller['role'];

/** Token lifetimes like 30m, 8h, 7d. */
export function parseTtl(ttl: string): number {
  const match = /^(\d+)(s|m|h|d)$/.exec(ttl);
  if (!match) throw new Error(`--ttl must look like 30m, 8h or 7d; got "${ttl}"`);
  return Number(match[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[match[2] as 's' | 'm' | 'h' | 'd'];
}

/** A clerk's token lists the (global) ids of the bodies whose sessions it may write. */
export async function signToken(
  secret: Uint8Array,
  claims: { role: Role; subject: string; bodyIds?: readonly string[]; ttlSeconds: number },
): Promise<string> {
  return new SignJWT({ role: claims.role, bodies: claims.role === 'CLERK' ? [...(claims.bodyIds ?? [])] : undefined })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.subject)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + claims.ttlSeconds)
    .sign(secret);
}

/**
 * The caller a bearer token stands for. No header is the public; a header
 * that does not verify is refused, never taken for the public, so a client
 * learns its token is bad instead of silently losing its rights.
 */
export async function callerFromAuthorization(header: string | undefined, secret: Uint8Array): Promise<Caller | null> {
  if (header === undefined || header.trim() === '') return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  if (!match) throw new UnauthenticatedError('The Authorization header must be "Bearer <token>".');
  try {
    const { payload } = await jwtVerify(match[1]!, secret, { algorithms: ['HS256'], requiredClaims: ['exp', 'sub'] });
    const role = payload.role;
    if (role !== 'ADMIN' && role !== 'CLERK')
      throw new UnauthenticatedError('The token has no valid role (ADMIN or CLERK).');
    const bodies = Array.isArray(payload.bodies) ? payload.bodies : [];
    const bodyIds = bodies.flatMap((id) => {
      try {
        const decoded = typeof id === 'string' ? fromGlobalId(id, 'token') : null;
        return decoded?.type === 'Body' ? [decoded.key] : [];
      } catch {
        return [];
      }
    });
    return { role, subject: payload.sub!, bodyIds };
  } catch (error) {
    if (error instanceof UnauthenticatedError) throw error;
    if (error instanceof joseErrors.JWTExpired) {
      throw new UnauthenticatedError('The token has expired; ask for a new one.');
    }
    if (error instanceof joseErrors.JWTClaimValidationFailed) {
      throw new UnauthenticatedError(`The token is missing a required claim (${error.claim}); tokens must expire.`);
    }
    throw new UnauthenticatedError('The token could not be verified.');
  }
}
