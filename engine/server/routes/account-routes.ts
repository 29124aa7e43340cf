import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { UnimapError } from '../../index';
import { checkAccountPatch, checkNewAccount } from '../accounts/account-input';
import { viewAccount } from '../accounts/account-view';
import { singleString, tenantOf, type ServerContext } from '../server-context';
import type { StoredAccount } from '../store/account-repository';

/** Both spellings: the reference SDK calls /integrated-account, the design names /integrated-accounts. */
export const ACCOUNT_PATHS = ['/integrated-accounts', '/integrated-account'] as const;
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 500;

/** Integrated accounts of the caller's tenant: created and changed against the integration's declared context. */
export function registerAccountRoutes(app: FastifyInstance, context: ServerContext): void {
  const { accounts } = context.store;
  const view = (account: StoredAccount) => viewAccount(account, context.definitions.registry);
  for (const base of ACCOUNT_PATHS) {
    app.post(base, async (request, reply) => {
      request.unimap.operation = 'integrated-accounts create';
      const fields = checkNewAccount(request.body, context.definitions.registry, context.baseUrls);
      const account = await accounts.insert(tenantOf(request), randomUUID(), fields);
      return reply.code(201).send(view(account));
    });
    app.get(base, async (request) => {
      request.unimap.operation = 'integrated-accounts list';
      const query = request.query as Record<string, unknown>;
      const limit = readLimit(singleString(query, 'limit'));
      const afterId = readCursor(singleString(query, 'next_cursor'));
      const integration = singleString(query, 'integration');
      const page = await accounts.list(tenantOf(request), { limit: limit + 1, ...(afterId === undefined ? {} : { afterId }), ...(integration ? { integration } : {}) });
      const result = page.slice(0, limit);
      const next = page.length > limit ? Buffer.from(JSON.stringify({ after: result[result.length - 1]!.id })).toString('base64url') : null;
      return { result: result.map(view), next_cursor: next, result_count: result.length };
    });
    app.get(`${base}/:id`, async (request) => {
      request.unimap.operation = 'integrated-accounts get';
      return view(await findOwn(context, request));
    });
    app.patch(`${base}/:id`, async (request) => {
      request.unimap.operation = 'integrated-accounts update';
      const existing = await findOwn(context, request);
      const fields = checkAccountPatch(request.body, existing, context.definitions.registry, context.baseUrls);
      const updated = await accounts.update(existing.tenant_id, existing.id, fields);
      if (!updated) throw notFound(existing.id);
      return view(updated);
    });
    app.delete(`${base}/:id`, async (request) => {
      request.unimap.operation = 'integrated-accounts delete';
      const { id } = request.params as { id: string };
      if (!(await accounts.remove(tenantOf(request), id))) throw notFound(id);
      return { id };
    });
  }
}

async function findOwn(context: ServerContext, request: FastifyRequest): Promise<StoredAccount> {
  const { id } = request.params as { id: string };
  const account = await context.store.accounts.find(tenantOf(request), id);
  if (!account) throw notFound(id);
  request.unimap.account = account;
  return account;
}

function notFound(id: string): UnimapError {
  return new UnimapError('UNIMAP_E_SERVER_NOT_FOUND', `no integrated account "${id}" for this tenant`);
}

function readLimit(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_LIMIT;
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1) throw new UnimapError('UNIMAP_E_REQ_INVALID_QUERY', `limit must be a positive integer; got ${JSON.stringify(value)}`, { details: { field: 'limit' } });
  return Math.min(limit, MAX_LIMIT);
}

function readCursor(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  try {
    const after = (JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as { after?: unknown }).after;
    if (typeof after === 'string') return after;
  } catch {
    // answered below
  }
  throw new UnimapError('UNIMAP_E_SERVER_INVALID_REQUEST', 'next_cursor is not one this API returned; pass it exactly as the previous page gave it');
}
