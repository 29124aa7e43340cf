/**
 * `npm run generate`: writes the files generated from the format schemas. Run it after editing
 * schemas/integration.schema.json or schemas/resource.schema.json (a test fails until the written module matches).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { formatValidatorsModule, PRECOMPILED_FORMAT_VALIDATORS } from '../engine/validate/definition-schema';
import { packageRoot } from '../engine/package-paths';

const target = join(packageRoot(), PRECOMPILED_FORMAT_VALIDATORS);
mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, formatValidatorsModule());
console.log(`wrote ${PRECOMPILED_FORMAT_VALIDATORS}`);
