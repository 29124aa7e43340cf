import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import integrationSchema from '../../schemas/integration.schema.json';
import resourceSchema from '../../schemas/resource.schema.json';
import type { YamlSource } from '../load/yaml-source';
import type { Problem } from './problem';

/** Validators for the definition format, built once per process (the format schemas never change at run time). */
let validators: { integration: ValidateFunction; resource: ValidateFunction } | undefined;

function getValidators(): { integration: ValidateFunction; resource: ValidateFunction } {
  if (!validators) {
    const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, strictRequired: false, discriminator: true, allowUnionTypes: true });
    addFormats(ajv);
    // Markers read by the compiler and by editors; not validation keywords.
    ajv.addKeyword({ keyword: 'x-unimap-jsonata' }).addKeyword({ keyword: 'x-unimap-template' });
    ajv.addSchema(integrationSchema);
    validators = { integration: ajv.compile(integrationSchema), resource: ajv.compile(resourceSchema) };
  }
  return validators;
}

export function validateIntegrationShape(source: YamlSource): Problem[] {
  return toProblems(getValidators().integration, source);
}

export function validateResourceShape(source: YamlSource): Problem[] {
  return toProblems(getValidators().resource, source);
}

function toProblems(validate: ValidateFunction, source: YamlSource): Problem[] {
  if (validate(source.value)) return [];
  const errors = dropBranchNoise(validate.errors ?? []);
  const seen = new Set<string>();
  const problems: Problem[] = [];
  for (const error of errors) {
    const { pointer, message } = describe(error);
    const key = `${pointer}|${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push({ code: 'UNIMAP_E_DEF_SCHEMA', message, position: source.positionOf(pointer) });
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

/** The allowed key nearest to a misspelt one (edit distance ≤ 2), to suggest a fix. */
function closest(key: string, allowed: string[]): string | undefined {
  let best: { word: string; distance: number } | undefined;
  for (const word of allowed) {
    const distance = editDistance(key, word);
    if (distance <= 2 && (!best || distance < best.distance)) best = { word, distance };
  }
  return best?.word;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}
