import type { CompiledIntegration } from '../compile/compiled';
import { UnimapError } from '../errors';
import { formatRecord } from '../format/apply-format';
import { parseQueryOptions } from '../request/query-options';
import { decodeBody } from '../transport/body-codec';
import type { UnifiedRecord } from '../types';
import { mapRecord, selectRecord, selectRecords } from './map-records';

export interface MapResponseInput {
  resource: string;
  method: string;
  /** The remote body as the provider returns it (a page for list). */
  body: unknown;
  params?: Record<string, string>;
  query?: Record<string, unknown>;
  context?: Record<string, unknown>;
  steps?: Record<string, unknown>;
  headers?: Record<string, string>;
  status?: number;
}

/** Run only the response side of a mapping on a given remote body: what `unimap map response` prints. */
export async function mapRemoteResponse(integration: CompiledIntegration, input: MapResponseInput): Promise<UnifiedRecord | UnifiedRecord[]> {
  const resource = integration.resources.get(input.resource);
  if (!resource) throw new UnimapError('UNIMAP_E_REQ_RESOURCE_NOT_FOUND', `${integration.label} has no mapping for ${input.resource}`);
  const method = resource.methods.get(input.method);
  if (!method || method.unsupported !== undefined) {
    throw new UnimapError('UNIMAP_E_REQ_METHOD_NOT_SUPPORTED', `${integration.label} does not map ${input.resource} ${input.method}${method?.unsupported ? `: ${method.unsupported}` : ''}`);
  }
  const options = parseQueryOptions(input.query);
  // A recorded XML (or form) answer arrives as text; the mapping sees it as JSON, as in a live call.
  const decoded = typeof input.body === 'string' ? decodeBody(input.body, undefined, method.bodyFormat) : undefined;
  const body = decoded?.ok ? decoded.value : input.body;
  const bindings = {
    context: input.context ?? {},
    params: input.params ?? {},
    query: options.unified,
    body: {},
    steps: input.steps ?? {},
    headers: input.headers ?? {},
    status: input.status ?? 200,
  };
  if (decoded && !decoded.ok) throw new UnimapError('UNIMAP_E_REMOTE_INVALID_BODY', `the remote body given is not ${method.bodyFormat}`);
  const answer = { label: integration.label, status: bindings.status };
  if (input.method === 'list') {
    const records = await selectRecords(method, body, bindings, answer);
    return Promise.all(records.map(async (r) => formatRecord(await mapRecord(method, r, bindings), options, resource.unified)));
  }
  const record = await selectRecord(method, body, bindings, answer);
  return formatRecord(await mapRecord(method, record, bindings), options, resource.unified);
}
