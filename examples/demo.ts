/**
 * The main job on embedded defaults: start the bundled Okta simulator on 127.0.0.1, then create, update,
 * list (two pages), get and delete a user through the engine, printing the unified results.
 * No account anywhere, no network beyond loopback.
 */
import { createEngine, isUnimapError } from '../engine';
import { oktaSimulator } from '../engine/sandbox/providers/okta';
import { startSimulator } from '../engine/sandbox/simulator';

const API_TOKEN = 'demo-token-not-a-secret-00';

async function main(): Promise<void> {
  const okta = await startSimulator(oktaSimulator, { api_token: API_TOKEN });
  const engine = createEngine({
    accounts: [{ id: 'acme-okta', integration: 'okta', context: { subdomain: 'acme', api_token: API_TOKEN }, base_url: okta.url }],
  });
  const options = { integratedAccountId: 'acme-okta' };
  const show = (title: string, value: unknown) => console.log(`\n== ${title}\n${JSON.stringify(value, null, 2)}`);
  try {
    const ada = await engine.create('user-directory', 'users', {
      first_name: 'Ada', last_name: 'Lovelace', emails: [{ email: 'ada@example.com', type: 'work', is_primary: true }],
      phones: [{ number: '+44 20 7946 0000', type: 'mobile' }],
    }, { ...options, query: { truto_ignore_remote_data: true } });
    show('create (remote_data left out)', ada);
    await engine.create('user-directory', 'users', { first_name: 'Grace', last_name: 'Hopper', emails: [{ email: 'grace@example.com' }] }, options);
    show('update', await engine.update('user-directory', 'users', ada.id!, { last_name: 'King' }, { ...options, query: { truto_response_format: 'normalized' } }));
    const first = await engine.list('user-directory', 'users', { ...options, query: { limit: 1, truto_exclude_fields: ['remote_data', 'phones'] } });
    show('list, page 1 of size 1', first);
    show('list, page 2', await engine.list('user-directory', 'users', { ...options, query: { limit: 1, next_cursor: first.next_cursor!, truto_ignore_remote_data: true } }));
    show('get', await engine.get('user-directory', 'users', ada.id!, options));
    show('delete', await engine.delete('user-directory', 'users', ada.id!, options));
    try {
      await engine.get('user-directory', 'users', ada.id!, options);
    } catch (error) {
      if (!isUnimapError(error)) throw error;
      show('get after delete: a typed error', error.toJSON());
    }
    try {
      await engine.create('user-directory', 'users', { first_name: 'No', phones: 'not-an-array' }, options);
    } catch (error) {
      if (!isUnimapError(error)) throw error;
      show('bad input: a typed error', error.toJSON());
    }
  } finally {
    await okta.close();
  }
}

main().catch((error: unknown) => {
  console.error(isUnimapError(error) ? `${error.code}: ${error.message}` : error);
  process.exitCode = 1;
});
