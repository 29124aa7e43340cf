import type { AccountStore, IntegratedAccount, TokenPersistence } from '../accounts/account-store';
import type { CompiledOAuth2 } from '../compile/compile-oauth';
import type { CompiledIntegration } from '../compile/compiled';
import { UnimapError, isUnimapError } from '../errors';
import type { Transport } from '../transport/transport';
import { isRenewable, renewTokens, type OAuthApps } from './grant-request';
import type { TokenAnswer } from './token-endpoint';

export interface TokenKeeperOptions {
  transport: Transport;
  apps?: OAuthApps;
  now?: () => number;
}

/**
 * Keeps OAuth accounts' access tokens usable: renews one before it expires (by the definition's margin) or when the
 * provider refused it with a 401, and writes the new tokens back through the account store.
 *
 * At most one renewal per account runs at a time: calls in this process wait on the same promise, and the store's
 * `exclusive` holds other processes off (the server's is a PostgreSQL advisory lock). Inside it the account is read
 * again past every cache, so a process that waited finds the tokens another one just wrote and uses them instead of
 * spending the (possibly single-use) refresh token a second time — the race that revokes a token family.
 */
export class TokenKeeper {
  private readonly renewing = new Map<string, Promise<IntegratedAccount>>();
  private readonly now: () => number;

  constructor(private readonly accounts: AccountStore, private readonly options: TokenKeeperOptions) {
    this.now = options.now ?? Date.now;
  }

  /**
   * The account with a usable access token. `rejected`: the access token the provider just answered 401 to.
   * `inline`: the caller passed the account itself, so it is neither re-read from nor written to the store.
   */
  async fresh(account: IntegratedAccount, integration: CompiledIntegration, options: { rejected?: string; inline?: boolean } = {}): Promise<IntegratedAccount> {
    const { rejected } = options;
    const oauth = integration.oauth2;
    if (!oauth) return account;
    failIfNeedsReauth(account, integration);
    if (rejected === undefined && this.isFresh(account, oauth)) return account;
    if (!isRenewable(account, oauth)) {
      throw new UnimapError('UNIMAP_E_AUTH_MISSING_CONTEXT', `account "${account.id}" holds no usable access_token and nothing to obtain one with (a refresh_token, or the credentials of ${oauth.grants.join(' or ')}) for ${integration.name}`, {
        details: { integration: integration.name, missing: ['access_token'] },
      });
    }
    const key = `${integration.name}\u0000${account.rate_limit_key ?? account.id}`;
    let running = this.renewing.get(key);
    if (!running) {
      running = this.renew(account, integration, oauth, rejected, options.inline === true).finally(() => this.renewing.delete(key));
      this.renewing.set(key, running);
    }
    return running;
  }

  /** The context values a token answer gives (the server's connect flow stores them too). */
  async tokenValues(answer: TokenAnswer, oauth: CompiledOAuth2, integration: CompiledIntegration): Promise<Record<string, unknown>> {
    const lifetime = answer.expires_in ?? oauth.defaultExpiresIn;
    const values: Record<string, unknown> = {
      ...(answer.access_token !== undefined ? { access_token: answer.access_token } : {}),
      // null, not absent: an expiry left from the previous token would make this one look expired forever.
      expires_at: lifetime === undefined ? null : new Date(this.now() + lifetime * 1000).toISOString(),
    };
    // A provider that does not rotate omits refresh_token: the one held stays valid and is kept.
    if (answer.refresh_token !== undefined) values['refresh_token'] = answer.refresh_token;
    for (const [key, expression] of Object.entries(oauth.contextFromToken)) {
      const value = await expression.evaluate(answer.raw, {});
      if (value !== undefined) values[key] = value;
    }
    if (typeof values['access_token'] !== 'string' || values['access_token'] === '') {
      throw new UnimapError('UNIMAP_E_AUTH_TOKEN_REQUEST', `${integration.name}: the token endpoint answered without an access_token`, {
        details: { integration: integration.name },
        retriable: false,
      });
    }
    return values;
  }

  private isFresh(account: IntegratedAccount, oauth: CompiledOAuth2): boolean {
    const token = account.context['access_token'];
    if (typeof token !== 'string' || token === '') return false;
    const expiresAt = account.context['expires_at'];
    if (expiresAt === undefined || expiresAt === null || expiresAt === '') return true; // unknown: renewed on a 401
    const at = Date.parse(String(expiresAt));
    return Number.isFinite(at) && at - oauth.refreshMarginSeconds * 1000 > this.now();
  }

  private async renew(account: IntegratedAccount, integration: CompiledIntegration, oauth: CompiledOAuth2, rejected: string | undefined, inline: boolean): Promise<IntegratedAccount> {
    const persistence: TokenPersistence = inline ? THIS_CALL_ONLY : this.accounts.tokens ?? readOnly(this.accounts);
    return persistence.exclusive(account.id, async () => {
      const latest = (await persistence.reload(account.id)) ?? account;
      failIfNeedsReauth(latest, integration);
      const seen = rejected ?? account.context['access_token'];
      const renewedMeanwhile = latest.context['access_token'] !== seen;
      if ((renewedMeanwhile || rejected === undefined) && this.isFresh(latest, oauth)) return latest;
      let values: Record<string, unknown>;
      try {
        values = await this.tokenValues(await renewTokens(latest, integration, oauth, { transport: this.options.transport, apps: this.options.apps, now: this.now }), oauth, integration);
      } catch (error) {
        if (isUnimapError(error) && error.code === 'UNIMAP_E_AUTH_NEEDS_REAUTH') {
          const said = (error.details as { last_error?: { code: string; message: string; at: string } } | undefined)?.last_error;
          await persistence.markNeedsReauth(account.id, {
            code: said?.code ?? error.code,
            message: said?.message ?? error.message,
            ...(error.remote ? { remote_status: error.remote.status } : {}),
            at: new Date(this.now()).toISOString(),
          });
        }
        throw error;
      }
      await persistence.saveTokens(account.id, values);
      return { ...latest, context: { ...latest.context, ...values }, status: 'active', last_error: null };
    });
  }
}

function failIfNeedsReauth(account: IntegratedAccount, integration: CompiledIntegration): void {
  if (account.status !== 'needs_reauth') return;
  const last = account.last_error;
  throw new UnimapError('UNIMAP_E_AUTH_NEEDS_REAUTH', `${integration.name}: account "${account.id}" needs to be reconnected${last ? ` (${last.code}: ${last.message})` : ''}`, {
    details: { integration: integration.name, ...(last ? { last_error: { code: last.code, message: last.message, at: last.at } } : {}) },
  });
}

/** A store that keeps no tokens (a custom read-only one): renewed tokens serve the calls waiting for them only. */
function readOnly(accounts: AccountStore): TokenPersistence {
  return { ...THIS_CALL_ONLY, reload: (id) => accounts.get(id) };
}

/** An account passed with the call: nothing to re-read, nowhere to write back. */
const THIS_CALL_ONLY: TokenPersistence = {
  exclusive: (_id, work) => work(),
  reload: async () => undefined,
  saveTokens: async () => undefined,
  markNeedsReauth: async () => undefined,
};
