import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CATALOGUE, UnimapError, isUnimapError } from '../../engine';
import { renderErrorsPage } from '../../engine/docs/errors-page';
import { packageRoot } from '../../engine/package-paths';

test('docs/errors.md lists exactly the catalogue (regenerate with `unimap docs`)', () => {
  const page = readFileSync(join(packageRoot(), 'docs', 'errors.md'), 'utf8');
  expect(page).toBe(renderErrorsPage());
  const documented = [...page.matchAll(/^\| `(UNIMAP_E_[A-Z_]+)`/gm)].map((m) => m[1]);
  expect(documented).toEqual(Object.keys(ERROR_CATALOGUE));
});

test('codes follow UNIMAP_E_<STAGE>_<WHAT>', () => {
  for (const code of Object.keys(ERROR_CATALOGUE)) expect(code).toMatch(/^UNIMAP_E_(LOAD|DEF|MAP|REQ|AUTH|REMOTE|FMT|SERVER|ENGINE)_[A-Z_]+$/);
});

test('errors carry catalogue status and retriable, and guards work on plain objects too', () => {
  const error = new UnimapError('UNIMAP_E_REMOTE_TIMEOUT', 'slow');
  expect(error).toMatchObject({ status: 504, retriable: true, code: 'UNIMAP_E_REMOTE_TIMEOUT' });
  expect(error.toJSON()).toMatchObject({ statusCode: 504, code: 'UNIMAP_E_REMOTE_TIMEOUT', message: 'slow' });
  expect(isUnimapError({ name: 'UnimapError', code: 'UNIMAP_E_REMOTE_TIMEOUT' })).toBe(true);
  expect(isUnimapError(new Error('x'))).toBe(false);
  expect(isUnimapError({ name: 'UnimapError', code: 'UNIMAP_E_MADE_UP' })).toBe(false);
});

test('switch (error.code) narrows details to that code\'s shape', () => {
  const thrown: unknown = new UnimapError('UNIMAP_E_REQ_MISSING_FIELDS', 'missing', { details: [{ field: 'emails', required_by: 'okta' }] });
  if (!isUnimapError(thrown)) throw new Error('not a UnimapError');
  switch (thrown.code) {
    case 'UNIMAP_E_REQ_MISSING_FIELDS':
      // compiles only because details is narrowed to Array<{ field; required_by }>
      expect(thrown.details?.map((d) => `${d.field}@${d.required_by}`)).toEqual(['emails@okta']);
      break;
    default:
      throw new Error(`unexpected ${thrown.code}`);
  }
});
