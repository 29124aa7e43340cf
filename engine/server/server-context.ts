import type { FastifyRequest } from 'fastify';
import { UnimapError } from '../index';
import type { BaseUrlPolicy } from './accounts/account-input';
import type { ConnectPolicy } from './accounts/connect-input';
import type { Definitions } from './definitions';
import type { RequestState } from './request-state';
import type { ServerStore } from './store/open-store';

/** What every route reads: the definitions being served, the store, and the operator's account policy. */
export interface ServerContext {
  definitions: Definitions;
  store: ServerStore;
  baseUrls: BaseUrlPolicy;
  /** Where OAuth connect flows send people (the public callback URL, the return URLs allowed). */
  connect: ConnectPolicy;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set in onRequest for every request (see create-server.ts). */
    unimap: RequestState;
  }
}

/** The tenant the API key belongs to; routes behind authentication always have one. */
export function tenantOf(request: FastifyRequest): string {
  const tenant = request.unimap.tenant;
  if (tenant === undefined) throw new UnimapError('UNIMAP_E_SERVER_UNAUTHORIZED', 'this route needs an API key');
  return tenant;
}

/** A query value that must be one string (qs may give an array or an object for repeated or bracketed keys). */
export function singleString(query: Record<string, unknown>, name: string): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new UnimapError('UNIMAP_E_REQ_INVALID_QUERY', `${name} must be given once, as text`, { details: { field: name } });
  return value;
}
