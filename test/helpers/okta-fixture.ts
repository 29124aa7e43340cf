import { createEngine, type Engine } from '../../engine';
import { oktaSimulator } from '../simulators/providers/okta';
import { startSimulator, type RunningSimulator } from '../simulators/simulator';

export const OKTA_TOKEN = 'okta-test-token-0123456789';
export const ACCOUNT = { integratedAccountId: 'acme-okta' };

/** A running Okta simulator and an engine whose account points at it. */
export async function startOkta(): Promise<{ sim: RunningSimulator; engine: Engine }> {
  const sim = await startSimulator(oktaSimulator, { api_token: OKTA_TOKEN });
  const engine = createEngine({
    accounts: [
      { id: 'acme-okta', integration: 'okta', context: { subdomain: 'acme', api_token: OKTA_TOKEN }, base_url: sim.url },
      { id: 'wrong-token', integration: 'okta', context: { subdomain: 'acme', api_token: 'not-the-token-000' }, base_url: sim.url },
      { id: 'no-token', integration: 'okta', context: { subdomain: 'acme' }, base_url: sim.url },
      { id: 'evil-subdomain', integration: 'okta', context: { subdomain: 'evil.com/x?', api_token: OKTA_TOKEN } },
      { id: 'ghost', integration: 'nope', context: {} },
    ],
    maxRetryWaitMs: 2000,
  });
  return { sim, engine };
}

export const ada = {
  first_name: 'Ada',
  last_name: 'Lovelace',
  emails: [{ email: 'ada@example.com', type: 'work', is_primary: true }],
  phones: [{ number: '+44 20 7946 0000', type: 'mobile' }],
};
