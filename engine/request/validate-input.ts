import type { ErrorObject } from 'ajv';
import type { CompiledIntegration, CompiledMethod, CompiledResource } from '../compile/compiled';
import { UnimapError } from '../errors';
import { findUnsafeKey } from '../own-keys';
import type { UnifiedWarning } from '../types';
import { hasLoneSurrogate } from '../well-formed-text';

const WRITE_METHODS = new Set(['create', 'update']);

/** What to do with body fields the integration cannot write: drop them with a warning (default), or refuse the call. */
export type UnsupportedFields = 'warn' | 'reject';

/** The checked input: the body the mappings see (without the fields dropped), and a warning per dropped field. */
export interface CheckedInput {
  body: Record<string, unknown>;
  warnings: UnifiedWarning[];
}

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
  unsupportedFields: UnsupportedFields,
): CheckedInput {
  const checked = WRITE_METHODS.has(method.name) || body !== undefined
    ? validateBody(integration, resource, method, body, unsupportedFields)
    : { body: {}, warnings: [] };
  if (method.name === 'list' || method.records !== undefined) validateFilterValues(integration, resource, method, query);
  validateQueryParams(integration, method, query);
  validateFilters(integration, resource, method, query);
  return checked;
}

/**
 * A list's query is unified filters (the list_query schema) and the method's own query_params, nothing else: a
 * misspelt filter would otherwise be ignored and the whole list returned, and a value of the wrong shape (an array
 * from `email[]=`, an object, a number, a date that is not one) could reach a provider's filter syntax.
 * Values arrive as `qs` parses a URL (strings, arrays, objects) or typed from code. A name the method declares in
 * query_params is checked there (validateQueryParams) even when the unified model also knows it.
 * An empty string is no filter (forms and SDKs send `email=`), as the mappings read it.
 */
function validateFilterValues(integration: CompiledIntegration, resource: CompiledResource, method: CompiledMethod, query: Record<string, unknown>): void {
  const known = new Set(resource.unified.filterFields);
  const problems: { filter: string; message: string }[] = [];
  const filters: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || Object.prototype.hasOwnProperty.call(method.queryParams, name)) continue;
    if (!known.has(name)) problems.push({ filter: name, message: 'is not a unified filter' });
    else if (typeof value === 'string' && hasLoneSurrogate(value)) problems.push({ filter: name, message: 'is not valid text (a lone surrogate)' });
    else if (value !== '') filters[name] = value;
  }
  for (const error of resource.unified.validateFilters(filters) ?? []) {
    const { field, message } = describeSchemaError(error);
    problems.push({ filter: field, message });
  }
  if (problems.length === 0) return;
  const accepted = [...known, ...Object.keys(method.queryParams).filter((name) => !known.has(name))];
  // names are the caller's: quoted and cut short in the message, never the values
  const shown = (name: string) => JSON.stringify(name.length > 64 ? `${name.slice(0, 64)}…` : name);
  throw new UnimapError(
    'UNIMAP_E_REQ_INVALID_FILTER',
    `invalid list filter${problems.length > 1 ? 's' : ''} for ${resource.key}: ${problems.map((p) => `${shown(p.filter)} ${p.message}`).join('; ')} (filters: ${accepted.join(', ') || 'none'})`,
    { details: problems.map((p) => ({ ...p, integration: integration.name })) },
  );
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

function validateBody(integration: CompiledIntegration, resource: CompiledResource, method: CompiledMethod, body: unknown, mode: UnsupportedFields): CheckedInput {
  const where = `${integration.name} ${resource.key} ${method.name}`;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new UnimapError('UNIMAP_E_REQ_INVALID_BODY', `the body of ${where} must be a JSON object`);
  }
  const unsafe = findUnsafeKey(body, '');
  if (unsafe !== undefined) {
    throw new UnimapError('UNIMAP_E_REQ_INVALID_BODY', `body key "${unsafe}" is not allowed: __proto__, constructor and prototype are never merged or sent`, { details: [{ field: unsafe, message: 'is not allowed' }] });
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
  const fields = body as Record<string, unknown>;
  if (unsupported.length === 0) return { body: fields, warnings: [] };
  if (mode === 'reject') {
    throw new UnimapError(
      'UNIMAP_E_REQ_UNSUPPORTED_FIELDS',
      `${integration.label} cannot write ${unsupported.map((f) => `"${f}"`).join(', ')} on ${resource.key} ${method.name}; it supports ${method.supported.join(', ') || 'no unified fields'} (put provider-specific data in remote_data)`,
      { details: unsupported.map((field) => ({ field, integration: integration.name })) },
    );
  }
  // One body goes to every integration: what this one cannot write is left out of the mapping and reported.
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) if (!unsupported.includes(key)) kept[key] = value;
  return { body: kept, warnings: unsupported.map((field) => unsupportedFieldWarning(integration, resource, method, field)) };
}

function unsupportedFieldWarning(integration: CompiledIntegration, resource: CompiledResource, method: CompiledMethod, field: string): UnifiedWarning {
  return {
    code: 'UNIMAP_W_UNSUPPORTED_FIELD',
    field,
    integration: integration.name,
    message: `${integration.label} cannot write "${field}" on ${resource.key} ${method.name}; it was not sent (put provider-specific data in remote_data)`,
  };
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
    // every declared type is a scalar: an array or object (`collection[]=a`, `collection[x]=a`) is no such value
    if (param.type !== undefined && typeof value === 'object' && value !== null) {
      throw new UnimapError('UNIMAP_E_REQ_INVALID_QUERY', `query parameter "${name}" must be a single ${param.type}`);
    }
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
