import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileFormatValidators, formatValidatorsModule, PRECOMPILED_FORMAT_VALIDATORS } from '../../engine/validate/definition-schema';
import { packageRoot } from '../../engine/package-paths';

const writtenPath = join(packageRoot(), PRECOMPILED_FORMAT_VALIDATORS);

describe('precompiled format validators', () => {
  test('the written module matches the format schemas', () => {
    // checked, never rewritten here: a stale module fails with the command that fixes it
    if (readFileSync(writtenPath, 'utf8') !== formatValidatorsModule()) throw new Error(`stale ${PRECOMPILED_FORMAT_VALIDATORS}: run \`npm run generate\` and commit the result`);
  });

  test('the written validators report exactly what validators compiled at load report', () => {
    const written = require(writtenPath) as ReturnType<typeof compileFormatValidators>;
    const compiled = compileFormatValidators();
    const integrations = [{ name: 'x', base_url: 'https://example.com', auth: { type: 'bearer' } }, { nme: 1 }, { name: 'x', auth: { type: 'nope' }, pagination: { type: 'cursor' } }];
    const resources = [{ list: { request: { method: 'GET', path: '/users' } } }, { list: { request: { method: 'FETCH' } } }, { lst: {} }];
    for (const [kind, inputs] of [['integration', integrations], ['resource', resources]] as const) {
      for (const input of inputs) {
        expect(written[kind](input)).toBe(compiled[kind](input));
        expect(written[kind].errors?.map((e) => [e.instancePath, e.keyword, e.message])).toEqual(compiled[kind].errors?.map((e) => [e.instancePath, e.keyword, e.message]));
      }
    }
  });
});
