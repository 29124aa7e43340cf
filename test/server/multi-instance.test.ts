import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { openServerStore, type ServerStore } from '../../engine/server';
import { protectedBy, startOAuthProvider, type RunningOAuthProvider } from '../../engine/sandbox/oauth';
import { salesforceSimulator } from '../../engine/sandbox/providers/salesforce';
import { startSimulator, type RunningSimulator } from '../../engine/sandbox/simulator';
import { packageRoot } from '../../engine/package-paths';
import { describeWithPostgres, testDatabaseUrlFor, useTestSchema } from '../helpers/postgres-available';

// Several `unimap serve` processes on one PostgreSQL database, as a deployment runs them: OAuth renewals happen once
// per account across all of them, with the latest (rotating, single-use) refresh token, and survive an instance
// killed in the middle of one.
jest.setTimeout(180_000);

const APP = { client_id: 'sf-consumer-key', client_secret: 'sf-consumer-secret-0123456789' };
const TENANT = 'acme';
const ROUNDS = 20;
const CALLS = 50;

interface Instance {
  url: string;
  process: ChildProcess;
}

describeWithPostgres('two server instances sharing PostgreSQL, one OAuth account', () => {
  const schema = useTestSchema();
  const env = {
    ...process.env,
    UNIMAP_DATABASE_URL: testDatabaseUrlFor(schema),
    UNIMAP_SECRET_KEY: randomBytes(32).toString('base64'),
    UNIMAP_OAUTH_APPS: JSON.stringify({ salesforce: APP }),
    UNIMAP_REDIS_URL: process.env['UNIMAP_TEST_REDIS_URL'] || 'redis://127.0.0.1:6379',
  };
  /** Strict rotation: a refresh token used twice revokes its whole family (Zoom, Auth0 without a reuse interval). */
  let auth: RunningOAuthProvider;
  /** Rotation with a 30 s grace for the previous refresh token (Okta's setting). */
  let lenient: RunningOAuthProvider;
  let api: RunningSimulator;
  let store: ServerStore;
  let apiKey: string;
  const running: Instance[] = [];

  beforeAll(async () => {
    auth = await startOAuthProvider({ clients: [APP], refreshTokens: { rotate: true, reuseDetection: true } });
    lenient = await startOAuthProvider({ clients: [APP], refreshTokens: { rotate: true, reuseDetection: true, graceSeconds: 30 } });
    const either = { introspect: (token: string) => auth.introspect(token) ?? lenient.introspect(token) };
    api = await startSimulator(protectedBy(salesforceSimulator(), either), { access_token: '\u0000' });
    store = await openServerStore({ databaseUrl: env.UNIMAP_DATABASE_URL, env });
    apiKey = (await store.keys.create(TENANT)).key;
    running.push(...(await Promise.all([startInstance(), startInstance()])));
  });
  afterAll(async () => {
    for (const instance of running) instance.process.kill('SIGKILL');
    await store?.close();
    await api?.close();
    await auth?.close();
    await lenient?.close();
  });

  /** An account that connected earlier: tokens as the provider issued them, the access token already expired. */
  async function connectedAccount(id: string, provider = auth): Promise<void> {
    const issued = provider.issue(APP.client_id, { expired: true });
    await store.accounts.insert(TENANT, id, {
      integration: 'salesforce',
      context: { instance_url: 'https://acme.my.salesforce.com', expires_at: new Date(Date.now() - 1000).toISOString() },
      secrets: { access_token: issued.access_token, refresh_token: issued.refresh_token },
      base_url: api.url,
      token_url: provider.tokenUrl,
      overrides: null,
      status: 'active',
      last_error: null,
    });
  }

  /** The stored access token expires (the provider's clock and the account's expires_at both say so). */
  async function expire(id: string, provider = auth): Promise<void> {
    provider.expireAccessTokens();
    await store.accounts.saveTokens(TENANT, id, { expires_at: new Date(Date.now() - 1000).toISOString() }, new Set());
  }

  const list = (instance: Instance, id: string) =>
    fetch(`${instance.url}/unified/user-directory/users?integrated_account_id=${id}`, { headers: { authorization: `Bearer ${apiKey}` } });

  test(`${CALLS} concurrent calls through both instances with an expired token: one refresh, every call answered, over ${ROUNDS} rounds of rotation`, async () => {
    await connectedAccount('rounds');
    const refreshesBefore = auth.refreshCount();
    for (let round = 1; round <= ROUNDS; round++) {
      await expire('rounds');
      const answers = await Promise.all(Array.from({ length: CALLS }, (_, i) => list(running[i % 2]!, 'rounds')));
      const statuses = answers.map((a) => a.status);
      expect(statuses.filter((s) => s !== 200)).toEqual([]);
      expect(auth.refreshCount() - refreshesBefore).toBe(round);
    }
    expect(auth.tokenRequests.filter((r) => r.status !== 200)).toEqual([]);
    const stored = await store.accounts.reload(TENANT, 'rounds');
    expect(stored).toMatchObject({ status: 'active', last_error: null });
    expect(auth.introspect(String(stored!.secrets['access_token']))).not.toBeNull();
  });

  // The provider commits a rotation even when the client that asked died before reading the answer; only its grace
  // for the previous refresh token lets anyone continue then (without one, the account needs reconnecting: see README).
  test('an instance killed while its refresh is in flight leaves the account usable: the other renews once the lock is free', async () => {
    await connectedAccount('killed', lenient);
    await expire('killed', lenient);
    const [victim, survivor] = running as [Instance, Instance];
    const held = lenient.hold();
    const doomed = list(victim, 'killed').catch(() => undefined);
    await until(() => held.waiting() === 1);
    victim.process.kill('SIGKILL');
    await until(() => held.abandoned() === 1); // the provider saw the client go
    const answer = list(survivor, 'killed');
    // The survivor waits on the dead instance's lock until PostgreSQL drops its session, then refreshes itself.
    held.release();
    expect((await answer).status).toBe(200);
    await doomed;
    expect(lenient.tokenRequests.map((r) => [r.grant_type, r.status, r.abandoned ?? false])).toEqual([['refresh_token', 200, true], ['refresh_token', 200, false]]);
    expect((await list(survivor, 'killed')).status).toBe(200);
    running.splice(running.indexOf(victim), 1, await startInstance());
    expect((await list(running[1]!, 'killed')).status).toBe(200);
  });

  async function startInstance(): Promise<Instance> {
    // One process per instance (tsx as a loader, not its CLI, which would run the server in a child of its own).
    const child = spawn(process.execPath, ['--import', 'tsx', join(packageRoot(), 'scripts/unimap.ts'), 'serve', '--port', '0', '--allow-base-url', api.url, auth.url, lenient.url], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the instance did not start:\n${output}`)), 60_000);
      const read = (chunk: Buffer) => {
        output += chunk.toString();
        const found = /unimap serving on (http:\/\/\S+)/.exec(output);
        if (found) {
          clearTimeout(timer);
          resolve(found[1]!);
        }
      };
      child.stdout!.on('data', read);
      child.stderr!.on('data', read);
      child.on('exit', (code) => reject(new Error(`the instance exited (${code}):\n${output}`)));
    });
    return { url, process: child };
  }
});

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
  if (!condition()) throw new Error('the condition never held');
}
