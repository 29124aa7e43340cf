import type { IntegrationDef, MethodDef } from '../definition';
import type { UnifiedSchema } from '../compile/unified-schemas';
import type { YamlSource } from '../load/yaml-source';
import type { Problem } from './problem';

/** The checks compiling a definition runs besides its own (JSONata and template syntax): format, then cross-field. */
export interface DefinitionChecks {
  integrationShape(source: YamlSource): Problem[];
  resourceShape(source: YamlSource): Problem[];
  integration(def: IntegrationDef, folder: string, source: YamlSource): Problem[];
  method(name: string, def: MethodDef, unified: UnifiedSchema, source: YamlSource, path: (string | number)[]): Problem[];
}

// Loaded when a definition is first checked: a process whose definitions were all checked before loads neither the
// format validators nor the format schemas.
const format = () => require('./definition-schema') as typeof import('./definition-schema');
const cross = () => require('./cross-checks') as typeof import('./cross-checks');

export const ALL_CHECKS: DefinitionChecks = {
  integrationShape: (source) => format().validateIntegrationShape(source),
  resourceShape: (source) => format().validateResourceShape(source),
  integration: (def, folder, source) => cross().checkIntegration(def, folder, source),
  method: (name, def, unified, source, path) => cross().checkMethod(name, def, unified, source, path),
};

/**
 * For texts an earlier load checked with this same engine and schemas, without errors (load/checked-definitions.ts):
 * the format validators are neither loaded nor run again, the biggest part of compiling one integration cold.
 */
export const CHECKED_BEFORE: DefinitionChecks = {
  integrationShape: () => [],
  resourceShape: () => [],
  integration: () => [],
  method: () => [],
};
