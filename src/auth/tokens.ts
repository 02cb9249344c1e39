import type { IncomingMessage } from 'node:http';
import { createRemoteJWKSet, decodeProtectedHeader, errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import type { JWTPayload } from 'jose';
import type { Caller } from './caller';
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

const MALFORMED = 'Authorization must be "Bearer <token>", once; send no Authorization at all to read as the public.';

/**
 * The Authorization header of an HTTP request, for callerOf. Node keeps only
 * the first of repeated Authorization headers; several are refused instead,
 * as over WebSocket, rather than one picked.
 */
export function authorizationHeader(req: IncomingMessage): string | undefined {
  if ((req.headersDistinct.authorization?.length ?? 0) > 1) throw new UnauthenticatedError(MALFORMED);
  return req.headers.authorization;
}

/**
 * The authorization in graphql-ws connectionParams, for callerOf. Its key is
 * read in any case, as an HTTP header name is; a value that is there but not a
 * string, or the key spelled twice, is refused rather than taken for the
 * public (which would silently drop the client's rights).
 */
export function authorizationParam(params: Readonly<Record<string, unknown>> | undefined): string | undefined {
  const keys = Object.keys(params ?? {}).filter((key) => key.toLowerCase() === 'authorization');
  if (keys.length === 0) return undefined;
  const value = params![keys[0]!];
  if (keys.length > 1 || typeof value !== 'string') throw new UnauthenticatedError(MALFORMED);
  return value;
}

export interface IdentityProvider {
  readonly jwksUrl: string;
  readonly issuer: string;
  readonly audience: string;
}

/**
 * Turns an Authorization header into the caller it stands for. Tokens are
 * HS256 with our own secret, or, where an identity provider is configured,
 * RS256/ES256 with its published keys, its issuer and our audience. No header
 * is the public; a header that does not verify is refused, never taken for
 * the public, so a client learns its token is bad instead of silently losing
 * its rights.
 */
export class TokenVerifier {
  private readonly jwks: ReturnType<typeof createRemoteJWKSet> | null;

  constructor(
    private readonly secret: Uint8Array,
    private readonly provider: IdentityProvider | null = null,
  ) {
    this.jwks = provider ? createRemoteJWKSet(new URL(provider.jwksUrl), { cooldownDuration: 30_000 }) : null;
  }

  async callerOf(header: string | undefined): Promise<Caller | null> {
    if (header === undefined) return null;
    // An empty header is a client that meant to send a token and has none: refused, like any malformed one.
    const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
    if (!match) throw new UnauthenticatedError(MALFORMED);
    const token = match[1]!;
    try {
      let alg: string | undefined;
      try {
        alg = decodeProtectedHeader(token).alg;
      } catch {
        throw new UnauthenticatedError('The token could not be verified: it is not a JWT.');
      }
      const requiredClaims = ['exp', 'sub'];
      const { payload } =
        alg === 'HS256'
          ? await jwtVerify(token, this.secret, { algorithms: ['HS256'], requiredClaims })
          : this.jwks && this.provider && (alg === 'RS256' || alg === 'ES256')
            ? await jwtVerify(token, this.jwks, {
                algorithms: ['RS256', 'ES256'],
                issuer: this.provider.issuer,
                audience: this.provider.audience,
                requiredClaims,
              })
            : (() => {
                throw new UnauthenticatedError(`Tokens signed with ${alg ?? 'no algorithm'} are not trusted here.`);
              })();
      return callerFromClaims(payload);
    } catch (error) {
      if (error instanceof UnauthenticatedError) throw error;
      if (error instanceof joseErrors.JWTExpired) {
        throw new UnauthenticatedError('The token has expired; ask for a new one.');
      }
      if (error instanceof joseErrors.JWTClaimValidationFailed) {
        throw new UnauthenticatedError(
          error.claim === 'exp'
            ? 'The token has no expiry (exp); tokens must expire.'
            : `The token's ${error.claim} claim is not accepted here.`,
        );
      }
      if (error instanceof joseErrors.JWKSNoMatchingKey) {
        throw new UnauthenticatedError(
          'The token was signed with a key the identity provider does not publish; ask for a new token.',
        );
      }
      if (error instanceof joseErrors.JWSSignatureVerificationFailed) {
        throw new UnauthenticatedError(
          "The token's signature does not verify: it was altered, or signed by someone not trusted here; ask for a new token.",
        );
      }
      throw new UnauthenticatedError('The token could not be verified.');
    }
  }
}

function callerFromClaims(payload: JWTPayload): Caller {
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
  return { role, subject: payload.sub!, bodyIds, expiresAt: payload.exp! * 1000 };
}
