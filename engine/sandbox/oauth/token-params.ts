import { OAuthProblem } from './problem';

export type BodyFormat = 'form' | 'json';

/**
 * The token request's parameters from its raw body. Form bodies are the standard (RFC 6749 §3.2); JSON only where a
 * provider accepts it. A parameter sent twice is refused and one sent without a value counts as absent (RFC 6749 §3.1).
 */
export function readTokenParams(contentType: string | undefined, raw: string, formats: readonly BodyFormat[]): Record<string, string> {
  const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (mediaType === 'application/x-www-form-urlencoded' && formats.includes('form')) return fromForm(raw);
  if (mediaType === 'application/json' && formats.includes('json')) return fromJson(raw);
  throw new OAuthProblem('invalid_request', `The request body must be ${formats.map(describe).join(' or ')}.`);
}

const describe = (format: BodyFormat) => (format === 'form' ? 'application/x-www-form-urlencoded' : 'application/json');

function fromForm(raw: string): Record<string, string> {
  const params: Record<string, string> = {};
  const seen = new Set<string>();
  for (const [name, value] of new URLSearchParams(raw)) {
    if (seen.has(name)) throw new OAuthProblem('invalid_request', `Parameter ${name} is included more than once.`);
    seen.add(name);
    if (value !== '') params[name] = value;
  }
  return params;
}

function fromJson(raw: string): Record<string, string> {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    throw new OAuthProblem('invalid_request', 'The request body is not valid JSON.');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new OAuthProblem('invalid_request', 'The request body must be a JSON object.');
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(body)) {
    if (value === null || value === '') continue;
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new OAuthProblem('invalid_request', `Parameter ${name} must be a string.`);
    }
    params[name] = String(value);
  }
  return params;
}
