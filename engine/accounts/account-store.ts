import { readFileSync, statSync } from 'node:fs';
import { UnimapError } from '../errors';
import type { AccountOverrides } from './account-overrides';
import { parseAccountsFile } from './accounts-file';

/** A connected account: which integration, its credentials and instance settings. */
export interface IntegratedAccount {
  id: string;
  integration: string;
  /** Credentials and instance settings; keys the integration marks `secret` are never logged or returned. */
  context: Record<string, unknown>;
  /** Operator-set base URL replacing the integration's (sandboxes, proxies, local simulators). Never taken from callers. */
  base_url?: string;
  /** Operator-set OAuth token endpoint replacing the integration's `oauth2.token_url` (sandboxes, simulators). Never taken from callers. */
  token_url?: string;
  /**
   * What outbound rate limits declared `per: account` count this account under; defaults to the integration and id.
   * A server sets it to include the tenant, so two tenants' accounts with the same id never share a budget.
   */
  rate_limit_key?: string;
  /** This account's own mapping overrides (a custom field for one customer); see accounts/account-overrides.ts. */
  overrides?: AccountOverrides;
}

/** Where accounts come from. Implement it over any database; the engine only reads. */
export interface AccountStore {
  get(id: string): Promise<IntegratedAccount | undefined>;
}

export class MemoryAccountStore implements AccountStore {
  // A Map, not an object: ids such as "__proto__" or "toString" find nothing rather than an inherited value.
  private readonly accounts: Map<string, IntegratedAccount>;

  constructor(accounts: Iterable<IntegratedAccount> = []) {
    this.accounts = new Map([...accounts].map((a) => [a.id, a]));
  }

  async get(id: string): Promise<IntegratedAccount | undefined> {
    return this.accounts.get(id);
  }

  set(account: IntegratedAccount): void {
    this.accounts.set(account.id, account);
  }
}

/**
 * Accounts from a JSON or YAML file (a list of accounts), re-read when the file changes,
 * so credentials can be rotated without a restart.
 */
export class FileAccountStore implements AccountStore {
  private cache: { mtimeMs: number; store: MemoryAccountStore } | undefined;

  constructor(private readonly path: string) {}

  async get(id: string): Promise<IntegratedAccount | undefined> {
    return this.load().get(id);
  }

  private load(): MemoryAccountStore {
    let mtimeMs: number;
    let text: string;
    try {
      mtimeMs = statSync(this.path).mtimeMs;
      if (this.cache?.mtimeMs === mtimeMs) return this.cache.store;
      text = readFileSync(this.path, 'utf8');
    } catch (cause) {
      const code = (cause as { code?: unknown }).code;
      throw new UnimapError('UNIMAP_E_LOAD_FILE', `cannot read the accounts file ${this.path}${typeof code === 'string' ? ` (${code})` : ''}`, { cause });
    }
    // A broken file is never cached: the next call reads it again, so a fix is picked up without a restart.
    const store = new MemoryAccountStore(parseAccountsFile(this.path, text));
    this.cache = { mtimeMs, store };
    return store;
  }
}
