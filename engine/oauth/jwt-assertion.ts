import type * as Jose from 'jose';
import { UnimapError } from '../errors';

export interface AssertionClaims {
  issuer: string;
  audience: string;
  scope: string;
  subject?: string;
  keyId?: string;
  lifetimeSeconds: number;
}

/**
 * The RFC 7523 assertion a JWT bearer grant sends: RS256 over iss, aud, scope, iat and exp (and sub for Google's
 * domain-wide delegation), signed with the account's PKCS #8 private key.
 */
export async function signAssertion(integration: string, privateKeyPem: string, claims: AssertionClaims): Promise<string> {
  // jose is loaded by the first jwt_bearer grant: a process that never signs one (most) does not pay for it at start
  const { importPKCS8, SignJWT } = require('jose') as typeof Jose;
  let key: Awaited<ReturnType<typeof importPKCS8>>;
  try {
    // Keys pasted into an environment variable or a form often hold literal \n for their line breaks.
    key = await importPKCS8(privateKeyPem.replace(/\\n/g, '\n'), 'RS256');
  } catch {
    // The key's text is a secret: the message says what is wrong with it, never what it holds.
    throw new UnimapError('UNIMAP_E_AUTH_INVALID_CONTEXT', `${integration}: the private key of the account is not a PEM-encoded PKCS #8 RSA key ("-----BEGIN PRIVATE KEY-----")`, {
      details: { integration, key: 'private_key' },
    });
  }
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({ scope: claims.scope })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', ...(claims.keyId ? { kid: claims.keyId } : {}) })
    .setIssuer(claims.issuer)
    .setAudience(claims.audience)
    .setIssuedAt(now)
    .setExpirationTime(now + claims.lifetimeSeconds);
  if (claims.subject) jwt.setSubject(claims.subject);
  return jwt.sign(key);
}
