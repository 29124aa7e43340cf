import { createEngine, isUnimapError, type Engine, type IntegratedAccount, type UnifiedWarning } from '../../engine';
import { activecampaignSimulator } from '../../engine/sandbox/providers/activecampaign';
import { googleWorkspaceSimulator } from '../../engine/sandbox/providers/google-workspace';
import { microsoftEntraIdSimulator } from '../../engine/sandbox/providers/microsoft-entra-id';
import { oktaSimulator } from '../../engine/sandbox/providers/okta';
import { SALESFORCE_ROLES, salesforceSimulator } from '../../engine/sandbox/providers/salesforce';
import { slackSimulator } from '../../engine/sandbox/providers/slack';
import { smartsheetSimulator } from '../../engine/sandbox/providers/smartsheet';
import { zoomSimulator } from '../../engine/sandbox/providers/zoom';
import { startSimulator, type ProviderSimulator, type RunningSimulator } from '../../engine/sandbox/simulator';

/**
 * One unified body goes to every integration: the seed's full create body (every request field of the create page)
 * succeeds on each user-directory integration that creates users, mapping what it supports and reporting the rest
 * as warnings; strict mode refuses it, naming each field the integration cannot write.
 */
const SEED_CREATE_BODY = {
  name: 'Ada Lovelace',
  emails: [{ email: 'ada@example.com', type: 'work', is_primary: true }],
  password: 'Analytical-Engine-1843!',
  username: 'ada@example.com',
  group: 4,
  first_name: 'Ada',
  last_name: 'Lovelace',
  phones: [{ number: '+44 20 7946 0000', extension: '12', type: 'mobile' }],
  roles: [{ id: Object.keys(SALESFORCE_ROLES)[0]!, name: 'CEO' }],
  timezone: 'Europe/London',
  languages: ['en'],
  remote_data: {},
};

interface Target {
  simulator: ProviderSimulator;
  credentials: Record<string, string>;
  account: (url: string) => Omit<IntegratedAccount, 'id'>;
}

const TARGETS: Record<string, Target> = {
  activecampaign: {
    simulator: activecampaignSimulator,
    credentials: { api_token: 'ac-token-0123456789' },
    account: (url) => ({ integration: 'activecampaign', context: { account: 'acme', api_token: 'ac-token-0123456789' }, base_url: `${url}/api/3` }),
  },
  'google-workspace': {
    simulator: googleWorkspaceSimulator,
    credentials: { access_token: 'ya29.token-0123456789' },
    account: (url) => ({ integration: 'google-workspace', context: { access_token: 'ya29.token-0123456789' }, base_url: url }),
  },
  'microsoft-entra-id': {
    simulator: microsoftEntraIdSimulator,
    credentials: { access_token: 'eyJ.graph-token.0123456789' },
    account: (url) => ({ integration: 'microsoft-entra-id', context: { access_token: 'eyJ.graph-token.0123456789' }, base_url: url }),
  },
  okta: {
    simulator: oktaSimulator,
    credentials: { api_token: 'okta-token-0123456789' },
    account: (url) => ({ integration: 'okta', context: { subdomain: 'acme', api_token: 'okta-token-0123456789' }, base_url: url }),
  },
  salesforce: {
    simulator: salesforceSimulator(),
    credentials: { access_token: '00D!sf-token-0123456789' },
    account: (url) => ({ integration: 'salesforce', context: { instance_url: 'https://acme.my.salesforce.com', access_token: '00D!sf-token-0123456789', default_profile_id: '00e5e00000StdUsAAA' }, base_url: url }),
  },
  slack: {
    simulator: slackSimulator,
    credentials: { access_token: 'xoxp-token-0123456789' },
    account: (url) => ({ integration: 'slack', context: { access_token: 'xoxp-token-0123456789' }, base_url: url }),
  },
  smartsheet: {
    simulator: smartsheetSimulator,
    credentials: { access_token: 'smartsheet-token-0123456789' },
    account: (url) => ({ integration: 'smartsheet', context: { access_token: 'smartsheet-token-0123456789' }, base_url: `${url}/2.0` }),
  },
  zoom: {
    simulator: zoomSimulator,
    credentials: { access_token: 'zoom-token-0123456789' },
    account: (url) => ({ integration: 'zoom', context: { access_token: 'zoom-token-0123456789' }, base_url: url }),
  },
};

describe.each(Object.entries(TARGETS))('%s: the seed\'s full create body', (integration, target) => {
  let sim: RunningSimulator;
  let engine: Engine;
  const account = { integratedAccountId: integration };
  beforeAll(async () => {
    sim = await startSimulator(target.simulator, target.credentials);
    engine = createEngine({ accounts: [{ id: integration, ...target.account(sim.url) }], maxRetryWaitMs: 0 });
  });
  afterAll(() => sim.close());
  beforeEach(() => {
    sim.store.clear();
    sim.requests.length = 0;
  });

  const supported = () => engine.registry.integrations.get(integration)!.resources.get('user-directory/users')!.methods.get('create')!.supported;
  const unsupported = () => Object.keys(SEED_CREATE_BODY).filter((field) => field !== 'remote_data' && !supported().includes(field)).sort();

  test('succeeds, mapping what it supports and warning about each field it left out', async () => {
    const outcome = await engine.call({ category: 'user-directory', resource: 'users', method: 'create', body: SEED_CREATE_BODY, ...account });
    expect(outcome.kind).toBe('record');
    expect(outcome.result).toHaveProperty('id', expect.any(String));
    expect(outcome.warnings.map((w: UnifiedWarning) => w.field).sort()).toEqual(unsupported());
    for (const warning of outcome.warnings) expect(warning).toMatchObject({ code: 'UNIMAP_W_UNSUPPORTED_FIELD', integration });
  });

  test('with truto_strict_fields it is refused before anything is sent, naming each field', async () => {
    if (unsupported().length === 0) return;
    const error = await engine.call({ category: 'user-directory', resource: 'users', method: 'create', body: SEED_CREATE_BODY, ...account, query: { truto_strict_fields: true } }).catch((e: unknown) => e);
    expect(isUnimapError(error) && error.code).toBe('UNIMAP_E_REQ_UNSUPPORTED_FIELDS');
    expect((error as { details: Array<{ field: string }> }).details.map((d) => d.field).sort()).toEqual(unsupported());
    expect(sim.requests).toHaveLength(0);
  });
});

test('strict per engine, relaxed per call', async () => {
  const sim = await startSimulator(oktaSimulator, { api_token: 'okta-token-0123456789' });
  try {
    const accounts = [{ id: 'okta', ...TARGETS['okta']!.account(sim.url) }];
    const strict = createEngine({ accounts, unsupportedFields: 'reject' });
    const body = { first_name: 'Ada', last_name: 'Lovelace', emails: [{ email: 'ada@example.com' }], group: 4 };
    await expect(strict.create('user-directory', 'users', body, { integratedAccountId: 'okta' })).rejects.toMatchObject({ code: 'UNIMAP_E_REQ_UNSUPPORTED_FIELDS' });
    const warnings: UnifiedWarning[] = [];
    const user = await strict.create('user-directory', 'users', body, { integratedAccountId: 'okta', query: { truto_strict_fields: 'false' }, onWarnings: (w) => warnings.push(...w) });
    expect(user.first_name).toBe('Ada');
    expect(warnings).toEqual([expect.objectContaining({ field: 'group' })]);
  } finally {
    await sim.close();
  }
});
