import { decodeJwt, importJWK, importSPKI, jwtVerify, type JWK, type JWTPayload, type KeyLike } from 'jose';
import type { AuthenticatedClient } from './client-auth';
import { accessFor, type GrantSettings, type Issued } from './grants';
import { missingParameter, OAuthProblem } from './problem';
import type { OAuthClient } from './types';

/** The JWT bearer grant as Google's token endpoint runs it for service accounts (RFC 7523 §2.1, §3). */
export const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** Google: an assertion may live at most one hour. */
const MAX_LIFETIME_SECONDS = 3600;
/** Tolerated difference between the client's clock and ours. */
const CLOCK_SKEW_SECONDS = 60;

const NOT_A_JWT = 'Invalid JWT: the assertion is not a JWT.';
// Google's own descriptions for these failures.
const BAD_SIGNATURE = 'Invalid JWT Signature.';
const BAD_AUDIENCE = 'Invalid JWT: Failed audience check.';
const BAD_TIMEFRAME = 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.';

export type JwtKeys = Map<string, KeyLike>;

/** Each client's public key, imported once at start, so a malformed key fails the start rather than a request. */
export async function importJwtKeys(clients: readonly OAuthClient[]): Promise<JwtKeys> {
  const keys: JwtKeys = new Map();
  for (const client of clients) {
    const key = client.jwt_public_key;
    if (key === undefined) continue;
    if (typeof key === 'string') keys.set(client.client_id, await importSPKI(key, 'RS256'));
    else if ('kty' in key) keys.set(client.client_id, (await importJWK(key as JWK, 'RS256')) as KeyLike);
    else keys.set(client.client_id, key as KeyLike);
  }
  return keys;
}

export interface JwtBearerRequest {
  params: Record<string, string>;
  /** Google's endpoint needs no client authentication; a client that does authenticate must be the assertion's issuer. */
  caller: AuthenticatedClient | undefined;
  /** The audience the assertion must name. */
  audience: string;
}

export async function exchangeJwtAssertion(request: JwtBearerRequest, settings: GrantSettings & { clients: Map<string, OAuthClient>; keys: JwtKeys }): Promise<Issued> {
  const assertion = request.params['assertion'];
  if (assertion === undefined) throw missingParameter('assertion');
  let unverified: JWTPayload;
  try {
    unverified = decodeJwt(assertion);
  } catch {
    throw new OAuthProblem('invalid_grant', NOT_A_JWT);
  }
  const issuer = typeof unverified.iss === 'string' ? unverified.iss : undefined;
  const key = issuer === undefined ? undefined : settings.keys.get(issuer);
  const client = issuer === undefined ? undefined : settings.clients.get(issuer);
  if (!key || !client) throw new OAuthProblem('invalid_grant', 'Invalid grant: account not found');
  if (request.caller && request.caller.client.client_id !== client.client_id) {
    throw new OAuthProblem('invalid_grant', 'The assertion was issued by another client than the one authenticated.');
  }
  const nowSeconds = Math.floor(settings.now() / 1000);
  let claims: JWTPayload;
  try {
    ({ payload: claims } = await jwtVerify(assertion, key, {
      algorithms: ['RS256'],
      audience: request.audience,
      currentDate: new Date(settings.now()),
      clockTolerance: CLOCK_SKEW_SECONDS,
      requiredClaims: ['iat', 'exp'],
    }));
  } catch (error) {
    throw explainRejection(error);
  }
  const { iat, exp } = claims as { iat: number; exp: number };
  if (exp - iat > MAX_LIFETIME_SECONDS || iat > nowSeconds + CLOCK_SKEW_SECONDS) throw new OAuthProblem('invalid_grant', BAD_TIMEFRAME);
  const scope = typeof claims['scope'] === 'string' ? claims['scope'].split(' ').filter(Boolean) : [];
  if (scope.length === 0) throw new OAuthProblem('invalid_scope', 'Empty or missing scope not allowed.');
  if (client.scopes && scope.some((value) => !client.scopes!.includes(value))) {
    throw new OAuthProblem('invalid_scope', 'Invalid OAuth scope or ID token audience provided.');
  }
  // sub names the user a domain-wide delegated service account acts as.
  const family = settings.tokens.openFamily({ client_id: client.client_id, subject: typeof claims.sub === 'string' ? claims.sub : undefined, scope: scope.join(' ') });
  return accessFor(settings.tokens, family, family.scope);
}

/** jose's failure, told the way Google tells it; anything else (a fault of the simulator) is passed on. */
function explainRejection(error: unknown): unknown {
  const { code, claim } = (error ?? {}) as { code?: string; claim?: string };
  switch (code) {
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return new OAuthProblem('invalid_grant', BAD_SIGNATURE);
    case 'ERR_JWT_EXPIRED':
      return new OAuthProblem('invalid_grant', BAD_TIMEFRAME);
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      return new OAuthProblem('invalid_grant', claim === 'aud' ? BAD_AUDIENCE : BAD_TIMEFRAME);
    case 'ERR_JWS_INVALID':
    case 'ERR_JWT_INVALID':
      return new OAuthProblem('invalid_grant', NOT_A_JWT);
    default:
      return error;
  }
}
