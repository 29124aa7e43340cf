import { createEngine, isUnimapError, type Engine } from '../../engine';
import { startSimulator, type RunningSimulator } from '../../engine/sandbox/simulator';
import { rejection } from '../helpers/provider-harness';
import { readSimulatorDescription, simulatorFromDescription } from '../../engine/sandbox/describe';

// Each SCIM provider's definition (built on mappings/_scim) against its simulator description (the generic SCIM
// simulator with the provider's quirks): the engine's requests are the provider's, end to end.
const TOKEN = 'scim-test-token-0123456789';
const UD = 'user-directory';

interface Provider {
  name: string;
  /** The base path the provider's base_url holds under its host. */
  basePath: string;
  context: Record<string, string>;
  creates: Record<string, unknown>;
  canDelete: boolean;
  filtersByEmail: boolean;
}

const PROVIDERS: Provider[] = [
  { name: 'notion', basePath: '/scim/v2', context: {}, creates: { first_name: 'Ada', last_name: 'Lovelace', title: 'Analyst' }, canDelete: true, filtersByEmail: true },
  { name: 'miro', basePath: '/api/v1/scim', context: {}, creates: { first_name: 'Ada', last_name: 'Lovelace', name: 'Ada Lovelace' }, canDelete: true, filtersByEmail: true },
  { name: 'airtable', basePath: '/scim/v2', context: {}, creates: { first_name: 'Ada', last_name: 'Lovelace', title: 'Analyst' }, canDelete: true, filtersByEmail: true },
  { name: 'canva', basePath: '/_scim/v2', context: {}, creates: { first_name: 'Ada', last_name: 'Lovelace', name: 'Ada Lovelace' }, canDelete: false, filtersByEmail: false },
  { name: 'webex', basePath: '/identity/scim/org-1/v2', context: { org_id: 'org-1' }, creates: { first_name: 'Ada', last_name: 'Lovelace', title: 'Analyst', timezone: 'Europe/London' }, canDelete: true, filtersByEmail: true },
  { name: 'databricks', basePath: '/api/2.0/preview/scim/v2', context: { workspace_host: 'dbc-1.cloud.databricks.com' }, creates: { first_name: 'Ada', last_name: 'Lovelace', name: 'Ada Lovelace' }, canDelete: true, filtersByEmail: true },
];

describe.each(PROVIDERS)('$name through the shared SCIM definition and its simulator', (provider) => {
  let sim: RunningSimulator;
  let engine: Engine;
  const account = { integratedAccountId: 'acme' };
  beforeAll(async () => {
    const description = readSimulatorDescription(`mappings/${provider.name}/tests/user-directory.users.simulator.yaml`);
    sim = await startSimulator(simulatorFromDescription(provider.name, description), { access_token: TOKEN });
    engine = createEngine({
      accounts: [
        { id: 'acme', integration: provider.name, context: { ...provider.context, access_token: TOKEN }, base_url: `${sim.url}${provider.basePath}` },
        { id: 'wrong', integration: provider.name, context: { ...provider.context, access_token: 'not-the-token' }, base_url: `${sim.url}${provider.basePath}` },
      ],
      maxRetryWaitMs: 2000,
    });
  });
  afterAll(() => sim.close());

  test('create, get, list by email, update (PATCH), delete or its refusal', async () => {
    const email = 'ada@example.com';
    const created = await engine.create(UD, 'users', { ...provider.creates, emails: [{ email, is_primary: true }] }, account);
    expect(created).toMatchObject({ username: email, first_name: 'Ada', last_name: 'Lovelace', status: 'active' });
    expect(sim.requests.at(-1)!.headers['authorization']).toBe(`Bearer ${TOKEN}`);
    await engine.create(UD, 'users', { ...provider.creates, emails: [{ email: 'bob@example.com' }] }, account);

    const got = await engine.get(UD, 'users', created.id!, { ...account, query: { truto_ignore_remote_data: true } });
    expect(got).toMatchObject({ id: created.id, username: email });

    if (provider.filtersByEmail) {
      const found = await engine.list(UD, 'users', { ...account, query: { email } });
      expect(found.result.map((u) => u.username)).toEqual([email]);
    }
    const all: unknown[] = [];
    for await (const user of engine.listAll(UD, 'users', { ...account, query: { limit: 1 } })) all.push(user);
    expect(all).toHaveLength(2);

    const updated = await engine.update(UD, 'users', created.id!, { last_name: 'King', status: 'inactive' }, account);
    expect(updated).toMatchObject({ last_name: 'King', status: 'inactive' });

    if (provider.canDelete) {
      await engine.delete(UD, 'users', created.id!, account);
      const gone = await rejection(engine.get(UD, 'users', created.id!, account));
      expect(isUnimapError(gone) && gone.status).toBe(404);
    } else {
      const refused = await rejection(engine.delete(UD, 'users', created.id!, account));
      expect(isUnimapError(refused) && refused.code).toBe('UNIMAP_E_REQ_METHOD_NOT_SUPPORTED');
    }
  });

  test('a SCIM error body reaches the caller: a userName in use, a wrong token', async () => {
    const conflict = await rejection(engine.create(UD, 'users', { ...provider.creates, emails: [{ email: 'bob@example.com' }] }, account));
    expect(isUnimapError(conflict) && [conflict.status, conflict.message]).toEqual([409, expect.stringContaining('[uniqueness]')]);
    const denied = await rejection(engine.list(UD, 'users', { integratedAccountId: 'wrong' }));
    expect(isUnimapError(denied) && denied.status).toBe(401);
  });
});
