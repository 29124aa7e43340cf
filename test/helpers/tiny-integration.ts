import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { main } from '../../engine/cli/main';

/**
 * A small valid integration ("acme": list and get of user-directory/users, with fixtures) written into a fresh
 * mappings folder per test, so a test can break exactly one thing and read the exact message. Its text is fixed
 * here, so line and column numbers in expectations stay true whatever happens to the shipped mappings.
 */
export const ACME_FILES: Record<string, string> = {
  'acme/integration.yaml': [
    'unimap: 1',
    'name: acme',
    'label: Acme',
    'base_url: https://api.acme.test',
    'context:',
    '  api_token: { required: true, secret: true }',
    'auth: { type: header, headers: { Authorization: "Bearer {{ $context.api_token }}" } }',
    'error: |',
    '  { "message": error.message }',
    '',
  ].join('\n'),
  'acme/user-directory/users.yaml': [
    'unimap: 1',
    'list:',
    '  request: { method: GET, path: /users }',
    '  records: users',
    '  filters: []',
    '  response: &user |',
    '    {',
    '      "id": $str(id),',
    '      "title": jobTitle',
    '    }',
    '  response_supported: [id, title]',
    'get:',
    '  request: { method: GET, path: "/users/{{ $params.id }}" }',
    '  response: *user',
    '  response_supported: [id, title]',
    '',
  ].join('\n'),
  'acme/tests/user-directory.users.yaml': [
    'unimap: 1',
    'resource: user-directory/users',
    'context: { api_token: fixture-token-0123456789 }',
    'cases:',
    '  - name: list maps the users',
    '    method: list',
    '    exchanges:',
    '      - request: { method: GET, path: /users }',
    '        response: { body: { users: [ { id: 7, jobTitle: Analyst } ] } }',
    '    expect: { result: { result: [ { id: "7", title: Analyst, remote_data: { id: 7, jobTitle: Analyst } } ], next_cursor: false, result_count: 1 } }',
    '  - name: list with a bad token is a 401',
    '    method: list',
    '    exchanges:',
    '      - request: { method: GET, path: /users }',
    '        response: { status: 401, body: { error: { message: Bad token } } }',
    '    expect: { error: UNIMAP_E_REMOTE_HTTP, message: "Acme answered 401: Bad token" }',
    '  - name: get maps one user',
    '    method: get',
    '    id: "7"',
    '    exchanges:',
    '      - request: { method: GET, path: /users/7 }',
    '        response: { body: { id: 7, jobTitle: Analyst } }',
    '    expect: { result: { id: "7", title: Analyst, remote_data: { id: 7, jobTitle: Analyst } } }',
    '  - name: get of an unknown id is a 404',
    '    method: get',
    '    id: "8"',
    '    exchanges:',
    '      - request: { method: GET, path: /users/8 }',
    '        response: { status: 404, body: { error: { message: No user 8 } } }',
    '    expect: { error: UNIMAP_E_REMOTE_HTTP }',
    '',
  ].join('\n'),
};

/** A fresh mappings folder per test holding acme (and `extra` files, e.g. a second integration); removed after. */
export function useTinyMappings(extra: Record<string, string> = {}): () => string {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'unimap-tiny-'));
    for (const [path, text] of Object.entries({ ...ACME_FILES, ...extra })) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  return () => dir;
}

/** Replace `from` (which must occur) in a file of the folder. */
export function change(dir: string, path: string, from: string, to: string): void {
  const file = join(dir, path);
  const text = readFileSync(file, 'utf8');
  if (!text.includes(from)) throw new Error(`${path} does not hold ${JSON.stringify(from)}`);
  writeFileSync(file, text.replace(from, to));
}

/** Run the CLI in-process with `--mappings dir`. */
export async function cli(dir: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['--mappings', dir, ...argv], { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) });
  return { code, out, err };
}
