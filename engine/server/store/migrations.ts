import type { SqlClient } from './sql-client';

/**
 * The store's schema, as ordered migrations. Both the embedded PGlite store and a PostgreSQL one run exactly these;
 * a migration is never edited once released: a change is a new version.
 */
export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'integrated accounts, API keys, idempotency records',
    sql: `
      CREATE TABLE integrated_accounts (
        tenant_id   text NOT NULL,
        id          text NOT NULL,
        integration text NOT NULL,
        -- context values the integration does not mark secret
        context     jsonb NOT NULL DEFAULT '{}'::jsonb,
        -- the secret ones, sealed with AES-256-GCM (see secret-box.ts); bound to tenant_id and id
        secrets     bytea,
        base_url    text,
        overrides   jsonb,
        status      text NOT NULL DEFAULT 'active',
        last_error  jsonb,
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id)
      );
      CREATE TABLE api_keys (
        id         text PRIMARY KEY,
        tenant_id  text NOT NULL,
        -- sha256 of the key: the key itself is shown once and never stored
        key_hash   text NOT NULL UNIQUE,
        prefix     text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      );
      CREATE TABLE idempotency_records (
        tenant_id   text NOT NULL,
        key         text NOT NULL,
        fingerprint text NOT NULL,
        state       text NOT NULL,
        status_code integer,
        headers     jsonb,
        body        text,
        created_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, key)
      );
      CREATE INDEX idempotency_records_created_at ON idempotency_records (created_at);
    `,
  },
  {
    version: 2,
    description: 'OAuth: operator token URLs of accounts, single-use connect states',
    sql: `
      -- an operator-set token endpoint replacing the integration's (sandboxes), like base_url
      ALTER TABLE integrated_accounts ADD COLUMN token_url text;
      CREATE TABLE oauth_states (
        -- sha256 of the state: the state itself travels in URLs and is never stored
        state_hash  text PRIMARY KEY,
        tenant_id   text NOT NULL,
        integration text NOT NULL,
        -- the account the callback replaces (reconnecting), or null for a new one
        account_id  text,
        -- the PKCE verifier and the context given at the start, sealed and bound to the state (see secret-box.ts)
        sealed      bytea NOT NULL,
        redirect_uri text NOT NULL,
        return_url  text,
        base_url    text,
        token_url   text,
        created_at  timestamptz NOT NULL DEFAULT now(),
        expires_at  timestamptz NOT NULL
      );
      CREATE INDEX oauth_states_expires_at ON oauth_states (expires_at);
    `,
  },
];

/** An arbitrary constant: instances starting together take turns migrating (a PostgreSQL advisory lock). */
const MIGRATION_LOCK = 727_001;

/** Apply every migration not applied yet, each in its own transaction; returns the versions applied now. */
export async function migrate(db: SqlClient, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  const applied: number[] = [];
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    const done = await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      const rows = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [migration.version]);
      if (rows.length > 0) return false;
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO schema_migrations (version, description) VALUES ($1, $2)', [migration.version, migration.description]);
      return true;
    });
    if (done) applied.push(migration.version);
  }
  return applied;
}
