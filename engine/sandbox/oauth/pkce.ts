import { createHash } from 'node:crypto';
import { OAuthProblem } from './problem';

export interface CodeChallenge {
  value: string;
  method: 'S256' | 'plain';
}

/** RFC 7636 §4.1: 43 to 128 unreserved characters; an S256 challenge (base64url of a SHA-256) and a plain one fit it too. */
const PKCE_VALUE = /^[A-Za-z0-9\-._~]{43,128}$/;

/** The challenge of an authorization request, or undefined when it carries none. Method absent means plain (RFC 7636 §4.3). */
export function readChallenge(challenge: string | undefined, method: string | undefined): CodeChallenge | undefined {
  if (challenge === undefined) {
    if (method !== undefined) throw new OAuthProblem('invalid_request', 'code_challenge_method was sent without code_challenge.');
    return undefined;
  }
  if (method !== undefined && method !== 'S256' && method !== 'plain') {
    throw new OAuthProblem('invalid_request', 'Transform algorithm not supported: code_challenge_method must be S256 or plain.');
  }
  if (!PKCE_VALUE.test(challenge)) throw new OAuthProblem('invalid_request', 'code_challenge must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~.');
  return { value: challenge, method: method ?? 'plain' };
}

/**
 * RFC 7636 §4.6: the verifier must transform into the challenge, else invalid_grant. A verifier for a code issued
 * without a challenge is refused too, so a client cannot be downgraded out of PKCE unnoticed.
 */
export function checkVerifier(challenge: CodeChallenge | undefined, verifier: string | undefined): void {
  if (challenge === undefined) {
    if (verifier !== undefined) throw new OAuthProblem('invalid_grant', 'PKCE verification failed: the authorization request had no code_challenge.');
    return;
  }
  if (verifier === undefined) throw new OAuthProblem('invalid_grant', 'PKCE verification failed: code_verifier is required.');
  const derived = challenge.method === 'S256' ? createHash('sha256').update(verifier, 'ascii').digest('base64url') : verifier;
  if (!PKCE_VALUE.test(verifier) || derived !== challenge.value) throw new OAuthProblem('invalid_grant', 'PKCE verification failed.');
}
