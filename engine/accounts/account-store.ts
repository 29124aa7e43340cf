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
  /**
   * `needs_reauth` once its OAuth grant failed (the token endpoint answered invalid_grant): calls fail fast with
   * UNIMAP_E_AUTH_NEEDS_REAUTH until the account is reconnected. Absent means active.
   */
  status?: AccountStatus;
  /** What last made the account unusable (the token endpoint's error), for people; never a secret. */
  last_error?: AccountProblem | null;
  /** This account's own mapping overrides (a custom field for one customer); see accounts/account-overrides.ts. */
  overrides?: AccountOverrides;
}

export type AccountStatus = 'active' | 'needs_reauth' | 'disabled';

export interface AccountProblem {
  code: string;
  message: string;
  remote_status?: number;
  at: string;
}

/** Where accounts come from. Implement it over any database; the engine reads, and writes back only OAuth tokens. */
export interface AccountStore {
  get(id: string): Promise<IntegratedAccount | undefined>;
  /**
   * How renewed OAuth tokens are kept (MemoryAccountStore and FileAccountStore keep them in memory). A store without
   * it gives renewed tokens only to the calls that waited for them, so later calls renew again: implement it for
   * providers that rotate refresh tokens, whose old token then no longer works.
   */
  tokens?: TokenPersistence;
}

/**
 * What a store offers so OAuth refreshes never race: one refresh per account at a time across every process
 * sharing the store, the latest tokens read past any cache, and new tokens written in one atomic write.
 */
export interface TokenPersistence {
  /** Run `work` while no other holder (another process included) runs work for the same account. */
  exclusive<T>(id: string, work: () => Promise<T>): Promise<T>;
  /** The account as stored now, bypassing any cache. */
  reload(id: string): Promise<IntegratedAccount | undefined>;
  /** Merge these context values (new tokens) over the stored ones, in one write. */
  saveTokens(id: string, values: Record<string, unknown>): Promise<void>;
  /** The grant is gone: mark the account needs_reauth with what the token endpoint said. */
  markNeedsReauth(id: string, problem: AccountProblem): Promise<void>;
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

  /** In one process a refresh is already single-flight (oauth/token-keeper.ts), so `exclusive` needs no lock. */
  readonly tokens: TokenPersistence = {
    exclusive: (_id, work) => work(),
    reload: (id) => this.get(id),
    saveTokens: async (id, values) => {
      const account = this.accounts.get(id);
      if (account) this.accounts.set(id, { ...account, context: { ...account.context, ...values }, status: 'active', last_error: null });
    },
    markNeedsReauth: async (id, problem) => {
      const account = this.accounts.get(id);
      if (account) this.accounts.set(id, { ...account, status: 'needs_reauth', last_error: problem });
    },
  };
}

/**
 * Accounts from a JSON or YAML file (a list of accounts), re-read when the file changes,
 * so credentials can be rotated without a restart.
 */
export class FileAccountStore implements AccountStore {
  private cache: { mtimeMs: number; store: MemoryAccountStore } | undefined;

  /**
   * Refreshed tokens stay in memory over the file (the file is the operator's and is never rewritten), each for as
   * long as the file's entry is the one it was refreshed from: an operator's edit of that entry wins.
   */
  private readonly refreshed = new Map<string, { from: IntegratedAccount; account: IntegratedAccount }>();

  constructor(private readonly path: string) {}

  async get(id: string): Promise<IntegratedAccount | undefined> {
    const inFile = await this.load().get(id);
    const kept = this.refreshed.get(id);
    return kept && inFile === kept.from ? kept.account : inFile;
  }

  readonly tokens: TokenPersistence = {
    exclusive: (_id, work) => work(),
    reload: (id) => this.get(id),
    saveTokens: (id, values) => this.keep(id, (account) => ({ ...account, context: { ...account.context, ...values }, status: 'active', last_error: null })),
    markNeedsReauth: (id, problem) => this.keep(id, (account) => ({ ...account, status: 'needs_reauth', last_error: problem })),
  };

  private async keep(id: string, change: (account: IntegratedAccount) => IntegratedAccount): Promise<void> {
    const inFile = await this.load().get(id);
    if (!inFile) return;
    const current = await this.get(id);
    this.refreshed.set(id, { from: inFile, account: change(current ?? inFile) });
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
