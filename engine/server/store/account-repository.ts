import type { SecretBox } from './secret-box';
import type { SqlClient } from './sql-client';

import type { AccountProblem, AccountStatus } from '../../index';

export type { AccountStatus };
export const ACCOUNT_STATUSES: readonly AccountStatus[] = ['active', 'needs_reauth', 'disabled'];
export type AccountError = AccountProblem;

/** An integrated account as stored; `secrets` is open only inside the server and never leaves it. */
export interface StoredAccount {
  tenant_id: string;
  id: string;
  integration: string;
  context: Record<string, unknown>;
  secrets: Record<string, unknown>;
  base_url: string | null;
  /** An operator's OAuth token endpoint for this account (sandboxes), like base_url. */
  token_url: string | null;
  overrides: Record<string, unknown> | null;
  status: AccountStatus;
  last_error: AccountError | null;
  created_at: string;
  updated_at: string;
}

export type AccountFields = Pick<StoredAccount, 'integration' | 'context' | 'secrets' | 'base_url' | 'token_url' | 'overrides' | 'status' | 'last_error'>;

interface Row {
  tenant_id: string;
  id: string;
  integration: string;
  context: Record<string, unknown>;
  secrets: Uint8Array | null;
  base_url: string | null;
  token_url: string | null;
  overrides: Record<string, unknown> | null;
  status: AccountStatus;
  last_error: AccountError | null;
  created_at: Date | string;
  updated_at: Date | string;
}

const COLUMNS = 'tenant_id, id, integration, context, secrets, base_url, token_url, overrides, status, last_error, created_at, updated_at';

const MAX_CACHED = 1000;

/**
 * Accounts by tenant: every query names the tenant, so one tenant's id never finds another's account.
 * A read is remembered for `cacheMs` (2 s): a busy account costs one query and one decryption per interval
 * instead of one per call. This process's writes drop the entry at once; another instance's show within the interval.
 */
export class AccountRepository {
  private readonly cache = new Map<string, { account: StoredAccount; until: number }>();

  constructor(private readonly db: SqlClient, private readonly box: SecretBox, private readonly cacheMs = 2000) {}

  async insert(tenant: string, id: string, fields: AccountFields): Promise<StoredAccount> {
    const rows = await this.written(tenant, id, () => this.db.query<Row>(
      `INSERT INTO integrated_accounts (tenant_id, id, integration, context, secrets, base_url, token_url, overrides, status, last_error)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${COLUMNS}`,
      [tenant, id, ...this.values(tenant, id, fields)],
    ));
    return this.toAccount(rows[0]!);
  }

  /** Insert or replace (the sandbox's fixed accounts, re-pointed at new simulator ports on every start). */
  async upsert(tenant: string, id: string, fields: AccountFields): Promise<StoredAccount> {
    const rows = await this.written(tenant, id, () => this.db.query<Row>(
      `INSERT INTO integrated_accounts (tenant_id, id, integration, context, secrets, base_url, token_url, overrides, status, last_error)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (tenant_id, id) DO UPDATE SET integration = $3, context = $4, secrets = $5, base_url = $6, token_url = $7,
         overrides = $8, status = $9, last_error = $10, updated_at = now()
       RETURNING ${COLUMNS}`,
      [tenant, id, ...this.values(tenant, id, fields)],
    ));
    return this.toAccount(rows[0]!);
  }

  async find(tenant: string, id: string): Promise<StoredAccount | undefined> {
    const key = cacheKey(tenant, id);
    const cached = this.cache.get(key);
    if (cached && cached.until > Date.now()) return cached.account;
    const account = await this.reload(tenant, id);
    if (account && this.cacheMs > 0) {
      if (this.cache.size >= MAX_CACHED) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(key, { account, until: Date.now() + this.cacheMs });
    }
    return account;
  }

  /** The row as stored now, past the cache (an OAuth refresh must see the tokens another instance just wrote). */
  async reload(tenant: string, id: string): Promise<StoredAccount | undefined> {
    const rows = await this.db.query<Row>(`SELECT ${COLUMNS} FROM integrated_accounts WHERE tenant_id = $1 AND id = $2`, [tenant, id]);
    return rows[0] && this.toAccount(rows[0]);
  }

  /**
   * New OAuth tokens merged over the stored context in one transaction (the row locked, so an account edit landing
   * meanwhile is not lost); `secretKeys` are sealed with the other secrets. The account is active again.
   */
  async saveTokens(tenant: string, id: string, values: Record<string, unknown>, secretKeys: ReadonlySet<string>): Promise<void> {
    await this.written(tenant, id, () => this.db.transaction(async (tx) => {
      const rows = await tx.query<Row>(`SELECT ${COLUMNS} FROM integrated_accounts WHERE tenant_id = $1 AND id = $2 FOR UPDATE`, [tenant, id]);
      if (!rows[0]) return;
      const account = this.toAccount(rows[0]);
      const context = { ...account.context };
      const secrets = { ...account.secrets };
      for (const [key, value] of Object.entries(values)) {
        delete context[key];
        delete secrets[key];
        if (value === null || value === undefined) continue;
        if (secretKeys.has(key)) secrets[key] = value;
        else context[key] = value;
      }
      const sealed = Object.keys(secrets).length === 0 ? null : this.box.seal(secrets, bindingOf(tenant, id));
      await tx.query(
        `UPDATE integrated_accounts SET context = $3, secrets = $4, status = 'active', last_error = NULL, updated_at = now() WHERE tenant_id = $1 AND id = $2`,
        [tenant, id, JSON.stringify(context), sealed],
      );
    }));
  }

  /** A page in id order, after `afterId`; `integration` narrows it. */
  async list(tenant: string, options: { afterId?: string; limit: number; integration?: string }): Promise<StoredAccount[]> {
    const rows = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM integrated_accounts
       WHERE tenant_id = $1 AND ($2::text IS NULL OR id > $2) AND ($3::text IS NULL OR integration = $3)
       ORDER BY id LIMIT $4`,
      [tenant, options.afterId ?? null, options.integration ?? null, options.limit],
    );
    return rows.map((row) => this.toAccount(row));
  }

  async update(tenant: string, id: string, fields: AccountFields): Promise<StoredAccount | undefined> {
    const rows = await this.written(tenant, id, () => this.db.query<Row>(
      `UPDATE integrated_accounts SET integration = $3, context = $4, secrets = $5, base_url = $6, token_url = $7, overrides = $8,
         status = $9, last_error = $10, updated_at = now()
       WHERE tenant_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
      [tenant, id, ...this.values(tenant, id, fields)],
    ));
    return rows[0] && this.toAccount(rows[0]);
  }

  /** Only the status columns: what a call learnt about the account's credentials. */
  async setStatus(tenant: string, id: string, status: AccountStatus, lastError: AccountError | null): Promise<void> {
    await this.written(tenant, id, () => this.db.query('UPDATE integrated_accounts SET status = $3, last_error = $4, updated_at = now() WHERE tenant_id = $1 AND id = $2', [
      tenant, id, status, lastError === null ? null : JSON.stringify(lastError),
    ]));
  }

  async remove(tenant: string, id: string): Promise<boolean> {
    const rows = await this.written(tenant, id, () => this.db.query('DELETE FROM integrated_accounts WHERE tenant_id = $1 AND id = $2 RETURNING id', [tenant, id]));
    return rows.length > 0;
  }

  /** A write, with the cached read dropped after it too: a read that was under way meanwhile may have cached the old row. */
  private async written<T>(tenant: string, id: string, write: () => Promise<T>): Promise<T> {
    const key = cacheKey(tenant, id);
    this.cache.delete(key);
    try {
      return await write();
    } finally {
      this.cache.delete(key);
    }
  }

  private values(tenant: string, id: string, fields: AccountFields): unknown[] {
    const sealed = Object.keys(fields.secrets).length === 0 ? null : this.box.seal(fields.secrets, bindingOf(tenant, id));
    return [
      fields.integration,
      JSON.stringify(fields.context),
      sealed,
      fields.base_url,
      fields.token_url,
      fields.overrides === null ? null : JSON.stringify(fields.overrides),
      fields.status,
      fields.last_error === null ? null : JSON.stringify(fields.last_error),
    ];
  }

  private toAccount(row: Row): StoredAccount {
    return {
      tenant_id: row.tenant_id,
      id: row.id,
      integration: row.integration,
      context: row.context ?? {},
      secrets: row.secrets ? (this.box.open(row.secrets, bindingOf(row.tenant_id, row.id)) as Record<string, unknown>) : {},
      base_url: row.base_url,
      token_url: row.token_url,
      overrides: row.overrides,
      status: row.status,
      last_error: row.last_error,
      created_at: iso(row.created_at),
      updated_at: iso(row.updated_at),
    };
  }
}

function cacheKey(tenant: string, id: string): string {
  return JSON.stringify([tenant, id]);
}

/** What a sealed value is bound to: this tenant's account with this id (JSON, so no separator can be forged). */
function bindingOf(tenant: string, id: string): string {
  return JSON.stringify(['integrated_accounts', tenant, id]);
}

function iso(value: Date | string): string {
  return value instanceof Date ? value.toISOString() : new Date(value).toISOString();
}
