/**
 * Another process using the same Redis budgets: `node --import tsx test/helpers/rate-limit-child.ts`, configured by
 * env UNIMAP_CHILD_CONFIG. It says `ready`, waits for a line on stdin, makes its calls at once, prints how they went (and any
 * notice that Redis failed).
 */
import { createInterface } from 'node:readline';
import { createEngine, isUnimapError } from '../../engine';
import { PACED_TOKEN } from './paced-integration';

interface ChildConfig {
  mappings: string;
  baseUrl: string;
  redisUrl: string;
  keyPrefix: string;
  accountId: string;
  calls: number;
}

const config = JSON.parse(process.env['UNIMAP_CHILD_CONFIG'] ?? '{}') as ChildConfig;
const warnings: string[] = [];
const engine = createEngine({
  mappings: config.mappings,
  accounts: [{ id: config.accountId, integration: 'paced', context: { api_token: PACED_TOKEN }, base_url: config.baseUrl }],
  rateLimits: { redis: config.redisUrl, keyPrefix: config.keyPrefix, warn: (message) => warnings.push(message) },
});
const lines = createInterface({ input: process.stdin });
lines.once('line', () => {
  void (async () => {
    const outcomes = await Promise.allSettled(Array.from({ length: config.calls }, () => engine.list('user-directory', 'users', { integratedAccountId: config.accountId })));
    const failed = outcomes.flatMap((o) => (o.status === 'rejected' ? [isUnimapError(o.reason) ? o.reason.code : String(o.reason)] : []));
    process.stdout.write(`${JSON.stringify({ ok: outcomes.length - failed.length, failed, warnings })}\n`);
    await engine.close();
    lines.close();
  })();
});
// Built before the parent says go, like the parent's engines: nothing but the calls runs after it.
void engine.planRequest({ category: 'user-directory', resource: 'users', method: 'list', integratedAccountId: config.accountId }).then(() => process.stdout.write('ready\n'));
