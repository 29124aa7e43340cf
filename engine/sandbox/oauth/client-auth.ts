import { createHash, timingSafeEqual } from 'node:crypto';
import { OAuthProblem } from './problem';
import type { OAuthClient, OAuthProviderOptions } from './types';

export type ClientAuthMode = NonNullable<OAuthProviderOptions['clientAuth']>;

export interface AuthenticatedClient {
  client: OAuthClient;
  /** basic: HTTP Basic header; body: client_id + client_secret params; none: a public client naming itself. */
  method: 'basic' | 'body' | 'none';
}

const FAILED = 'Client authentication failed. Either the client or the client credentials are invalid.';
/** RFC 6749 §5.2: a client that tried the Authorization header is answered 401 with the scheme it used. */
const BASIC_CHALLENGE = { 'www-authenticate': 'Basic realm="oauth2"' };

/**
 * Client authentication at the token endpoint (RFC 6749 §2.3): HTTP Basic with the form-urlencoded id and secret, or
 * client_id and client_secret in the body, never both; a public client names itself with client_id alone.
 * Undefined when the request identifies no client at all (the JWT bearer grant needs none).
 */
export function authenticateClient(
  authorization: string | undefined,
  params: Record<string, string>,
  clients: Map<string, OAuthClient>,
  mode: ClientAuthMode,
): AuthenticatedClient | undefined {
  if (authorization !== undefined) return authenticateBasic(authorization, params, clients, mode);
  const id = params['client_id'];
  const secret = params['client_secret'];
  if (secret !== undefined) {
    if (mode === 'header') throw new OAuthProblem('invalid_client', 'The client must authenticate with HTTP Basic.', BASIC_CHALLENGE);
    const client = id === undefined ? undefined : clients.get(id);
    if (!client || client.client_secret === undefined || !sameSecret(client.client_secret, secret)) throw new OAuthProblem('invalid_client', FAILED);
    return { client, method: 'body' };
  }
  if (id === undefined) return undefined;
  const client = clients.get(id);
  if (!client) throw new OAuthProblem('invalid_client', FAILED);
  if (client.client_secret !== undefined) {
    throw new OAuthProblem('invalid_client', 'Client authentication is required for a confidential client.', mode === 'header' ? BASIC_CHALLENGE : {});
  }
  return { client, method: 'none' };
}

function authenticateBasic(authorization: string, params: Record<string, string>, clients: Map<string, OAuthClient>, mode: ClientAuthMode): AuthenticatedClient {
  if (params['client_secret'] !== undefined) {
    throw new OAuthProblem('invalid_request', 'The client used more than one authentication method (an Authorization header and client_secret).');
  }
  if (mode === 'body') {
    throw new OAuthProblem('invalid_client', 'The client must send client_id and client_secret in the request body.', BASIC_CHALLENGE);
  }
  const credentials = decodeBasic(authorization);
  if (!credentials) throw new OAuthProblem('invalid_client', FAILED, BASIC_CHALLENGE);
  if (params['client_id'] !== undefined && params['client_id'] !== credentials.id) {
    throw new OAuthProblem('invalid_request', 'The client_id parameter does not match the client authenticated by the Authorization header.');
  }
  const client = clients.get(credentials.id);
  // A public client has no secret: its Basic header carries an empty one.
  const expected = client?.client_secret ?? '';
  if (!client || !sameSecret(expected, credentials.secret)) throw new OAuthProblem('invalid_client', FAILED, BASIC_CHALLENGE);
  return { client, method: client.client_secret === undefined ? 'none' : 'basic' };
}

/** "Basic base64(urlencode(id) ':' urlencode(secret))" — each half is application/x-www-form-urlencoded (RFC 6749 §2.3.1). */
function decodeBasic(header: string): { id: string; secret: string } | undefined {
  const match = /^Basic +([A-Za-z0-9+/]+=*) *$/i.exec(header);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  try {
    return { id: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
  } catch {
    return undefined;
  }
}

const formDecode = (value: string) => decodeURIComponent(value.replace(/\+/g, ' '));

/** Compared through their digests so the time taken says nothing about the secret, whatever the lengths. */
function sameSecret(expected: string, given: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(expected), digest(given));
}
