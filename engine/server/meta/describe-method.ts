import type { CompiledIntegration, CompiledMethod, Registry } from '../../compile/compiled';
import type { UnifiedSchema } from '../../compile/unified-schemas';
import { UnimapError } from '../../index';

type JsonSchema = Record<string, unknown>;
const WRITE_METHODS = new Set(['create', 'update']);
const NO_BODY = new Set(['list', 'get', 'delete']);

/**
 * What one integration does for one method, computed from its definition: the body it accepts (its supported fields,
 * its required ones), the unified fields it leaves out with a warning, the response fields its mapping fills, its
 * query parameters and list filters. The meta routes answer this, and the OpenAPI document reuses the schemas.
 */
export function describeIntegrationMethod(registry: Registry, integrationName: string, category: string, resource: string, methodName: string): Record<string, unknown> {
  const integration = registry.integrations.get(integrationName);
  if (!integration) throw new UnimapError('UNIMAP_E_SERVER_NOT_FOUND', `no integration "${integrationName}"; loaded: ${[...registry.integrations.keys()].join(', ')}`);
  const key = `${category}/${resource}`;
  const mapped = integration.resources.get(key);
  if (!mapped) throw new UnimapError('UNIMAP_E_SERVER_NOT_FOUND', `${integration.label} has no mapping for ${key}; it maps ${[...integration.resources.keys()].join(', ') || 'nothing'}`);
  const method = mapped.methods.get(methodName);
  if (!method) throw new UnimapError('UNIMAP_E_SERVER_NOT_FOUND', `${integration.label} does not map ${key} ${methodName}; it maps ${[...mapped.methods.keys()].join(', ')}`);
  const head = { integration: integration.name, label: integration.label, category, resource, method: methodName };
  if (method.unsupported !== undefined) return { ...head, supported: false, unsupported_reason: method.unsupported };
  const unified = mapped.unified;
  const takesBody = !NO_BODY.has(methodName);
  const requestFields = unified.requestFields(methodName);
  return {
    ...head,
    supported: true,
    schema: takesBody ? bodySchema(unified, methodName, method) : null,
    required_fields: method.required,
    supported_fields: method.supported,
    ignored_fields: takesBody && WRITE_METHODS.has(methodName) ? requestFields.filter((f) => !method.supported.includes(f)) : [],
    response_fields: method.responseSupported,
    response_schema: responseSchema(unified, method.responseSupported),
    query_schema: querySchema(unified, method, methodName),
    query_params: method.queryParams,
    filters: method.filters ?? (methodName === 'list' ? unified.filterFields : []),
  };
}

/**
 * The unified view of a method across every loaded integration (what the reference pages show as "N supported,
 * M required"): each body property says which integrations support and require it.
 */
export function describeUnifiedMethod(registry: Registry, category: string, resource: string, methodName: string): Record<string, unknown> {
  const key = `${category}/${resource}`;
  const unified = registry.unifiedSchemas.get(key);
  if (!unified) throw new UnimapError('UNIMAP_E_SERVER_NOT_FOUND', `no unified model ${key}; known: ${[...registry.unifiedSchemas.keys()].join(', ')}`);
  const integrations: Array<{ integration: CompiledIntegration; method: CompiledMethod }> = [];
  for (const integration of registry.integrations.values()) {
    const method = integration.resources.get(key)?.methods.get(methodName);
    if (method && method.unsupported === undefined) integrations.push({ integration, method });
  }
  const schema = NO_BODY.has(methodName) ? null : requestDef(unified, methodName);
  if (schema) {
    for (const [field, property] of Object.entries((schema['properties'] ?? {}) as Record<string, JsonSchema>)) {
      property['x-supported-by'] = integrations.filter(({ method }) => method.supported.includes(field)).map(({ integration }) => integration.name);
      property['x-required-by'] = integrations.filter(({ method }) => method.required.includes(field)).map(({ integration }) => integration.name);
    }
  }
  return {
    category,
    resource,
    method: methodName,
    schema,
    response_schema: responseSchema(unified, undefined),
    integrations: integrations.map(({ integration, method }) => ({ integration: integration.name, label: integration.label, required_fields: method.required, query_params: method.queryParams })),
  };
}

/** The unified request schema of a method (custom methods fall back to create's, as the engine validates them). */
export function requestDef(unified: UnifiedSchema, methodName: string): JsonSchema {
  const defs = unified.document.$defs as Record<string, JsonSchema>;
  const def = defs[`${methodName}_request`] ?? defs[methodName === 'update' ? 'update_request' : 'create_request'] ?? { type: 'object' };
  return structuredClone(def);
}

/** The accepted body for one integration: its supported fields (plus remote_data), its required ones. */
function bodySchema(unified: UnifiedSchema, methodName: string, method: CompiledMethod): JsonSchema {
  const def = requestDef(unified, methodName);
  const properties = (def['properties'] ?? {}) as Record<string, JsonSchema>;
  const kept: Record<string, JsonSchema> = {};
  for (const [field, property] of Object.entries(properties)) if (field === 'remote_data' || method.supported.includes(field)) kept[field] = property;
  return { ...def, properties: kept, ...(method.required.length > 0 ? { required: method.required } : {}) };
}

/** The unified response schema, narrowed to the fields a mapping fills when `fields` is given. */
export function responseSchema(unified: UnifiedSchema, fields: readonly string[] | undefined): JsonSchema {
  const def = structuredClone((unified.document.$defs['response'] ?? { type: 'object' }) as JsonSchema);
  if (fields === undefined) return def;
  const properties = (def['properties'] ?? {}) as Record<string, JsonSchema>;
  const kept: Record<string, JsonSchema> = {};
  for (const [field, property] of Object.entries(properties)) if (fields.includes(field) || field === 'remote_data' || field === 'id') kept[field] = property;
  return { ...def, properties: kept, required: ((def['required'] ?? []) as string[]).filter((f) => f in kept) };
}

/** The query a method takes beside the truto_* options: its query_params and, for a list, the unified filters it applies. */
function querySchema(unified: UnifiedSchema, method: CompiledMethod, methodName: string): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const filters = (unified.document.$defs['list_query']?.properties ?? {}) as Record<string, JsonSchema>;
  if (methodName === 'list' || method.records !== undefined) {
    for (const name of method.filters ?? Object.keys(filters)) if (filters[name]) properties[name] = structuredClone(filters[name]);
  }
  for (const [name, param] of Object.entries(method.queryParams)) {
    properties[name] = {
      type: param.type ?? 'string',
      ...(param.description ? { description: param.description } : {}),
      ...(param.enum ? { enum: param.enum } : {}),
      ...(param.collection_type ? { 'x-collection-type': param.collection_type } : {}),
    };
  }
  const required = Object.entries(method.queryParams).filter(([, param]) => param.required).map(([name]) => name);
  return { type: 'object', properties, ...(required.length > 0 ? { required } : {}) };
}
