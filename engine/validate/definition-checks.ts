import type { IntegrationDef, MethodDef } from '../definition';
import type { UnifiedSchema } from '../compile/unified-schemas';
import type { YamlSource } from '../load/yaml-source';
import { checkIntegration, checkMethod } from './cross-checks';
import { validateIntegrationShape, validateResourceShape } from './definition-schema';
import type { Problem } from './problem';

/** The checks compiling a definition runs besides its own (JSONata and template syntax): format, then cross-field. */
export interface DefinitionChecks {
  integrationShape(source: YamlSource): Problem[];
  resourceShape(source: YamlSource): Problem[];
  integration(def: IntegrationDef, folder: string, source: YamlSource): Problem[];
  method(name: string, def: MethodDef, unified: UnifiedSchema, source: YamlSource, path: (string | number)[]): Problem[];
}

export const ALL_CHECKS: DefinitionChecks = {
  integrationShape: validateIntegrationShape,
  resourceShape: validateResourceShape,
  integration: checkIntegration,
  method: checkMethod,
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
