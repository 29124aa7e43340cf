import { OAuthProblem } from './problem';
import type { OAuthClient } from './types';

/** Scope values are space-delimited and their order does not matter (RFC 6749 §3.3). */
export const scopeSet = (scope: string | undefined): Set<string> => new Set((scope ?? '').split(' ').filter(Boolean));

/** The requested scope, normalised, after checking the client may be granted every value of it. */
export function allowedScope(client: OAuthClient, requested: string | undefined): string | undefined {
  const values = [...scopeSet(requested)];
  if (values.length === 0) return undefined;
  const unknown = client.scopes ? values.filter((value) => !client.scopes!.includes(value)) : [];
  if (unknown.length > 0) throw new OAuthProblem('invalid_scope', `The requested scope is invalid, unknown, or malformed: ${unknown.join(' ')}`);
  return values.join(' ');
}

/** A refresh may ask for less than was granted, never more (RFC 6749 §6). */
export function narrowedScope(granted: string | undefined, requested: string | undefined): string | undefined {
  if (requested === undefined) return granted;
  const allowed = scopeSet(granted);
  const values = [...scopeSet(requested)];
  const wider = values.filter((value) => !allowed.has(value));
  if (wider.length > 0) throw new OAuthProblem('invalid_scope', `The requested scope exceeds the scope granted by the resource owner: ${wider.join(' ')}`);
  return values.length > 0 ? values.join(' ') : granted;
}
