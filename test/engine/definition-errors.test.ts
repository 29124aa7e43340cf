import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileRegistry } from '../../engine/compile/compile-registry';
import { defaultSchemasDir } from '../../engine/package-paths';
import { createEngine, isUnimapError } from '../../engine';
import { renderProblem } from '../../engine/validate/problem';
import { editFile as edit, useOktaCopy } from '../helpers/definition-copy';

// Each test breaks a temporary copy of the Okta definitions and checks the problem names the exact place.
const copy = useOktaCopy();
const usersFile = () => join(copy(), 'okta', 'user-directory', 'users.yaml');
const integrationFile = () => join(copy(), 'okta', 'integration.yaml');

function problemsOf() {
  const result = compileRegistry(copy(), defaultSchemasDir(), copy());
  return { ...result, rendered: result.problems.map((p) => renderProblem(p, result.sources.get(p.position.file))) };
}

test('the shipped Okta definitions have no problems', () => {
  expect(problemsOf().problems).toEqual([]);
});

test('a YAML syntax error names file:line:column', () => {
  const line = edit(usersFile(), 'get:\n', 'get:\n  request: { method: GET\n');
  const { problems } = problemsOf();
  expect(problems[0]).toMatchObject({ code: 'UNIMAP_E_LOAD_YAML', position: { file: join('okta', 'user-directory', 'users.yaml') } });
  expect(problems[0]!.position.line).toBeGreaterThanOrEqual(line);
});

test('an unknown key is a schema problem at its line, with the expected keys and a suggestion', () => {
  const line = edit(usersFile(), '  response_supported: [id, first_name', '  respnse_supported: [id, first_name');
  const { problems, rendered } = problemsOf();
  expect(problems).toHaveLength(1);
  expect(problems[0]).toMatchObject({ code: 'UNIMAP_E_DEF_SCHEMA', position: { line, column: 3, pointer: '/list/respnse_supported' } });
  expect(problems[0]!.message).toContain('unknown key "respnse_supported" (did you mean "response_supported"?)');
  expect(problems[0]!.message).toContain('expected one of: unsupported, description, request');
  expect(rendered[0]).toContain(`${String(line).padStart(4)} |   respnse_supported:`);
});

test('a wrong value is named with the allowed ones', () => {
  const line = edit(usersFile(), 'request: { method: GET, path: /api/v1/users }', 'request: { method: FETCH, path: /api/v1/users }');
  const { problems } = problemsOf();
  expect(problems[0]).toMatchObject({ code: 'UNIMAP_E_DEF_SCHEMA', position: { line, pointer: '/list/request/method' } });
  expect(problems[0]!.message).toBe('must be one of: "GET", "POST", "PUT", "PATCH", "DELETE"');
});

test('a wrong pagination type says which variants exist', () => {
  edit(integrationFile(), 'type: link_header', 'type: links');
  const { problems } = problemsOf();
  expect(problems[0]).toMatchObject({ code: 'UNIMAP_E_DEF_SCHEMA', position: { pointer: '/pagination/type' } });
});

test('a JSONata syntax error inside a block scalar points at the line and column in the YAML file', () => {
  const text = readFileSync(usersFile(), 'utf8');
  const line = text.slice(0, text.indexOf('"first_name": $str(profile.firstName),')).split('\n').length;
  edit(usersFile(), '"first_name": $str(profile.firstName),', '"first_name": $str(profile.firstName)),');
  const { problems, rendered } = problemsOf();
  expect(problems[0]).toMatchObject({ code: 'UNIMAP_E_DEF_JSONATA', position: { line, pointer: '/list/response' } });
  expect(problems[0]!.message).toMatch(/^JSONata S0\d{3}: /);
  expect(rendered[0]).toContain('"first_name": $str(profile.firstName)),');
  const column = problems[0]!.position.column;
  const sourceLine = readFileSync(usersFile(), 'utf8').split('\n')[line - 1]!;
  expect(sourceLine.slice(column - 1)).toMatch(/^\)/); // the caret sits on the stray parenthesis
});

test('a JSONata error inside a {{ }} template points into the template', () => {
  const line = edit(usersFile(), 'path: "/api/v1/users/{{ $params.id }}" }\n  response: *user', 'path: "/api/v1/users/{{ $params.id + }}" }\n  response: *user');
  const { problems } = problemsOf();
  expect(problems[0]).toMatchObject({ code: 'UNIMAP_E_DEF_JSONATA', position: { line, pointer: '/get/request/path' } });
});

test('cross-file checks: fields that are not unified fields, required outside supported, name vs folder', () => {
  edit(usersFile(), 'supported: [emails, username, first_name, last_name, phones, name, title, timezone, languages, user_type, password, groups]\n  response_supported', 'supported: [emails, username, first_name, surname]\n  response_supported');
  edit(usersFile(), '  required: []\n  supported: [emails, username, first_name, last_name, phones, name, title, timezone, languages, user_type, password, status]', '  required: [avatar]\n  supported: [emails, username, first_name, last_name, phones, name, title, timezone, languages, user_type, password, status]');
  edit(integrationFile(), 'name: okta', 'name: okta2');
  const messages = problemsOf().problems.map((p) => p.message);
  expect(messages).toEqual(expect.arrayContaining([
    expect.stringContaining('"surname" is not a unified request field of user-directory/users'),
    'required field "avatar" must also be listed in supported',
    'name "okta2" must equal its folder name "okta"',
  ]));
});

test('createEngine refuses broken definitions with every problem in one error', () => {
  edit(usersFile(), 'method: GET, path: /api/v1/users }', 'method: FETCH, path: /api/v1/users }');
  edit(integrationFile(), 'label: Okta', 'labl: Okta');
  let error: unknown;
  try {
    createEngine({ mappings: copy() });
  } catch (caught) {
    error = caught;
  }
  expect(isUnimapError(error)).toBe(true);
  expect((error as Error).message).toMatch(/2 problem\(s\)/);
  expect((error as Error).message).toContain('integration.yaml:');
});
