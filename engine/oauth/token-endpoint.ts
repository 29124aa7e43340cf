import type { CompiledOAuth2 } from '../compile/compile-oauth';
import { UnimapError, isUnimapError } from '../errors';
import { redactRemoteBody, redactText } from '../secrets/redact';
import type { SecretSet } from '../secrets/secret-set';
import type { Transport } from '../transport/transport';

/** A token endpoint's successful answer (RFC 6749 §5.1), plus the whole answer for context_from_token. */
export interface TokenAnswer {
  access_token?: string;
  refresh_token?: string;
  /** Seconds, when the provider says. */
  expires_in?: number;
  scope?: string;
  raw: Record<string, unknown>;
}

/** The client a token request authenticates as: the account's own app, or the deployment's registered one. */
export interface OAuthClientCredentials {
  client_id: string;
  client_secret?: string;
}

export interface TokenRequestInput {
  oauth: CompiledOAuth2;
  integration: string;
  url: string;
  /** grant_type and the grant's own parameters (code, refresh_token, assertion, …). */
  params: Record<string, string>;
  client: OAuthClientCredentials | undefined;
  /** How the client authenticates: HTTP Basic (`header`) or parameters (`body`). */
  clientAuth: 'body' | 'header';
  /** Whether the client credentials are the account's (a refused client then means the account must be fixed). */
  clientFromAccount: boolean;
  transport: Transport;
  timeoutMs: number;
  /** The host came from account context (SSRF rules apply), not from the definition or an operator. */
  hostFromContext: boolean;
  /** Every credential of the exchange, to scrub from errors: secrets of the account, the client and the grant. */
  secrets: SecretSet;
}

/**
 * Grant errors meaning the grant itself is gone (revoked, expired, reused): only a person reconnecting helps.
 * Slack says invalid_refresh_token where RFC 6749 says invalid_grant.
 */
const REVOKED_GRANT = new Set(['invalid_grant', 'invalid_refresh_token', 'token_revoked']);
/** The client was refused: the credentials are wrong or revoked. */
const REFUSED_CLIENT = new Set(['invalid_client', 'unauthorized_client']);

/** One request to a token endpoint; typed failures that never carry a credential. */
export async function requestToken(input: TokenRequestInput): Promise<TokenAnswer> {
  const { oauth, client } = input;
  const params: Record<string, string> = { ...input.params };
  const headers: Record<string, string> = { accept: 'application/json' };
  if (client && input.clientAuth === 'header') {
    // RFC 6749 §2.3.1: each part form-urlencoded before the pair is base64-encoded.
    const pair = Buffer.from(`${formEncode(client.client_id)}:${formEncode(client.client_secret ?? '')}`).toString('base64');
    input.secrets.add(pair);
    headers['authorization'] = `Basic ${pair}`;
  } else if (client) {
    params['client_id'] = client.client_id;
    if (client.client_secret !== undefined) params['client_secret'] = client.client_secret;
  }
  for (const [name, value] of Object.entries(params)) if (name !== 'grant_type' && name !== 'scope' && name !== 'client_id') input.secrets.add(value);
  headers['content-type'] = oauth.bodyFormat === 'json' ? 'application/json' : 'application/x-www-form-urlencoded';
  const body = oauth.bodyFormat === 'json' ? JSON.stringify(params) : new URLSearchParams(params).toString();
  input.secrets.add(body);

  let response;
  try {
    response = await input.transport.send({ method: 'POST', url: input.url, headers, body, timeoutMs: input.timeoutMs, hostFromContext: input.hostFromContext });
  } catch (error) {
    const code = isUnimapError(error) ? error.code : 'UNIMAP_E_REMOTE_NETWORK';
    if (code === 'UNIMAP_E_REQ_HOST_NOT_ALLOWED') throw error;
    throw new UnimapError('UNIMAP_E_AUTH_TOKEN_REQUEST', `${input.integration}: the token endpoint could not be reached (${redactText(error instanceof Error ? error.message : String(error), input.secrets)})`, {
      details: { integration: input.integration },
      retriable: true,
      cause: error,
    });
  }
  const answer = parseAnswer(response.body, response.headers['content-type']);
  const ok = response.status >= 200 && response.status < 300;
  const declaredError = ok && oauth.tokenError ? await oauth.tokenError.evaluate(answer, {}) : undefined;
  const oauthError = !ok ? stringField(answer, 'error') : typeof declaredError === 'string' && declaredError !== '' ? declaredError : undefined;
  if (!ok || oauthError !== undefined) throw tokenFailure(input, response.status, answer, oauthError);
  const expiresIn = Number(answer['expires_in']);
  const refreshToken = stringField(answer, 'refresh_token');
  const scope = stringField(answer, 'scope');
  const accessToken = stringField(answer, 'access_token');
  return {
    // Checked once context_from_token had its say (Slack's user token is authed_user.access_token).
    ...(accessToken !== undefined ? { access_token: accessToken } : {}),
    ...(refreshToken !== undefined ? { refresh_token: refreshToken } : {}),
    // Some providers send expires_in as a string ("3599"); 0 or garbage means "not said".
    ...(Number.isFinite(expiresIn) && expiresIn > 0 ? { expires_in: expiresIn } : {}),
    ...(scope !== undefined ? { scope } : {}),
    raw: answer,
  };
}

function tokenFailure(input: TokenRequestInput, status: number, answer: Record<string, unknown>, oauthError: string | undefined): UnimapError {
  const description = stringField(answer, 'error_description') ?? stringField(answer, 'message');
  const said = redactText([oauthError, description].filter(Boolean).join(': ') || `status ${status}`, input.secrets);
  const remote = { status, body: redactRemoteBody(answer, input.secrets) };
  const revoked = oauthError !== undefined && (REVOKED_GRANT.has(oauthError) || (input.clientFromAccount && REFUSED_CLIENT.has(oauthError)));
  if (revoked) {
    return new UnimapError('UNIMAP_E_AUTH_NEEDS_REAUTH', `${input.integration}: the token endpoint refused the account's grant (${said}); reconnect the account`, {
      details: { integration: input.integration, last_error: { code: oauthError, message: said, at: new Date().toISOString() } },
      remote,
    });
  }
  return new UnimapError('UNIMAP_E_AUTH_TOKEN_REQUEST', `${input.integration}: the token endpoint answered ${status} (${said})`, {
    details: { integration: input.integration, remote_status: status, ...(oauthError !== undefined ? { oauth_error: oauthError } : {}) },
    // A refused client or request will be refused again; a server failure may pass.
    retriable: status >= 500 || status === 429,
    remote,
  });
}

/** JSON (RFC 6749 §5.1), or form-encoded as a few providers still answer. */
function parseAnswer(body: string, contentType: string | undefined): Record<string, unknown> {
  if (contentType?.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(body));
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function stringField(answer: Record<string, unknown>, name: string): string | undefined {
  const value = Object.prototype.hasOwnProperty.call(answer, name) ? answer[name] : undefined;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** application/x-www-form-urlencoded encoding of one value (spaces as +), as RFC 6749 Appendix B asks. */
function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}
