import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACME_FILES, change, cli, useTinyMappings } from '../helpers/tiny-integration';

// Feedback that fits one integration at a time: a broken definition elsewhere never stops work on this one, and
// `map` tries hooks (error mapping, $steps, $headers) without a provider.
const BETA: Record<string, string> = Object.fromEntries(
  Object.entries(ACME_FILES).map(([path, text]) => [path.replace(/^acme\//, 'beta/'), text.replace('name: acme', 'name: beta').replace('label: Acme', 'label: Beta')]),
);
const dir = useTinyMappings(BETA);
const breakBeta = () => change(dir(), 'beta/user-directory/users.yaml', '"id": $str(id),', '"id": $str(id)),');
const USERS = ['--integration', 'acme', '--resource', 'user-directory/users'];

function json(name: string, value: unknown): string {
  const path = join(dir(), name);
  writeFileSync(path, JSON.stringify(value));
  return path;
}

describe('one integration at a time', () => {
  test('validate --integration and validate DIR/<integration> check only that one', async () => {
    breakBeta();
    const all = await cli(dir(), 'validate');
    expect(all.code).toBe(1);
    expect(all.out).toBe('1 integration(s) (beta not loaded), 2 method(s): 1 error(s), 0 warning(s)\n');
    expect(await cli(dir(), 'validate', '--integration', 'acme', '--strict')).toEqual({ code: 0, out: '1 integration(s), 2 method(s): 0 error(s), 0 warning(s)\n', err: '' });
    const folder = await cli(dir(), 'validate', join(dir(), 'acme'));
    expect(folder).toEqual({ code: 0, out: '1 integration(s), 2 method(s): 0 error(s), 0 warning(s)\n', err: '' });
    expect((await cli(dir(), 'validate', join(dir(), 'beta'))).code).toBe(1);
  });

  test('test runs every other integration when one definition is broken, and says which was left out', async () => {
    breakBeta();
    const { code, out, err } = await cli(dir(), 'test');
    expect(code).toBe(1);
    expect(out).toContain('ok      acme user-directory/users get: get maps one user');
    expect(out).toMatch(/4 passed, 0 failed, skipped beta \(definition\) \(\d+ ms\)/);
    expect(err).toContain('beta/user-directory/users.yaml:8:21: error UNIMAP_E_DEF_JSONATA');
    expect(err).toContain('left out beta: 1 definition error(s), shown above (unimap validate --integration beta); the other integrations are loaded');
    expect((await cli(dir(), 'test', '--integration', 'acme')).code).toBe(0);
  });

  test('a failing case names its file and line', async () => {
    change(dir(), 'acme/tests/user-directory.users.yaml', 'id: "7", title: Analyst, remote_data: { id: 7, jobTitle: Analyst } } }', 'id: "7", title: Analist, remote_data: { id: 7, jobTitle: Analyst } } }');
    const { code, out } = await cli(dir(), 'test', '--integration', 'acme');
    expect(code).toBe(1);
    expect(out).toMatch(/FAIL {4}acme user-directory\/users get: get maps one user\n {2}at .*acme\/tests\/user-directory\.users\.yaml:17\nresult differs/);
  });

  test('map works for an integration while another is broken; map of the broken one fails with its problems', async () => {
    breakBeta();
    const ok = await cli(dir(), 'map', 'request', ...USERS, '--method', 'list');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out)).toMatchObject({ method: 'GET', url: 'https://api.acme.test/users' });
    const broken = await cli(dir(), 'map', 'request', '--integration', 'beta', '--resource', 'user-directory/users', '--method', 'list');
    expect(broken.code).toBe(1);
    expect(broken.err).toContain('error UNIMAP_E_DEF_JSONATA: the definition of beta has 1 error(s), shown above (unimap validate --integration beta)');
  });
});

describe('map without a provider', () => {
  test('map request needs no --input for list, get and delete; create and update do', async () => {
    const get = await cli(dir(), 'map', 'request', ...USERS, '--method', 'get', '--params', json('params.json', { id: 'a/b' }));
    expect(get.code).toBe(0);
    expect(JSON.parse(get.out)).toMatchObject({ method: 'GET', url: 'https://api.acme.test/users/a%2Fb', headers: { Authorization: 'Bearer [redacted]' } });
    const create = await cli(dir(), 'map', 'request', ...USERS, '--method', 'create');
    expect(create).toMatchObject({ code: 1, err: 'error UNIMAP_E_REQ_INVALID_JSON: map request --method create needs --input FILE with the unified body (JSON)\n' });
  });

  test('map response with an error status shows what the error mapping extracts', async () => {
    const { code, out } = await cli(dir(), 'map', 'response', ...USERS, '--method', 'get', '--input', json('error.json', { error: { message: 'No user 8' } }), '--status', '404');
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual({ status: 404, error_mapping: 'integration', error: { message: 'No user 8' } });
  });

  test('map response binds $status, $headers (lower-case) and $steps as given', async () => {
    change(dir(), 'acme/user-directory/users.yaml', '  response: *user\n', [
      '  response: |',
      '    { "id": $str(id), "title": $steps.profile.body.title, "etag": $headers.etag, "status": $string($status) }',
      '',
    ].join('\n'));
    const { code, out } = await cli(dir(), 'map', 'response', ...USERS, '--method', 'get',
      '--input', json('user.json', { id: 7 }), '--status', '203', '--headers', json('headers.json', { ETag: 'W/"1"' }),
      '--step', `profile=${json('profile.json', { title: 'Analyst' })}`);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ id: '7', title: 'Analyst', etag: 'W/"1"', status: '203' });
  });

  test('a --step without NAME=FILE is one clear line', async () => {
    const { code, err } = await cli(dir(), 'map', 'response', ...USERS, '--method', 'get', '--input', json('user.json', { id: 7 }), '--step', 'profile.json');
    expect({ code, err }).toEqual({ code: 1, err: 'error UNIMAP_E_REQ_INVALID_JSON: --step takes NAME=FILE (e.g. --step fetch=fetch.json); got "profile.json"\n' });
  });
});
