import type { ErrorObject } from 'ajv';
import type { CompiledIntegration, CompiledMethod, CompiledResource } from '../compile/compiled';
import { UnimapError } from '../errors';

const WRITE_METHODS = new Set(['create', 'update']);

/**
 * Check a unified body and query before anything is mapped: the unified schema (types, enums, unknown fields),
 * then the integration's required and supported fields, then its required query parameters.
 * Every problem of a kind is reported at once.
 */
export function validateInput(
  integration: CompiledIntegration,
  resource: CompiledResource,
  method: CompiledMethod,
  body: unknown,
  query: Record<string, unknown>,
): void {
  if (WRITE_METHODS.has(method.name) || body !== undefined) validateBody(integration, resource, method, body);
  validateQueryParams(integration, method, query);
  validateFilters(integration, resource, method, query);
}

/** A filter the integration cannot apply is refused: silently returning unfiltered records would be wrong data. */
function validateFilters(integration: CompiledIntegration, resource: CompiledResource, method: CompiledMethod, query: Record<string, unknown>): void {
  if (!method.filters) return;
  const refused = resource.unified.filterFields.filter((f) => query[f] !== undefined && !method.filters!.includes(f) && !(f in method.queryParams));
  if (refused.length > 0) {
    throw new UnimapError('UNIMAP_E_REQ_UNSUPPORTED_FILTER', `${integration.label} cannot filter ${resource.key} by ${refused.map((f) => `"${f}"`).join(', ')}; it filters by ${method.filters.join(', ') || 'nothing'}`, {
      details: refused.map((filter) => ({ filter, integration: integration.name })),
    });
  }
}

function validateBody(integration: CompiledIntegration, resource: CompiledResource, method: CompiledMethod, body: unknown): void {
  const where = `${integration.name} ${resource.key} ${method.name}`;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new UnimapError('UNIMAP_E_REQ_INVALID_BODY', `the body of ${where} must be a JSON object`);
  }
  const errors = resource.unified.validateRequest(method.name, body);
  if (errors && errors.length > 0) {
    const details = errors.map(describeSchemaError);
    throw new UnimapError('UNIMAP_E_REQ_INVALID_BODY', `invalid unified body: ${details.map((d) => `${d.field} ${d.message}`).join('; ')}`, { details });
  }
  const present = Object.keys(body).filter((k) => k !== 'remote_data' && (body as Record<string, unknown>)[k] !== undefined);
  const missing = method.required.filter((field) => isBlank((body as Record<string, unknown>)[field]));
  if (missing.length > 0) {
    throw new UnimapError(
      'UNIMAP_E_REQ_MISSING_FIELDS',
      `missing required field${missing.length > 1 ? 's' : ''} ${missing.map((f) => `"${f}"`).join(', ')} (required by ${integration.label} for ${resource.key} ${method.name})`,
      { details: missing.map((field) => ({ field, required_by: integration.name })) },
    );
  }
  const unsupported = present.filter((field) => !method.supported.includes(field));
  if (unsupported.length > 0) {
    throw new UnimapError(
      'UNIMAP_E_REQ_UNSUPPORTED_FIELDS',
      `${integration.label} cannot write ${unsupported.map((f) => `"${f}"`).join(', ')} on ${resource.key} ${method.name}; it supports ${method.supported.join(', ') || 'no unified fields'} (put provider-specific data in remote_data)`,
      { details: unsupported.map((field) => ({ field, integration: integration.name })) },
    );
  }
}

function validateQueryParams(integration: CompiledIntegration, method: CompiledMethod, query: Record<string, unknown>): void {
  const missing = Object.entries(method.queryParams).filter(([name, param]) => param.required && isBlank(query[name])).map(([name]) => name);
  if (missing.length > 0) {
    const describe = (name: string) => {
      const param = method.queryParams[name]!;
      return param.collection_type ? `"${name}" (a collection of type ${param.collection_type})` : `"${name}"`;
    };
    throw new UnimapError('UNIMAP_E_REQ_MISSING_QUERY_PARAMS', `missing required query parameter ${missing.map(describe).join(', ')} (required by ${integration.label} for ${method.name})`, {
      details: missing.map((name) => ({ parameter: name, required_by: integration.name })),
    });
  }
  for (const [name, param] of Object.entries(method.queryParams)) {
    const value = query[name];
    if (value === undefined) continue;
    if (param.enum && !param.enum.includes(value)) {
      throw new UnimapError('UNIMAP_E_REQ_INVALID_QUERY', `query parameter "${name}" must be one of ${param.enum.map(String).join(', ')}`);
    }
    if ((param.type === 'integer' || param.type === 'number') && Number.isNaN(Number(value))) {
      throw new UnimapError('UNIMAP_E_REQ_INVALID_QUERY', `query parameter "${name}" must be a number`);
    }
  }
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

function describeSchemaError(error: ErrorObject): { field: string; message: string } {
  const path = error.instancePath.slice(1).split('/').filter(Boolean);
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties') path.push(String(params['additionalProperty']));
  if (error.keyword === 'required') path.push(String(params['missingProperty']));
  const field = path.map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : `${i > 0 ? '.' : ''}${p}`)).join('') || 'body';
  switch (error.keyword) {
    case 'additionalProperties':
      return { field, message: 'is not a unified field' };
    case 'required':
      return { field, message: 'is required' };
    case 'enum':
      return { field, message: `must be one of ${(params['allowedValues'] as unknown[]).join(', ')}` };
    default:
      return { field, message: error.message ?? 'is invalid' };
  }
}
