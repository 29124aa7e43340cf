import type { Registry } from '../../compile/compiled';
import type { MappingExpression } from '../expression';

/** Every expression a compiled registry holds (mappings, templates, steps, pagination, errors), once each. */
export function registryExpressions(registry: Registry): MappingExpression[] {
  const found = new Set<MappingExpression>();
  const seen = new Set<unknown>();
  const walk = (value: unknown): void => {
    if (typeof value !== 'object' || value === null || seen.has(value)) return;
    seen.add(value);
    if (value instanceof Map) {
      for (const v of value.values()) walk(v);
      return;
    }
    const candidate = value as { source?: unknown; evaluate?: unknown; expression?: { ast?: unknown } };
    if (typeof candidate.source === 'string' && typeof candidate.evaluate === 'function' && candidate.expression && typeof candidate.expression.ast === 'function') {
      found.add(candidate.expression as MappingExpression);
      return;
    }
    for (const v of Object.values(value)) walk(v);
  };
  walk(registry.integrations);
  return [...found];
}
