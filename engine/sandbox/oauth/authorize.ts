import { readChallenge } from './pkce';
import { OAuthProblem } from './problem';
import { allowedScope } from './scope';
import type { TokenStore } from './token-store';
import type { OAuthClient } from './types';

export type AuthorizeAnswer =
  | { kind: 'redirect'; location: string }
  /** Shown to the user, never redirected: the redirect URI cannot be trusted. */
  | { kind: 'refuse'; body: { error: string; error_description: string } };

export interface AuthorizeSettings {
  clients: Map<string, OAuthClient>;
  tokens: TokenStore;
  requirePkce: boolean;
  /** The user who consents (there is no login page: every request is approved). */
  subject: string;
}

/**
 * The authorization endpoint of the code grant (RFC 6749 §4.1.1–4.1.2, RFC 7636 §4.3). Until the client and its
 * redirect URI are known good, errors are answered here (a bad redirect_uri must never receive a redirect, or the
 * endpoint would be an open redirector); after that, every error goes back to the client with the state it sent.
 */
export function answerAuthorize(rawQuery: string, settings: AuthorizeSettings): AuthorizeAnswer {
  const { params, repeated } = readQuery(rawQuery);
  const trusted = repeated.find((name) => name === 'client_id' || name === 'redirect_uri');
  if (trusted) return refuse(`Parameter ${trusted} is included more than once.`);
  const client = params['client_id'] === undefined ? undefined : settings.clients.get(params['client_id']);
  if (!client) return refuse(params['client_id'] === undefined ? 'Missing required parameter: client_id' : 'The client_id is not registered.');
  const registered = client.redirect_uris ?? [];
  const sent = params['redirect_uri'];
  // Without redirect_uri the client's only registered URI is meant (RFC 6749 §3.1.2.3); with several, it must say which.
  const redirectUri = sent ?? (registered.length === 1 ? registered[0] : undefined);
  if (redirectUri === undefined) return refuse('Missing required parameter: redirect_uri');
  if (!registered.includes(redirectUri)) return refuse('The redirect_uri does not match any redirect URI registered for the client.');

  const state = params['state'];
  try {
    if (repeated.length > 0) throw new OAuthProblem('invalid_request', `Parameter ${repeated[0]} is included more than once.`);
    if (params['response_type'] === undefined) throw new OAuthProblem('invalid_request', 'Missing required parameter: response_type');
    if (params['response_type'] !== 'code') throw new OAuthProblem('unsupported_response_type', 'The response type is not supported by the authorization server.');
    const scope = allowedScope(client, params['scope']);
    const challenge = readChallenge(params['code_challenge'], params['code_challenge_method']);
    if (!challenge && settings.requirePkce) throw new OAuthProblem('invalid_request', 'PKCE is required: send code_challenge and code_challenge_method.');
    const code = settings.tokens.createCode({
      client_id: client.client_id,
      subject: settings.subject,
      ...(sent === undefined ? {} : { redirect_uri: sent }),
      ...(scope === undefined ? {} : { scope }),
      ...(challenge === undefined ? {} : { challenge }),
    });
    return redirectTo(redirectUri, { code, state });
  } catch (problem) {
    if (!(problem instanceof OAuthProblem)) throw problem;
    return redirectTo(redirectUri, { error: problem.error, error_description: problem.description, state });
  }
}

const refuse = (description: string): AuthorizeAnswer => ({ kind: 'refuse', body: { error: 'invalid_request', error_description: description } });

/** Parameters are added to the registered URI's own query, which is kept (RFC 6749 §3.1.2). */
function redirectTo(uri: string, params: Record<string, string | undefined>): AuthorizeAnswer {
  const url = new URL(uri);
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.append(name, value);
  return { kind: 'redirect', location: url.toString() };
}

/** Empty values count as absent (RFC 6749 §3.1); names sent more than once are listed. */
function readQuery(rawQuery: string): { params: Record<string, string>; repeated: string[] } {
  const params: Record<string, string> = {};
  const seen = new Set<string>();
  const repeated: string[] = [];
  for (const [name, value] of new URLSearchParams(rawQuery)) {
    if (seen.has(name)) repeated.push(name);
    seen.add(name);
    if (value !== '') params[name] = value;
  }
  return { params, repeated };
}
