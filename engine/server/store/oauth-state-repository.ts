import { createHash } from 'node:crypto';
import type { SecretBox } from './secret-box';
import type { SqlClient } from './sql-client';

/** A connect flow in progress: what the callback needs to finish it for the tenant that started it. */
export interface PendingConnection {
  tenant_id: string;
  integration: string;
  /** The account reconnected, or null for a new one. */
  account_id: string | null;
  /** The PKCE verifier the code exchange sends; a secret until then. */
  verifier: string | null;
  /** Context given at the start (a Salesforce login host, an Entra tenant), stored with the tokens. */
  context: Record<string, unknown>;
  redirect_uri: string;
  return_url: string | null;
  base_url: string | null;
  token_url: string | null;
}

interface Row {
  tenant_id: string;
  integration: string;
  account_id: string | null;
  sealed: Uint8Array;
  redirect_uri: string;
  return_url: string | null;
  base_url: string | null;
  token_url: string | null;
}

/**
 * OAuth states, single-use: the callback takes a state by deleting its row, so a replayed or concurrent second use
 * finds nothing. Only the state's hash is stored (the state travels in URLs and browser history); the verifier and
 * the context are sealed and bound to that hash.
 */
export class OAuthStateRepository {
  constructor(private readonly db: SqlClient, private readonly box: SecretBox, private readonly ttlMs: number) {}

  async save(state: string, pending: PendingConnection): Promise<Date> {
    const hash = hashState(state);
    const expiresAt = new Date(Date.now() + this.ttlMs);
    await this.db.query(
      `INSERT INTO oauth_states (state_hash, tenant_id, integration, account_id, sealed, redirect_uri, return_url, base_url, token_url, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [hash, pending.tenant_id, pending.integration, pending.account_id, this.box.seal({ verifier: pending.verifier, context: pending.context }, bindingOf(hash)),
        pending.redirect_uri, pending.return_url, pending.base_url, pending.token_url, expiresAt.toISOString()],
    );
    return expiresAt;
  }

  /** The pending connection of a state, removed as it is read; undefined when unknown, used or expired. */
  async take(state: string): Promise<PendingConnection | undefined> {
    const hash = hashState(state);
    const rows = await this.db.query<Row>(
      `DELETE FROM oauth_states WHERE state_hash = $1 RETURNING tenant_id, integration, account_id, sealed, redirect_uri, return_url, base_url, token_url, expires_at > now() AS live`,
      [hash],
    );
    const row = rows[0] as (Row & { live: boolean }) | undefined;
    if (!row?.live) return undefined;
    const opened = this.box.open(row.sealed, bindingOf(hash)) as { verifier: string | null; context: Record<string, unknown> };
    return { ...row, verifier: opened.verifier, context: opened.context };
  }

  async purgeExpired(): Promise<void> {
    await this.db.query('DELETE FROM oauth_states WHERE expires_at < now()');
  }
}

function hashState(state: string): string {
  return createHash('sha256').update(state, 'utf8').digest('hex');
}

function bindingOf(hash: string): string {
  return JSON.stringify(['oauth_states', hash]);
}
