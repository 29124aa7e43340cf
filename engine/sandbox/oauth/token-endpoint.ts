import { authenticateClient, type ClientAuthMode } from './client-auth';
import { grantClientCredentials, redeemAuthorizationCode, refreshAccessToken, type GrantSettings, type Issued } from './grants';
import { exchangeJwtAssertion, JWT_BEARER, type JwtKeys } from './jwt-bearer';
import { missingParameter, OAuthProblem } from './problem';
import { readTokenParams, type BodyFormat } from './token-params';
import type { OAuthClient, OAuthProviderOptions } from './types';

export interface TokenEndpointSettings {
  clients: Map<string, OAuthClient>;
  clientAuth: ClientAuthMode;
  bodyFormats: readonly BodyFormat[];
  grantAliases: Record<string, 'client_credentials'>;
  requiredParams: Record<string, string[]>;
  jwtAudience: string | undefined;
  omitExpiresIn: boolean;
  extraTokenFields: OAuthProviderOptions['extraTokenFields'];
  grants: GrantSettings;
  jwtKeys: JwtKeys;
}

export interface TokenHttpRequest {
  contentType: string | undefined;
  authorization: string | undefined;
  rawBody: string;
  /** The token URL this request was sent to (the default audience of JWT assertions). */
  tokenUrl: string;
}

export interface TokenAnswer {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
  /** For the request log: the grant type as sent ('' when missing), the client as known, the error code. */
  grant_type: string;
  client_id?: string;
  error?: string;
}

/** RFC 6749 §5.1: token answers, errors included, must not be cached. */
const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

/** The token endpoint (RFC 6749 §3.2, §4.1.3, §4.4, §5, §6; RFC 7523): one request in, one answer out. */
export async function answerTokenRequest(request: TokenHttpRequest, settings: TokenEndpointSettings): Promise<TokenAnswer> {
  let grantType = '';
  /** The client as far as known: the one named in the body, then the one authenticated. */
  const known: { client_id?: string } = {};
  try {
    const params = readTokenParams(request.contentType, request.rawBody, settings.bodyFormats);
    grantType = params['grant_type'] ?? '';
    if (params['client_id'] !== undefined) known.client_id = params['client_id'];
    const issued = await runGrant(params, request, settings, known);
    return { status: 200, headers: NO_STORE, body: tokenBody(issued, grantType, params, settings), grant_type: grantType, client_id: issued.client_id };
  } catch (problem) {
    if (!(problem instanceof OAuthProblem)) throw problem;
    return { status: problem.status, headers: { ...NO_STORE, ...problem.headers }, body: problem.body, grant_type: grantType, error: problem.error, ...known };
  }
}

const STANDARD_GRANTS = ['authorization_code', 'refresh_token', 'client_credentials', JWT_BEARER];

async function runGrant(params: Record<string, string>, request: TokenHttpRequest, settings: TokenEndpointSettings, known: { client_id?: string }): Promise<Issued> {
  const sent = params['grant_type'];
  if (sent === undefined) throw missingParameter('grant_type');
  const grant = Object.hasOwn(settings.grantAliases, sent) ? settings.grantAliases[sent]! : sent;
  if (!STANDARD_GRANTS.includes(grant)) throw new OAuthProblem('unsupported_grant_type', 'The authorization grant type is not supported by the authorization server.');
  const caller = authenticateClient(request.authorization, params, settings.clients, settings.clientAuth);
  if (caller) known.client_id = caller.client.client_id;
  for (const name of settings.requiredParams[sent] ?? []) if (params[name] === undefined) throw missingParameter(name);
  if (grant === JWT_BEARER) {
    const audience = settings.jwtAudience ?? request.tokenUrl;
    return exchangeJwtAssertion({ params, caller, audience }, { ...settings.grants, clients: settings.clients, keys: settings.jwtKeys });
  }
  if (!caller) {
    const challenge = settings.clientAuth === 'body' ? {} : { 'www-authenticate': 'Basic realm="oauth2"' };
    throw new OAuthProblem('invalid_client', 'Client authentication failed: no client credentials were sent.', challenge);
  }
  if (grant === 'authorization_code') return redeemAuthorizationCode({ params, caller }, settings.grants);
  if (grant === 'refresh_token') return refreshAccessToken({ params, caller }, settings.grants);
  return grantClientCredentials({ params, caller }, settings.grants);
}

/** RFC 6749 §5.1 plus the provider's extra fields, which come last so a provider can restyle a standard one. */
function tokenBody(issued: Issued, grantType: string, params: Record<string, string>, settings: TokenEndpointSettings): Record<string, unknown> {
  const extra = typeof settings.extraTokenFields === 'function'
    ? settings.extraTokenFields(grantType, { client_id: issued.client_id, params })
    : settings.extraTokenFields ?? {};
  return {
    access_token: issued.access_token,
    token_type: 'Bearer',
    ...(settings.omitExpiresIn ? {} : { expires_in: issued.expires_in }),
    ...(issued.refresh_token === undefined ? {} : { refresh_token: issued.refresh_token }),
    ...(issued.scope === undefined ? {} : { scope: issued.scope }),
    ...extra,
  };
}
