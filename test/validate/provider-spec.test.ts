import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { change, cli, useTinyMappings } from '../helpers/tiny-integration';

// An integration may name its provider's OpenAPI file (`spec:`); validate then compares body keys and request paths
// with it. The spec here is a small one shipped with the tests; nothing at run time reads specs.
const SPEC = join(__dirname, '..', 'fixtures', 'specs', 'acme-openapi.json');
const USERS = 'acme/user-directory/users.yaml';

const CREATE = [
  'create:',
  '  request: { method: POST, path: /users }',
  '  body: |',
  '    { "firstName": first_name, "lastname": last_name, "address": { "cty": title }, "customFields": { "team": title } }',
  '  response: *user',
  '  supported: [first_name, last_name, title]',
  '  response_supported: [id, title]',
  '',
].join('\n');

const dir = useTinyMappings();

async function validate() {
  const result = await cli(dir(), 'validate', '--integration', 'acme');
  return { ...result, err: result.err.replace(/^.*?(?=acme\/)/gm, '') };
}

function useSpec(): void {
  copyFileSync(SPEC, join(dir(), 'acme', 'acme-openapi.json'));
  change(dir(), 'acme/integration.yaml', 'base_url:', 'spec: acme-openapi.json\nbase_url:');
}

test('a body key the spec does not know is a warning with the nearest one, at every level; open maps are not judged', async () => {
  useSpec();
  change(dir(), USERS, 'get:\n', `${CREATE}get:\n`);
  const { err } = await validate();
  expect(err).toContain(`${USERS}:15:33: warning UNIMAP_E_DEF_REFERENCE: the body writes "lastname", which Acme's spec (acme-openapi.json) does not know here (did you mean "lastName"?); it knows: firstName, lastName, workEmail, jobTitle, address, customFields (at /create/body)`);
  expect(err).toContain(`${USERS}:15:69: warning UNIMAP_E_DEF_REFERENCE: the body writes "cty", which Acme's spec (acme-openapi.json) does not know here (did you mean "city"?); it knows: city, country (at /create/body)`);
  expect(err).not.toContain('writes "team"');
  expect(err).not.toContain('writes "firstName"');
});

test('a request no operation of the spec matches is a warning (a wrong path or method)', async () => {
  useSpec();
  change(dir(), USERS, 'path: "/users/{{ $params.id }}"', 'path: "/user/{{ $params.id }}"');
  const { err } = await validate();
  expect(err).toContain(`${USERS}:13:33: warning UNIMAP_E_DEF_REFERENCE: the provider spec (acme-openapi.json) has no GET operation for /user/{{ $params.id }} (at /get/request/path)`);
});

test('a spec file that is not there is a warning at the spec key', async () => {
  change(dir(), 'acme/integration.yaml', 'base_url:', 'spec: missing-openapi.json\nbase_url:');
  const { code, err } = await validate();
  expect(code).toBe(0);
  expect(err).toContain('acme/integration.yaml:4:7: warning UNIMAP_E_DEF_REFERENCE: spec file missing-openapi.json not found (the path is relative to the integration folder) (at /spec)');
});

test('with the spec and a mapping that agrees with it, validate is clean', async () => {
  useSpec();
  expect(await validate()).toMatchObject({ code: 0, err: '' });
});
