import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020';
import type { YamlSource } from '../load/yaml-source';
import { closest } from './did-you-mean';
import type { Problem } from './problem';

/**
 * Ajv's errors for a YAML file as positioned problems: one per place and message, an unknown key with the nearest
 * allowed one ("did you mean"). `skip` drops errors a caller reports better itself.
 */
export function schemaProblems(validate: ValidateFunction, source: YamlSource, skip: (error: ErrorObject) => boolean = () => false): Problem[] {
  if (validate(source.value)) return [];
  const errors = dropBranchNoise((validate.errors ?? []).filter((e) => !skip(e)));
  const seen = new Set<string>();
  const problems: Problem[] = [];
  for (const error of errors) {
    const { pointer, message } = describe(error);
    const key = `${pointer}|${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const position = error.keyword === 'additionalProperties' ? source.keyPositionOf(pointer) : source.positionOf(pointer);
    problems.push({ code: 'UNIMAP_E_DEF_SCHEMA', message, position });
  }
  return problems;
}

/** `oneOf` failures repeat every branch's complaint; keep the specific ones when there are any. */
function dropBranchNoise(errors: ErrorObject[]): ErrorObject[] {
  const specific = errors.filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'if');
  return specific.length > 0 ? specific : errors;
}

function describe(error: ErrorObject): { pointer: string; message: string } {
  const at = error.instancePath;
  const params = error.params as Record<string, unknown>;
  const parent = error.parentSchema as { properties?: Record<string, unknown>; enum?: unknown[] } | undefined;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params['additionalProperty']);
      const allowed = Object.keys(parent?.properties ?? {});
      const hint = closest(key, allowed);
      return {
        pointer: `${at}/${key}`,
        message: `unknown key "${key}"${hint ? ` (did you mean "${hint}"?)` : ''}; expected one of: ${allowed.join(', ')}`,
      };
    }
    case 'required':
      return { pointer: at, message: `missing required key "${String(params['missingProperty'])}"` };
    case 'enum':
      return { pointer: at, message: `must be one of: ${(params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
    case 'const':
      return { pointer: at, message: `must be ${JSON.stringify(params['allowedValue'])}` };
    case 'discriminator': {
      const mapping = (error.schema as { propertyName: string }).propertyName;
      return { pointer: `${at}/${mapping}`, message: `${mapping} ${error.message ?? 'is invalid'}; see the allowed variants in the format schema` };
    }
    default:
      return { pointer: at, message: error.message ?? `fails ${error.keyword}` };
  }
}
