import { change, cli, useTinyMappings } from '../helpers/tiny-integration';

// Mistakes authors used to make without a word from unimap: each is now reported with file:line:column, the line
// and a caret. The texts below are the whole messages, from the file path inside the mappings folder on.
const dir = useTinyMappings();
const USERS = 'acme/user-directory/users.yaml';
const FIXTURES = 'acme/tests/user-directory.users.yaml';

async function validate(...flags: string[]) {
  const result = await cli(dir(), 'validate', ...flags);
  // positions are relative to the working directory; the tests compare from the integration folder on
  return { ...result, err: result.err.replace(/^.*?(?=acme\/)/gm, '') };
}

test('the tiny integration is clean, even under --strict', async () => {
  expect(await validate('--strict')).toMatchObject({ code: 0, err: '' });
});

test('an unterminated {{ template is an error at its column, not text sent URL-encoded', async () => {
  change(dir(), USERS, 'path: "/users/{{ $params.id }}"', 'path: "/users/{{ $params.id }"');
  const { code, err } = await validate();
  expect(code).toBe(1);
  expect(err).toContain([
    `${USERS}:13:41: error UNIMAP_E_DEF_JSONATA: unterminated template hole: "{{" has no closing "}}" ("{{ $params.id }") (at /get/request/path)`,
    '  13 |   request: { method: GET, path: "/users/{{ $params.id }" }',
    '     |                                         ^',
  ].join('\n'));
});

test('a stray }} and an empty hole are errors too', async () => {
  change(dir(), USERS, 'path: "/users/{{ $params.id }}"', 'path: "/users/{{ }}/{ $params.id }}"');
  const { err } = await validate();
  expect(err).toContain(`${USERS}:13:41: error UNIMAP_E_DEF_JSONATA: empty template hole "{{ }}": put a JSONata expression inside, e.g. {{ $params.id }} (at /get/request/path)`);
  expect(err).toContain(`${USERS}:13:60: error UNIMAP_E_DEF_JSONATA: "}}" without an opening "{{"; a template hole is written {{ expression }} (at /get/request/path)`);
});

test('a response mapping reading a remote field no fixture answer has is a warning with "did you mean"', async () => {
  change(dir(), USERS, '"title": jobTitle', '"title": jobtitle');
  const { code, err } = await validate();
  expect(code).toBe(0);
  // reported once, at the anchored text, naming the alias that uses it too
  expect(err).toBe([
    `${USERS}:9:16: warning UNIMAP_E_DEF_REFERENCE: the mapping reads the remote field "jobtitle", which no answer in acme's fixtures contains (did you mean "jobTitle"?); this anchored text is also used by *user at line 14 (/get/response) (at /list/response)`,
    '   9 |       "title": jobtitle',
    '     |                ^',
    '',
  ].join('\n'));
  expect((await validate('--strict')).code).toBe(1);
});

test('a fixture case with an empty expect is refused: it would pass on any output', async () => {
  change(dir(), FIXTURES, '    expect: { error: UNIMAP_E_REMOTE_HTTP }', '    expect: {}');
  const { code, err } = await validate();
  expect(code).toBe(1);
  expect(err).toBe([
    `${FIXTURES}:30:13: error UNIMAP_E_DEF_SCHEMA: case "get of an unknown id is a 404": expect needs result (the exact unified output) or error (the code the call fails with); without either the case passes on any output (at /cases/3/expect)`,
    '  30 |     expect: {}',
    '     |             ^',
    '',
  ].join('\n'));
});

test('a misspelt fixture key gets "did you mean", at its line', async () => {
  change(dir(), FIXTURES, '    exchanges:\n      - request: { method: GET, path: /users/7 }', '    exchange:\n      - request: { method: GET, path: /users/7 }');
  const { code, err } = await validate();
  expect(code).toBe(1);
  expect(err).toContain(`${FIXTURES}:20:5: error UNIMAP_E_DEF_SCHEMA: unknown key "exchange" (did you mean "exchanges"?); expected one of: name, method, id, body, query, context, pages, exchanges, expect, overrides (at /cases/2/exchange)`);
  expect(err).toContain(`${FIXTURES}:17:5: error UNIMAP_E_DEF_SCHEMA: missing required key "exchanges" (at /cases/2)`);
});

test('an unknown error code and a method the resource lacks get "did you mean" too', async () => {
  change(dir(), FIXTURES, 'expect: { error: UNIMAP_E_REMOTE_HTTP }', 'expect: { error: UNIMAP_E_REMOTE_HTTTP }');
  expect((await validate()).err).toContain(`${FIXTURES}:30:22: error UNIMAP_E_DEF_SCHEMA: unknown error code "UNIMAP_E_REMOTE_HTTTP" (did you mean "UNIMAP_E_REMOTE_HTTP"?); codes are listed in docs/errors.md (at /cases/3/expect/error)`);
  change(dir(), FIXTURES, 'expect: { error: UNIMAP_E_REMOTE_HTTTP }', 'expect: { error: UNIMAP_E_REMOTE_HTTP }');
  change(dir(), FIXTURES, '    method: get\n    id: "7"', '    method: gte\n    id: "7"');
  expect((await validate()).err).toContain(`${FIXTURES}:18:13: error UNIMAP_E_DEF_REFERENCE: case "get maps one user": user-directory/users has no method "gte" (did you mean "get"?); it has list, get (at /cases/2/method)`);
});

test('a JSONata error inside an anchored expression is reported once, naming the aliases that use it', async () => {
  change(dir(), USERS, '"id": $str(id),', '"id": $str(id)),');
  const { code, err } = await validate();
  expect(code).toBe(1);
  expect(err).toBe([
    `${USERS}:8:21: error UNIMAP_E_DEF_JSONATA: JSONata S0202: Expected "}", got ")"; this anchored text is also used by *user at line 14 (/get/response) (at /list/response)`,
    '   8 |       "id": $str(id)),',
    '     |                     ^',
    '',
  ].join('\n'));
});

test('a problem about one use of an anchored value points at the alias, not at the anchor', async () => {
  change(dir(), USERS, '  response_supported: [id, title]\nget:', '  response_supported: &fields [id, title]\nget:');
  change(dir(), USERS, '  response: *user\n  response_supported: [id, title]', '  response: *user\n  response_supported: *fields');
  change(dir(), FIXTURES, '    expect: { result: { id: "7", title: Analyst, remote_data: { id: 7, jobTitle: Analyst } } }', '    expect: { result: { id: "7", remote_data: { id: 7, jobTitle: Analyst } } }');
  const { err } = await validate();
  expect(err).toContain(`${USERS}:15:23: warning UNIMAP_E_DEF_DECLARED: "title" is declared in response_supported but no fixture output of get contains it (at /get/response_supported/1)`);
});

describe('YAML syntax errors point at the mistake, with the line and a caret at its column', () => {
  test('an unclosed quote: where the string opens', async () => {
    change(dir(), USERS, 'path: "/users/{{ $params.id }}" }', 'path: "/users/{{ $params.id }} }');
    const { err } = await validate();
    expect(err).toContain([
      `${USERS}:13:33: error UNIMAP_E_LOAD_YAML: YAML syntax error: this " is never closed: add the missing " (Missing closing "quote)`,
      '  13 |   request: { method: GET, path: "/users/{{ $params.id }} }',
      '     |                                 ^',
    ].join('\n'));
  });

  test('a badly indented key: its first character, not column 1', async () => {
    change(dir(), USERS, '  records: users', '   records: users');
    const { err } = await validate();
    expect(err).toContain([
      `${USERS}:4:4: error UNIMAP_E_LOAD_YAML: YAML syntax error: All mapping items must start at the same column`,
      '   4 |    records: users',
      '     |    ^',
    ].join('\n'));
  });

  test('an unclosed flow mapping: where it opens', async () => {
    change(dir(), USERS, 'request: { method: GET, path: /users }', 'request: { method: GET, path: /users');
    const { err } = await validate();
    expect(err).toContain(`${USERS}:3:12: error UNIMAP_E_LOAD_YAML: YAML syntax error: this { is never closed: add the missing }`);
  });

  test('an alias naming no anchor', async () => {
    change(dir(), USERS, 'response: *user', 'response: *usr');
    const { err } = await validate();
    expect(err).toContain(`${USERS}:14:13: error UNIMAP_E_LOAD_YAML: YAML syntax error: alias *usr names no anchor: set &usr on a value above it`);
  });
});
