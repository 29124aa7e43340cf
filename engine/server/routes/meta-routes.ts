import type { FastifyInstance, FastifyRequest } from 'fastify';
import { UnimapError } from '../../index';
import { describeIntegrationMethod, describeUnifiedMethod } from '../meta/describe-method';
import { singleString, tenantOf, type ServerContext } from '../server-context';

type Params = { category: string; resource: string; integration?: string; method: string };

/**
 * What a method accepts and answers, from the definitions: for the account's integration (integrated_account_id),
 * for a named integration, or across all integrations when neither is given.
 */
export function registerMetaRoutes(app: FastifyInstance, context: ServerContext): void {
  app.get('/unified/:category/:resource/meta/:method', async (request) => {
    const { category, resource, method } = request.params as Params;
    request.unimap.operation = `${category}/${resource} meta ${method}`;
    const accountId = singleString(request.query as Record<string, unknown>, 'integrated_account_id');
    const registry = context.definitions.registry;
    if (accountId === undefined) return describeUnifiedMethod(registry, category, resource, method);
    const integration = await integrationOf(context, request, accountId);
    return describeIntegrationMethod(registry, integration, category, resource, method);
  });
  app.get('/unified/:category/:resource/:integration/meta/:method', async (request) => {
    const { category, resource, integration, method } = request.params as Params;
    request.unimap.operation = `${category}/${resource} meta ${method}`;
    return describeIntegrationMethod(context.definitions.registry, integration!, category, resource, method);
  });
}

async function integrationOf(context: ServerContext, request: FastifyRequest, accountId: string): Promise<string> {
  const account = await context.store.accounts.find(tenantOf(request), accountId);
  if (!account) throw new UnimapError('UNIMAP_E_REQ_ACCOUNT_NOT_FOUND', `no integrated account "${accountId}"`);
  request.unimap.account = account;
  return account.integration;
}
