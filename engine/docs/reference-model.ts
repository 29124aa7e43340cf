import type { CompiledIntegration, CompiledMethod, Registry } from '../compile/compiled';
import type { UnifiedSchema } from '../compile/unified-schemas';

/** What a reference page says about one unified field: its schema facts and which integrations require / support it. */
export interface FieldDoc {
  name: string;
  type: string;
  description: string;
  enum?: unknown[];
  /** Integration labels that require the field (request only). */
  requiredIn: string[];
  /** Integration labels that support but do not require it (as the reference pages list them). */
  supportedIn: string[];
}

export interface QueryParamDoc {
  name: string;
  type: string;
  description: string;
  collectionType?: string;
  requiredIn: string[];
  supportedIn: string[];
}

export interface MethodDoc {
  category: string;
  resource: string;
  method: string;
  http: string;
  integrations: string[];
  unsupportedBy: { integration: string; reason: string }[];
  queryParams: QueryParamDoc[];
  request: FieldDoc[];
  response: FieldDoc[];
}

const HTTP: Record<string, (base: string) => string> = {
  list: (b) => `GET ${b}`,
  get: (b) => `GET ${b}/{id}`,
  create: (b) => `POST ${b}`,
  update: (b) => `PATCH ${b}/{id}`,
  delete: (b) => `DELETE ${b}/{id}`,
};

/** Build the page model for one resource and method from definitions and schemas only. */
export function describeMethod(registry: Registry, key: string, method: string): MethodDoc {
  const schema = registry.unifiedSchemas.get(key)!;
  const [category, resource] = key.split('/') as [string, string];
  const mapped: [CompiledIntegration, CompiledMethod][] = [];
  const unsupportedBy: MethodDoc['unsupportedBy'] = [];
  for (const integration of [...registry.integrations.values()].sort((a, b) => a.label.localeCompare(b.label))) {
    const m = integration.resources.get(key)?.methods.get(method);
    if (!m) continue;
    if (m.unsupported !== undefined) unsupportedBy.push({ integration: integration.label, reason: m.unsupported });
    else mapped.push([integration, m]);
  }
  const base = `/unified/${key}`;
  return {
    category,
    resource,
    method,
    http: (HTTP[method] ?? ((b: string) => `POST ${b}/${method}`))(base),
    integrations: mapped.map(([i]) => i.label),
    unsupportedBy,
    queryParams: queryParamDocs(mapped),
    request: method === 'create' || method === 'update' ? fieldDocs(schema, `${method}_request`, mapped, (m) => [m.required, m.supported]) : [],
    response: method === 'delete' ? [] : fieldDocs(schema, 'response', mapped, (m) => [[], m.responseSupported]),
  };
}

function fieldDocs(schema: UnifiedSchema, def: string, mapped: [CompiledIntegration, CompiledMethod][], lists: (m: CompiledMethod) => [string[], string[]]): FieldDoc[] {
  const properties = schema.document.$defs[def]?.properties ?? {};
  return Object.entries(properties).map(([name, property]) => {
    const requiredIn = mapped.filter(([, m]) => lists(m)[0].includes(name)).map(([i]) => i.label);
    const supportedIn = mapped.filter(([, m]) => lists(m)[1].includes(name) && !lists(m)[0].includes(name)).map(([i]) => i.label);
    const items = (property as { items?: { type?: string } }).items;
    const type = property.type === 'array' ? `${items?.type ?? 'object'}[]` : `${property.type ?? 'object'}${property.format ? ` · ${property.format}` : ''}`;
    return { name, type, description: property.description ?? '', ...(property.enum ? { enum: property.enum } : {}), requiredIn, supportedIn };
  });
}

function queryParamDocs(mapped: [CompiledIntegration, CompiledMethod][]): QueryParamDoc[] {
  const names = [...new Set(mapped.flatMap(([, m]) => Object.keys(m.queryParams)))].sort();
  return names.map((name) => {
    const declared = mapped.filter(([, m]) => m.queryParams[name]);
    const first = declared[0]![1].queryParams[name]!;
    return {
      name,
      type: first.type ?? 'string',
      description: first.description ?? '',
      ...(first.collection_type ? { collectionType: first.collection_type } : {}),
      requiredIn: declared.filter(([, m]) => m.queryParams[name]!.required).map(([i]) => i.label),
      supportedIn: declared.filter(([, m]) => !m.queryParams[name]!.required).map(([i]) => i.label),
    };
  });
}
