import type { AuthenticatedClient } from './client-auth';
import { checkVerifier } from './pkce';
import { missingParameter, OAuthProblem } from './problem';
import { allowedScope, narrowedScope } from './scope';
import type { TokenFamily, TokenStore } from './token-store';

export interface GrantRequest {
  params: Record<string, string>;
  caller: AuthenticatedClient;
}

export interface RefreshPolicy {
  rotate: boolean;
  reuseDetection: boolean;
  graceMs: number;
}

export interface GrantSettings {
  tokens: TokenStore;
  now: () => number;
  refresh: RefreshPolicy;
}

/** What a grant issued; the token endpoint turns it into the answer. */
export interface Issued {
  client_id: string;
  access_token: string;
  expires_in: number;
  refresh_token?: string;
  scope?: string;
}

const INVALID_CODE = 'The authorization code is invalid or has expired.';
const INVALID_REFRESH = 'The refresh token is invalid or expired.';

/** RFC 6749 §4.1.3: a code is redeemed once, by the client it was issued to, with the redirect URI it was issued for. */
export function redeemAuthorizationCode({ params, caller }: GrantRequest, { tokens }: GrantSettings): Issued {
  const value = params['code'];
  if (value === undefined) throw missingParameter('code');
  const code = tokens.findCode(value);
  if (!code || tokens.isExpired(code)) throw new OAuthProblem('invalid_grant', INVALID_CODE);
  if (code.redeemedBy !== undefined) {
    // RFC 6749 §4.1.2: a second use means the code leaked; what the first use obtained is withdrawn.
    tokens.revokeFamily(code.redeemedBy);
    throw new OAuthProblem('invalid_grant', INVALID_CODE);
  }
  if (code.client_id !== caller.client.client_id) throw new OAuthProblem('invalid_grant', 'The authorization code was issued to another client.');
  const expectedRedirect = code.redirect_uri ?? (params['redirect_uri'] === undefined ? undefined : caller.client.redirect_uris?.[0]);
  if (params['redirect_uri'] !== expectedRedirect) {
    throw new OAuthProblem('invalid_grant', "The 'redirect_uri' does not match the redirection URI used in the authorization request.");
  }
  checkVerifier(code.challenge, params['code_verifier']);
  const family = tokens.openFamily(code);
  code.redeemedBy = family.id;
  return { ...accessFor(tokens, family, family.scope), refresh_token: tokens.issueRefreshToken(family) };
}

/**
 * RFC 6749 §6. Without rotation the refresh token stays valid and is not sent again. With rotation every refresh
 * replaces it; the replaced one comes back only within the grace period (and only while its replacement is unused),
 * otherwise it is a replay and, with reuse detection, the whole family is revoked.
 */
export function refreshAccessToken({ params, caller }: GrantRequest, { tokens, now, refresh }: GrantSettings): Issued {
  const value = params['refresh_token'];
  if (value === undefined) throw missingParameter('refresh_token');
  const found = tokens.findRefreshToken(value);
  // Another client's refresh token is answered as if it did not exist.
  if (!found || found.family.client_id !== caller.client.client_id) throw new OAuthProblem('invalid_grant', INVALID_REFRESH);
  const { record, family } = found;
  if (family.revoked || tokens.isExpired(record)) throw new OAuthProblem('invalid_grant', INVALID_REFRESH);
  if (record.rotatedAt !== undefined) {
    const withinGrace = refresh.graceMs > 0 && now() - record.rotatedAt <= refresh.graceMs && tokens.currentSuccessor(record) !== undefined;
    if (!withinGrace) {
      if (refresh.reuseDetection) tokens.revokeFamily(family.id);
      throw new OAuthProblem('invalid_grant', INVALID_REFRESH);
    }
  }
  const issued = accessFor(tokens, family, narrowedScope(family.scope, params['scope']));
  if (!refresh.rotate) return issued;
  const next = tokens.issueRefreshToken(family);
  // A grace-period use leaves the rotation time alone, so replays cannot stretch the grace period.
  if (record.rotatedAt === undefined) tokens.markRotated(record, next);
  else record.successor = next;
  return { ...issued, refresh_token: next };
}

/** RFC 6749 §4.4: confidential clients only, and no refresh token (§4.4.3). */
export function grantClientCredentials({ params, caller }: GrantRequest, { tokens }: GrantSettings): Issued {
  if (caller.client.client_secret === undefined) {
    throw new OAuthProblem('unauthorized_client', 'The client credentials grant is only available to confidential clients.');
  }
  const family = tokens.openFamily({ client_id: caller.client.client_id, scope: allowedScope(caller.client, params['scope']) });
  return accessFor(tokens, family, family.scope);
}

export function accessFor(tokens: TokenStore, family: TokenFamily, scope: string | undefined): Issued {
  const { token, expiresIn } = tokens.issueAccessToken(family, scope);
  return { client_id: family.client_id, access_token: token, expires_in: expiresIn, ...(scope === undefined ? {} : { scope }) };
}
