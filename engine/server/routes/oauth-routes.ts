import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { UnimapError, isUnimapError } from '../../index';
import { checkConnectStart } from '../accounts/connect-input';
import { viewAccount } from '../accounts/account-view';
import { splitBySecrecy } from '../accounts/secret-context';
import { singleString, tenantOf, type ServerContext } from '../server-context';
import type { StoredAccount } from '../store/account-repository';
import type { PendingConnection } from '../store/oauth-state-repository';

export const CALLBACK_PATH = '/oauth/callback';

/**
 * The authorization code grant as two routes. POST /oauth/authorize (API key): the provider's consent URL for an
 * integration, with a single-use state bound to the caller's tenant. GET /oauth/callback (public: the provider
 * redirects a browser here): the state is taken, the code exchanged, and the account stored for that tenant — new,
 * or the one being reconnected (its needs_reauth cleared).
 */
export function registerOAuthRoutes(app: FastifyInstance, context: ServerContext): void {
  const policy = context.connect;
  const { accounts, oauthStates } = context.store;
  app.post('/oauth/authorize', async (request, reply) => {
    request.unimap.operation = 'oauth authorize';
    const tenant = tenantOf(request);
    const start = checkConnectStart(request.body, context.definitions.registry, policy, context.baseUrls);
    if (start.account_id !== null && !(await accounts.find(tenant, start.account_id))) {
      throw new UnimapError('UNIMAP_E_SERVER_NOT_FOUND', `no integrated account "${start.account_id}" to reconnect`);
    }
    const redirectUri = `${policy.publicUrl}${CALLBACK_PATH}`;
    const authorization = await context.definitions.engine.oauth.authorize(start.integration, {
      redirectUri,
      context: start.context,
      ...(start.authorize_url ? { authorize_url: start.authorize_url } : {}),
    });
    const expiresAt = await oauthStates.save(authorization.state, { ...start, tenant_id: tenant, verifier: authorization.verifier ?? null, redirect_uri: redirectUri });
    return reply.code(201).send({ authorize_url: authorization.url, expires_at: expiresAt.toISOString() });
  });

  app.get(CALLBACK_PATH, { config: { public: true } }, async (request, reply) => {
    request.unimap.operation = 'oauth callback';
    const query = request.query as Record<string, unknown>;
    const state = singleString(query, 'state');
    const pending = state === undefined ? undefined : await oauthStates.take(state);
    if (!pending) throw new UnimapError('UNIMAP_E_AUTH_OAUTH_STATE', 'this authorization is unknown, expired or already used; start the connect flow again');
    request.unimap.tenant = pending.tenant_id;
    try {
      const refused = singleString(query, 'error');
      if (refused !== undefined) {
        const description = singleString(query, 'error_description');
        throw new UnimapError('UNIMAP_E_AUTH_OAUTH_STATE', `the provider did not authorize the connection (${refused}${description ? `: ${description}` : ''})`);
      }
      const code = singleString(query, 'code');
      if (!code) throw new UnimapError('UNIMAP_E_AUTH_OAUTH_STATE', 'the callback has neither a code nor an error');
      const account = await storeConnection(context, pending, code);
      if (pending.return_url) return redirectBack(reply, pending.return_url, { integrated_account_id: account.id });
      return reply.code(pending.account_id === null ? 201 : 200).send(viewAccount(account, context.definitions.registry));
    } catch (error) {
      // The application that started the flow hears how it ended, as RFC 6749 §4.1.2.1 has providers tell clients.
      if (pending.return_url && isUnimapError(error)) return redirectBack(reply, pending.return_url, { error: error.code, error_description: error.message });
      throw error;
    }
  });
}

async function storeConnection(context: ServerContext, pending: PendingConnection, code: string): Promise<StoredAccount> {
  const tokens = await context.definitions.engine.oauth.exchangeCode(pending.integration, {
    code,
    redirectUri: pending.redirect_uri,
    context: pending.context,
    ...(pending.verifier !== null ? { verifier: pending.verifier } : {}),
    ...(pending.token_url !== null ? { token_url: pending.token_url } : {}),
  });
  const { context: plain, secrets } = splitBySecrecy(context.definitions.registry.integrations.get(pending.integration), tokens);
  const fields = { integration: pending.integration, context: plain, secrets, base_url: pending.base_url, token_url: pending.token_url, overrides: null, status: 'active' as const, last_error: null };
  const { accounts } = context.store;
  if (pending.account_id === null) return accounts.insert(pending.tenant_id, randomUUID(), fields);
  // Reconnecting keeps what the account held (settings, overrides) and replaces its tokens.
  const existing = await accounts.reload(pending.tenant_id, pending.account_id);
  const updated = existing && (await accounts.update(pending.tenant_id, pending.account_id, {
    ...fields,
    context: { ...existing.context, ...plain },
    secrets: { ...existing.secrets, ...secrets },
    overrides: existing.overrides,
    base_url: pending.base_url ?? existing.base_url,
    token_url: pending.token_url ?? existing.token_url,
  }));
  if (!updated) throw new UnimapError('UNIMAP_E_SERVER_NOT_FOUND', `the integrated account "${pending.account_id}" was deleted while it was being reconnected`);
  return updated;
}

function redirectBack(reply: FastifyReply, returnUrl: string, params: Record<string, string>): FastifyReply {
  const url = new URL(returnUrl);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return reply.code(302).header('location', url.toString()).send();
}
