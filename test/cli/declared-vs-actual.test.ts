import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../engine/cli/main';
import { editFile as edit, useOktaCopy } from '../helpers/definition-copy';

// `unimap validate` compares what a definition declares with what its JSONata and fixtures show.
const copy = useOktaCopy();
const users = () => join(copy(), 'okta', 'user-directory', 'users.yaml');
const fixtures = () => join(copy(), 'okta', 'tests', 'user-directory.users.yaml');

async function validate(...flags: string[]): Promise<{ code: number; err: string }> {
  let err = '';
  const code = await main(['--mappings', copy(), 'validate', ...flags], { out: () => undefined, err: (t) => (err += `${t}\n`) });
  return { code, err };
}

test('the shipped Okta definitions are clean even under --strict', async () => {
  expect(await validate('--strict')).toEqual({ code: 0, err: '' });
});

test('a field declared supported that no request mapping reads', async () => {
  edit(users(), 'supported: [emails, username, first_name, last_name, phones, name, title, timezone, languages, user_type, password, groups]\n  response_supported', 'supported: [emails, username, first_name, last_name, phones, name, title, timezone, languages, user_type, password, groups, avatar]\n  response_supported');
  const { code, err } = await validate();
  expect(code).toBe(0); // a warning unless --strict
  expect(err).toMatch(/users\.yaml:\d+:\d+: warning UNIMAP_E_DEF_DECLARED: "avatar" is declared supported but no request mapping reads it \(at \/create\/supported\/12\)/);
  expect((await validate('--strict')).code).toBe(1);
});

test('a field the request mapping reads but supported does not declare', async () => {
  edit(users(), 'supported: [emails, username, first_name, last_name, phones, name, title, timezone, languages, user_type, password, groups]\n  response_supported', 'supported: [emails, username, first_name, last_name, name, title, timezone, languages, user_type, password, groups]\n  response_supported');
  expect((await validate()).err).toContain('the request mapping reads "phones" but supported does not declare it (at /create/body)');
});

test('a response field declared supported that no fixture output contains', async () => {
  edit(users(), 'get:\n  request: { method: GET, path: "/api/v1/users/{{ $params.id }}" }\n  response: *user\n  response_supported: [id,', 'get:\n  request: { method: GET, path: "/api/v1/users/{{ $params.id }}" }\n  response: *user\n  response_supported: [bio, id,');
  expect((await validate()).err).toContain('"bio" is declared in response_supported but no fixture output of get contains it (at /get/response_supported/0)');
});

test('a method without a success case and without an error case', async () => {
  const text = readFileSync(fixtures(), 'utf8');
  writeFileSync(fixtures(), text.slice(0, text.indexOf('  - name: delete deactivates, then deletes')));
  const { err } = await validate();
  expect(err).toContain('delete has no success fixture in mappings/okta/tests/ (at /delete)');
  expect(err).toContain('delete has no error fixture in mappings/okta/tests/ (at /delete)');
});
