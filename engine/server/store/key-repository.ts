import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { SqlClient } from './sql-client';

/** A new key as shown once to whoever made it. */
export interface CreatedKey {
  id: string;
  tenant_id: string;
  key: string;
  prefix: string;
  created_at: string;
}

const KEY_PREFIX = 'umk_';

/** 32 random bytes: a key this long needs no slow hash, sha256 of it cannot be searched backwards. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export class KeyRepository {
  constructor(private readonly db: SqlClient) {}

  async create(tenant: string): Promise<CreatedKey> {
    const key = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
    const id = randomUUID();
    const prefix = key.slice(0, KEY_PREFIX.length + 6);
    const rows = await this.db.query<{ created_at: Date | string }>(
      'INSERT INTO api_keys (id, tenant_id, key_hash, prefix) VALUES ($1, $2, $3, $4) RETURNING created_at',
      [id, tenant, hashApiKey(key), prefix],
    );
    return { id, tenant_id: tenant, key, prefix, created_at: new Date(rows[0]!.created_at).toISOString() };
  }

  /** The tenant a presented key belongs to, or undefined when it is unknown or revoked. */
  async findTenant(key: string): Promise<string | undefined> {
    const rows = await this.db.query<{ tenant_id: string }>('SELECT tenant_id FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL', [hashApiKey(key)]);
    return rows[0]?.tenant_id;
  }

  /** Keys not revoked, across tenants (a first start makes one when there is none). */
  async countActive(): Promise<number> {
    const rows = await this.db.query<{ n: number }>('SELECT count(*)::int AS n FROM api_keys WHERE revoked_at IS NULL');
    return rows[0]?.n ?? 0;
  }

  async revoke(id: string): Promise<boolean> {
    const rows = await this.db.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING id', [id]);
    return rows.length > 0;
  }
}
