/**
 * A passthrough request: the caller names a path under the account's base URL, the engine adds the account's
 * auth (headers, Basic pair, auth query) exactly as a unified call would and streams the provider's answer back
 * untouched. The path is confined to the base URL: every segment is encoded on its own, so no `..`, encoded
 * slash or absolute URL can leave it.
 */
import type { IntegratedAccount } from '../accounts/account-store';
import { resolveContext } from '../accounts/resolve-context';
import type { Runtime } from '../call-state';
import type { CompiledRequest } from '../compile/compiled';
import { compileTemplate } from '../compile/template';
import type { HttpMethod } from '../definition';
import { UnimapError } from '../errors';
import { rethrowRedacted } from '../secrets/redact-error';
import { startDeadline, withinDeadline } from '../transport/deadline';
import type { StreamResult } from '../types';
import { buildRemoteRequest } from './build-request';
import { encodePathSegment } from './path-segment';

export interface ProxyCall {
  /** An account id looked up in the store, or the account itself. */
  integratedAccountId?: string;
  account?: IntegratedAccount;
  method: HttpMethod;
  /** Path segments under the account's base URL, decoded (`['api', 'v1', 'users', '00u1']`); each is encoded again. */
  segments: string[];
  /** Sent to the provider as is (the account's auth query parameters win over same-named ones). */
  query?: Record<string, unknown>;
  /** The body exactly as the caller sent it, with its content type. */
  body?: string;
  contentType?: string;
}

export async function proxyRequest(runtime: Runtime, call: ProxyCall): Promise<StreamResult> {
  const found = call.account ?? (await findAccount(runtime, call.integratedAccountId));
  const integration = runtime.registry.integrations.get(found.integration);
  if (!integration) {
    throw new UnimapError('UNIMAP_E_REQ_INTEGRATION_NOT_FOUND', `unknown integration "${found.integration}"; loaded: ${[...runtime.registry.integrations.keys()].join(', ') || 'none'}`);
  }
  const account = await runtime.tokens.fresh(found, integration, { inline: call.account !== undefined });
  const context = resolveContext(integration, account);
  const run = async (): Promise<StreamResult> => {
    const source = `/proxy/${call.segments.join('/')}`;
    const path = `/${call.segments.map((segment) => encodePathSegment(segment, source)).join('/')}`;
    // Every segment is percent-encoded, so the path holds no `{{` and the template is plain text.
    const template: CompiledRequest = { method: call.method, path: compileTemplate(path, refuseHole), query: {}, headers: {} };
    const bindings = { context: context.visible, params: {}, query: {}, body: undefined, steps: {} };
    const request = await buildRemoteRequest({ integration, account, context, template, bindings, query: call.query ?? {}, bodyFormat: 'json' });
    if (call.body !== undefined && call.method !== 'GET') {
      request.body = call.body;
      request.headers['Content-Type'] = call.contentType ?? 'application/json';
    }
    const deadline = startDeadline(runtime.callDeadlineMs);
    // A passthrough request spends the provider's budget like any other.
    await runtime.rateLimits?.admit(integration, account, deadline);
    const streamed = await runtime.transport.stream(withinDeadline(request, deadline));
    return { ...streamed, contentType: streamed.headers['content-type'] };
  };
  return run().catch(rethrowRedacted(context.secrets));
}

async function findAccount(runtime: Runtime, id: string | undefined): Promise<IntegratedAccount> {
  if (!id) throw new UnimapError('UNIMAP_E_REQ_ACCOUNT_NOT_FOUND', 'integrated_account_id is required');
  const account = await runtime.accounts.get(id);
  if (!account) throw new UnimapError('UNIMAP_E_REQ_ACCOUNT_NOT_FOUND', `no integrated account "${id}"`);
  return account;
}

function refuseHole(): never {
  throw new UnimapError('UNIMAP_E_ENGINE_INTERNAL', 'a proxy path holds no template expressions');
}
