import type { FastifyRequest } from 'fastify';
import type { SimulatorCredentials } from '../simulator';
import { fillPlaceholders } from './paths';
import type { AuthDescription } from './types';

/** Whether a request carries the credentials the description's auth rule asks for ({name} = the credential of that name). */
export function matchesAuth(auth: AuthDescription, request: FastifyRequest, credentials: SimulatorCredentials): boolean {
  const expected = (text: string | undefined) => String(fillPlaceholders(text ?? '', credentials));
  switch (auth.type) {
    case 'none':
      return true;
    case 'header': {
      const headers = auth.headers ?? { [auth.header ?? 'authorization']: auth.value ?? '' };
      return Object.entries(headers).every(([name, value]) => request.headers[name.toLowerCase()] === expected(value));
    }
    case 'query':
      return (request.query as Record<string, string>)[auth.param ?? ''] === expected(auth.value);
    case 'basic':
      return request.headers.authorization === `Basic ${Buffer.from(`${expected(auth.username)}:${expected(auth.password)}`).toString('base64')}`;
  }
}
