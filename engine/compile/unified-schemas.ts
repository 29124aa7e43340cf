import type Ajv2020 from 'ajv/dist/2020';
import type { ValidateFunction } from 'ajv/dist/2020';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UnimapError } from '../errors';

/** The unified model of one resource, with its validators compiled once. */
export interface UnifiedSchema {
  category: string;
  resource: string;
  /** The whole schema document (docs and the meta endpoint read descriptions from it). */
  document: UnifiedSchemaDocument;
  requestFields: (method: string) => string[];
  responseFields: string[];
  /** Unified list filters (the list_query schema's properties). */
  filterFields: string[];
  validateRequest(method: string, body: unknown): ValidateFunction['errors'];
  /** Check unified list filters (only names in filterFields) against the list_query schema: types, formats, lengths. */
  validateFilters(filters: Record<string, unknown>): ValidateFunction['errors'];
  /** A copy of `record` with keys the unified response schema does not define removed. */
  conform(record: unknown): unknown;
  /** Compile every validator now (they are otherwise compiled on first use); throws if a schema is invalid. */
  compileAll(): void;
}

export interface UnifiedSchemaDocument {
  $id: string;
  title: string;
  $defs: Record<string, { properties?: Record<string, { description?: string; type?: string; enum?: unknown[]; format?: string }>; required?: string[] }>;
}

/** Load schemas/unified/<category>/<resource>.schema.json for every resource. */
export function loadUnifiedSchemas(schemasDir: string): Map<string, UnifiedSchema> {
  const root = join(schemasDir, 'unified');
  const out = new Map<string, UnifiedSchema>();
  if (!existsSync(root)) return out;
  const ajv = schemaCompilers();
  for (const category of readdirSync(root).sort()) {
    for (const file of readdirSync(join(root, category)).filter((f) => f.endsWith('.schema.json')).sort()) {
      const resource = file.replace(/\.schema\.json$/, '');
      const path = join(root, category, file);
      let document: UnifiedSchemaDocument;
      try {
        document = JSON.parse(readFileSync(path, 'utf8')) as UnifiedSchemaDocument;
      } catch (cause) {
        throw new UnimapError('UNIMAP_E_LOAD_FILE', `cannot read unified schema ${category}/${file}`, { cause });
      }
      out.set(`${category}/${resource}`, buildUnifiedSchema(category, resource, document, ajv));
    }
  }
  return out;
}

function buildUnifiedSchema(
  category: string,
  resource: string,
  document: UnifiedSchemaDocument,
  ajv: () => SchemaCompilers,
): UnifiedSchema {
  // Validators are generated on first use, as mapping code is: a load pays only for the schemas it parses, and a
  // service only for the methods it serves. `unimap validate` compiles them all (see compileAll below).
  const label = `schemas/unified/${category}/${resource}.schema.json`;
  const added = once(label, () => ajv().validating.addSchema(document));
  const ref = (name: string) => ({ $ref: `${document.$id}#/$defs/${name}` });
  const requestValidators = new Map<string, () => ValidateFunction>();
  for (const name of Object.keys(document.$defs).filter((n) => n.endsWith('_request'))) {
    requestValidators.set(name.replace(/_request$/, ''), once(label, () => (added(), ajv().validating.compile(ref(name)))));
  }
  // The conforming copy drops unknown keys but keeps remote_data out of normalized output entirely.
  const responseDef = document.$defs['response'] ?? {};
  const conformValidator = once(label, () => ajv().conforming.compile({ ...responseDef, required: [] }));
  const filterValidator = document.$defs['list_query'] ? once(label, () => (added(), ajv().validating.compile(ref('list_query')))) : undefined;
  const responseFields = Object.keys(responseDef.properties ?? {}).filter((f) => f !== 'remote_data');
  return {
    category,
    resource,
    document,
    responseFields,
    filterFields: Object.keys(document.$defs['list_query']?.properties ?? {}),
    requestFields: (method) =>
      Object.keys(document.$defs[`${method === 'update' ? 'update' : 'create'}_request`]?.properties ?? {}).filter((f) => f !== 'remote_data'),
    validateRequest(method, body) {
      const validate = (requestValidators.get(method) ?? requestValidators.get('create'))?.();
      if (!validate || validate(body)) return null;
      return validate.errors;
    },
    validateFilters(filters) {
      const validate = filterValidator?.();
      if (!validate || validate(filters)) return null;
      return validate.errors;
    },
    conform(record) {
      const copy = structuredClone(record) as Record<string, unknown>;
      delete copy['remote_data'];
      conformValidator()(copy);
      return copy;
    },
    compileAll() {
      for (const validator of requestValidators.values()) validator();
      conformValidator();
      filterValidator?.();
    },
  };
}

interface SchemaCompilers {
  /** Request bodies and list filters: every error reported. */
  validating: Ajv2020;
  /** normalized output: keys the response schema does not define are removed. */
  conforming: Ajv2020;
}

/**
 * The Ajv instances of one load, made (and Ajv loaded) when the first validator is compiled: a process that
 * validates no unified body or filter never loads Ajv's compiler.
 */
function schemaCompilers(): () => SchemaCompilers {
  let made: SchemaCompilers | undefined;
  return () => {
    if (made) return made;
    const Ajv = (require('ajv/dist/2020') as { default: typeof Ajv2020 }).default;
    const addFormats = (require('ajv-formats') as { default: (ajv: Ajv2020) => unknown }).default;
    made = { validating: new Ajv({ allErrors: true, strict: false }), conforming: new Ajv({ strict: false, removeAdditional: 'all' }) };
    addFormats(made.validating);
    addFormats(made.conforming);
    return made;
  };
}

/** `make()` on first call, then its value; a schema Ajv refuses becomes UNIMAP_E_DEF_SCHEMA naming the file. */
function once<T>(label: string, make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => {
    if (made) return made.value;
    try {
      made = { value: make() };
    } catch (cause) {
      throw new UnimapError('UNIMAP_E_DEF_SCHEMA', `${label} is not a usable JSON Schema: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    }
    return made.value;
  };
}
