import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, type Engine } from '../../engine';
import { startSimulator, type RunningSimulator } from '../../engine/sandbox/simulator';
import { cli } from '../helpers/tiny-integration';
import { readSimulatorDescription, simulatorFromDescription } from '../../engine/sandbox/describe';

// The path a new integration takes: `unimap new`, fill in the stubs, and it passes validate --strict and test, its
// docs come from one command, and the simulator description `new` wrote serves it live. No other file is touched.
let root: string;
let mappings: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'unimap-new-'));
  mappings = join(root, 'mappings');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const USERS = () => join(mappings, 'bamboohr', 'user-directory', 'users.yaml');
const DESCRIPTION = () => join(mappings, 'bamboohr', 'tests', 'user-directory.users.simulator.yaml');

/** What an author does to the stubs: replace each TODO with a real mapping of the described provider's fields. */
function fillStubs(): void {
  const fields = ['id', 'first_name', 'last_name', 'name', 'emails', 'title', 'status', 'created_at', 'updated_at'];
  const body = '$removeEmpty({ "firstName": first_name, "lastName": last_name, "displayName": name, "email": $primaryEmail(emails), "jobTitle": title })';
  const text = readFileSync(USERS(), 'utf8')
    .replace('      "id": $str(id)\n', [
      '      "id": $str(id),',
      '      "first_name": firstName,',
      '      "last_name": lastName,',
      '      "name": displayName,',
      '      "emails": [ email ? { "email": email, "type": "work", "is_primary": true } ],',
      '      "title": jobTitle,',
      '      "status": $mapValues(status, { "active": "active", "disabled": "inactive" }),',
      '      "created_at": $toIso(createdAt),',
      '      "updated_at": $toIso(updatedAt)',
      '',
    ].join('\n'))
    .replaceAll('response_supported: [id]', `response_supported: [${fields.join(', ')}]`)
    .replaceAll('  body: |\n    {}\n', `  body: |\n    ${body}\n`)
    .replaceAll('supported: []', 'supported: [first_name, last_name, name, emails, title]');
  writeFileSync(USERS(), text);
}

test('new writes a skeleton that validates and passes its own fixtures as written', async () => {
  const created = await cli(mappings, 'new', 'bamboohr', '--label', 'BambooHR');
  expect(created.code).toBe(0);
  for (const file of ['integration.yaml', 'user-directory/users.yaml', 'tests/user-directory.users.yaml', 'tests/user-directory.users.simulator.yaml']) {
    expect(existsSync(join(mappings, 'bamboohr', file))).toBe(true);
    expect(readFileSync(join(mappings, 'bamboohr', file), 'utf8')).toMatch(/^# yaml-language-server: \$schema=/);
  }
  expect(await cli(mappings, 'validate', '--strict')).toMatchObject({ code: 0, err: '' });
  const tested = await cli(mappings, 'test');
  expect(tested.out).toMatch(/^10 passed, 0 failed/m); // one success and one error case per method
  expect(tested.code).toBe(0);
  expect((await cli(mappings, 'new', 'bamboohr')).err).toMatch(/not overwriting .*user-directory\/users\.yaml/);
});

test('filled in, it passes validate --strict and test; docs come from one command', async () => {
  fillStubs();
  // the stubs' expected results no longer hold: the one command that rewrites them, then everything is green
  expect((await cli(mappings, 'test')).code).toBe(1);
  expect((await cli(mappings, 'test', '--update')).out).toMatch(/UPDATED/);
  expect(await cli(mappings, 'validate', '--strict')).toMatchObject({ code: 0, err: '' });
  expect((await cli(mappings, 'test')).code).toBe(0);

  const readme = join(root, 'README.md');
  writeFileSync(readme, '# Mine\n\n<!-- generated: integrations -->\n<!-- /generated: integrations -->\n');
  expect((await cli(mappings, 'docs', '--out', join(root, 'docs'), '--readme', readme)).code).toBe(0);
  expect(readFileSync(join(root, 'docs', 'reference', 'user-directory', 'users', 'create.md'), 'utf8')).toContain('Integrations supported: BambooHR');
  expect(readFileSync(readme, 'utf8')).toContain('| user-directory/users | BambooHR | `/users` | Bearer | page (`page`), short page | all |');
});

describe('the filled-in mapping against the simulator the written description builds', () => {
  let sim: RunningSimulator;
  let engine: Engine;
  const account = { integratedAccountId: 'acme' };
  beforeAll(async () => {
    sim = await startSimulator(simulatorFromDescription('bamboohr', readSimulatorDescription(DESCRIPTION())), { api_token: 'live-token-0123456789' });
    engine = createEngine({ mappings, accounts: [{ id: 'acme', integration: 'bamboohr', context: { api_token: 'live-token-0123456789' }, base_url: sim.url }] });
  });
  afterAll(() => sim.close());

  test('create, get, update, list and delete', async () => {
    const created = await engine.create('user-directory', 'users', { first_name: 'Grace', last_name: 'Hopper', emails: [{ email: 'grace@example.com' }], title: 'Admiral' }, account);
    expect(sim.requests[0]).toMatchObject({ method: 'POST', url: '/users', body: { firstName: 'Grace', lastName: 'Hopper', email: 'grace@example.com', jobTitle: 'Admiral' } });
    expect(created).toMatchObject({ id: '1001', first_name: 'Grace', emails: [{ email: 'grace@example.com', type: 'work', is_primary: true }], status: 'active' });
    const updated = await engine.update('user-directory', 'users', '1001', { title: 'Rear Admiral' }, account);
    expect(updated).toMatchObject({ id: '1001', title: 'Rear Admiral', last_name: 'Hopper' });
    expect(await engine.get('user-directory', 'users', '1001', account)).toMatchObject({ title: 'Rear Admiral' });
    const page = await engine.list('user-directory', 'users', account);
    expect(page).toMatchObject({ result: [{ id: '1001', title: 'Rear Admiral' }], next_cursor: null, result_count: 1 });
    expect(await engine.delete('user-directory', 'users', '1001', account)).toEqual({ id: '1001' });
    await expect(engine.get('user-directory', 'users', '1001', account)).rejects.toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP', message: 'BambooHR answered 404 [not_found]: No user with id 1001' });
  });

  test('a create the provider refuses comes back with the provider\'s own message', async () => {
    await expect(engine.create('user-directory', 'users', { first_name: 'No Mail' }, account)).rejects.toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP', status: 422, message: 'BambooHR answered 422 [invalid]: email is required' });
  });
});
