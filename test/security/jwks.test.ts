import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT } from 'jose';
import type { JWK, KeyLike } from 'jose';
import { UpdateSessionDocument } from '../generated/graphql';
import { bearer, councilOf, encode, fingerprint, post, scheduleSession, startTestServer, token } from '../support';
import type { TestServer } from '../support';

/**
 * Tokens of an identity provider: the server trusts RS256 and ES256 tokens
 * signed with the keys published at AUTH_JWKS_URL (here a JWKS served by the
 * test on loopback), with AUTH_ISSUER and AUTH_AUDIENCE; its own HS256
 * tokens keep working beside them.
 */

const ISSUER = 'https://login.example.krakow.pl/realms/obrady';
const AUDIENCE = 'obrady-api';

let jwks: http.Server;
let jwksUrl: string;
let server: TestServer;
let sessionId: string;
const keys: Record<'RS256' | 'ES256', { privateKey: KeyLike; publicKey: KeyLike; kid: string }> = {} as never;
const published: JWK[] = [];

beforeAll(async () => {
  for (const alg of ['RS256', 'ES256'] as const) {
    const pair = await generateKeyPair(alg);
    keys[alg] = { ...pair, kid: `${alg.toLowerCase()}-2031` };
    published.push({ ...(await exportJWK(pair.publicKey)), kid: keys[alg].kid, alg, use: 'sig' });
  }
  jwks = http.createServer((req, res) => {
    if (req.url === '/.well-known/jwks.json') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: published }));
      return;
    }
    res.writeHead(404);
    res.end();
  });
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/.well-known/jwks.json`;
  server = await startTestServer({
    env: { AUTH_JWKS_URL: jwksUrl, AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: AUDIENCE },
  });
  sessionId = await scheduleSession(server, await token('ADMIN'), (await councilOf(server, 11)).bodyGid);
});
afterAll(async () => {
  await server?.stop();
  await new Promise((resolve) => jwks?.close(resolve));
});

interface Claims {
  iss?: string;
  aud?: string;
  exp?: number | null;
  sub?: string;
  role?: string;
}

/** A token as the identity provider would issue it, with `changes` to what it claims. */
async function providerToken(
  alg: 'RS256' | 'ES256',
  changes: Claims = {},
  signWith: { privateKey: KeyLike; kid: string } = keys[alg],
): Promise<string> {
  const claims = { iss: ISSUER, aud: AUDIENCE, sub: 'jan.kowalski@idp', role: 'ADMIN', ...changes };
  const jwt = new SignJWT({ role: claims.role })
    .setProtectedHeader({ alg, kid: signWith.kid, typ: 'JWT' })
    .setIssuedAt()
    .setSubject(claims.sub);
  if (claims.iss) jwt.setIssuer(claims.iss);
  if (claims.aud) jwt.setAudience(claims.aud);
  if (claims.exp !== null) jwt.setExpirationTime(claims.exp ?? Math.floor(Date.now() / 1000) + 600);
  return jwt.sign(signWith.privateKey);
}

async function write(tokenValue: string) {
  return post(
    server.url,
    UpdateSessionDocument,
    { input: { id: sessionId, description: `changed at ${Date.now()}` } },
    bearer(tokenValue),
  );
}

describe('tokens of the identity provider', () => {
  it.each(['RS256', 'ES256'] as const)('lets an ADMIN with an %s token write', async (alg) => {
    const result = await write(await providerToken(alg));
    expect(result.errors).toBeUndefined();
    expect(result.data?.updateSession.id).toBe(sessionId);
  });

  const refusals: [string, () => Promise<string>, RegExp][] = [
    [
      'a wrong issuer',
      () => providerToken('RS256', { iss: 'https://evil.example.com/' }),
      /^The token's iss claim is not accepted here\.$/,
    ],
    [
      'a wrong audience',
      () => providerToken('ES256', { aud: 'some-other-api' }),
      /^The token's aud claim is not accepted here\.$/,
    ],
    [
      'no expiry',
      () => providerToken('RS256', { exp: null }),
      /^The token has no expiry \(exp\); tokens must expire\.$/,
    ],
    [
      'an expiry in the past',
      () => providerToken('ES256', { exp: Math.floor(Date.now() / 1000) - 3600 }),
      /^The token has expired; ask for a new one\.$/,
    ],
    [
      'a key the provider does not publish',
      async () => providerToken('RS256', {}, { ...(await generateKeyPair('RS256')), kid: 'rs256-stolen' }),
      /key the identity provider does not publish/,
    ],
    [
      'a published key id but another key',
      async () => providerToken('ES256', {}, { ...(await generateKeyPair('ES256')), kid: keys.ES256.kid }),
      /signature does not verify/,
    ],
    [
      'a role other than ADMIN or CLERK',
      () => providerToken('RS256', { role: 'VIEWER' }),
      /^The token has no valid role \(ADMIN or CLERK\)\.$/,
    ],
    [
      'HS256 signed with the provider’s public key (algorithm confusion)',
      async () =>
        new SignJWT({ role: 'ADMIN' })
          .setProtectedHeader({ alg: 'HS256', kid: keys.RS256.kid })
          .setIssuer(ISSUER)
          .setAudience(AUDIENCE)
          .setSubject('attacker')
          .setExpirationTime('10m')
          .sign(encode(await exportSPKI(keys.RS256.publicKey))),
      /signature does not verify/,
    ],
  ];

  it.each(refusals)('refuses a token with %s: 401 UNAUTHENTICATED, saying why', async (_case, make, message) => {
    const before = await fingerprint(server);
    const result = await write(await make());
    expect(result.status).toBe(401);
    expect(result.data ?? null).toBeNull();
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]!.extensions?.code).toBe('UNAUTHENTICATED');
    expect(result.errors![0]!.message).toMatch(message);
    expect(await fingerprint(server)).toEqual(before);
  });
});

describe('a server with no identity provider configured', () => {
  it('refuses RS256 and ES256 tokens, saying they are not trusted here', async () => {
    const plain = await startTestServer();
    try {
      for (const alg of ['RS256', 'ES256'] as const) {
        const result = await post(
          plain.url,
          UpdateSessionDocument,
          { input: { id: sessionId, description: 'x' } },
          bearer(await providerToken(alg)),
        );
        expect(result.status).toBe(401);
        expect(result.errors?.[0]).toMatchObject({
          message: `Tokens signed with ${alg} are not trusted here.`,
          extensions: { code: 'UNAUTHENTICATED' },
        });
      }
    } finally {
      await plain.stop();
    }
  });
});

describe('tokens of our own', () => {
  it('still accepts HS256 tokens signed with AUTH_SECRET beside the provider’s', async () => {
    const result = await write(await token('ADMIN'));
    expect(result.errors).toBeUndefined();
  });

  it('lets a clerk with an HS256 token write only the sessions of the clerk’s bodies', async () => {
    const own = await write(await token('CLERK', { bodyIds: [(await councilOf(server, 11)).bodyGid] }));
    expect(own.errors).toBeUndefined();
    const other = await write(await token('CLERK', { bodyIds: [(await councilOf(server, 12)).bodyGid] }));
    expect(other.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
