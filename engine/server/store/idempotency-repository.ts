import type { SqlClient } from './sql-client';

/** A stored answer, replayed for the same key and request. */
export interface StoredAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type Claim =
  | { kind: 'claimed' }
  | { kind: 'replay'; answer: StoredAnswer }
  | { kind: 'mismatch' }
  | { kind: 'running' };

interface Row {
  fingerprint: string;
  state: 'running' | 'done';
  status_code: number | null;
  headers: Record<string, string> | null;
  body: string | null;
  created_at: Date | string;
}

/**
 * Idempotency-Key records per tenant. A key is claimed by inserting its row; the answer is stored when the request
 * ends. Records live `ttlMs` (24 h); a claim left running longer than `staleMs` (a crashed server) may be taken over.
 */
export class IdempotencyRepository {
  constructor(private readonly db: SqlClient, private readonly ttlMs: number, private readonly staleMs: number) {}

  async claim(tenant: string, key: string, fingerprint: string): Promise<Claim> {
    return this.db.transaction(async (tx) => {
      const inserted = await tx.query(
        `INSERT INTO idempotency_records (tenant_id, key, fingerprint, state) VALUES ($1, $2, $3, 'running')
         ON CONFLICT (tenant_id, key) DO NOTHING RETURNING key`,
        [tenant, key, fingerprint],
      );
      if (inserted.length > 0) return { kind: 'claimed' } as const;
      const rows = await tx.query<Row>('SELECT fingerprint, state, status_code, headers, body, created_at FROM idempotency_records WHERE tenant_id = $1 AND key = $2 FOR UPDATE', [tenant, key]);
      const row = rows[0];
      const age = row ? Date.now() - new Date(row.created_at).getTime() : Infinity;
      if (!row || age > this.ttlMs || (row.state === 'running' && age > this.staleMs)) {
        await tx.query(
          `INSERT INTO idempotency_records (tenant_id, key, fingerprint, state) VALUES ($1, $2, $3, 'running')
           ON CONFLICT (tenant_id, key) DO UPDATE SET fingerprint = $3, state = 'running', status_code = NULL, headers = NULL, body = NULL, created_at = now()`,
          [tenant, key, fingerprint],
        );
        return { kind: 'claimed' } as const;
      }
      if (row.fingerprint !== fingerprint) return { kind: 'mismatch' } as const;
      if (row.state === 'running') return { kind: 'running' } as const;
      return { kind: 'replay', answer: { status: row.status_code ?? 200, headers: row.headers ?? {}, body: row.body ?? '' } } as const;
    });
  }

  async complete(tenant: string, key: string, answer: StoredAnswer): Promise<void> {
    await this.db.query(`UPDATE idempotency_records SET state = 'done', status_code = $3, headers = $4, body = $5 WHERE tenant_id = $1 AND key = $2`, [
      tenant, key, answer.status, JSON.stringify(answer.headers), answer.body,
    ]);
  }

  /** Forget a claim whose answer must not be replayed (a rate limit, a retriable failure, a stream). */
  async release(tenant: string, key: string): Promise<void> {
    await this.db.query(`DELETE FROM idempotency_records WHERE tenant_id = $1 AND key = $2 AND state = 'running'`, [tenant, key]);
  }

  async purgeExpired(): Promise<number> {
    const rows = await this.db.query(`DELETE FROM idempotency_records WHERE created_at < now() - ($1::double precision * interval '1 millisecond') RETURNING key`, [this.ttlMs]);
    return rows.length;
  }
}
