import type { IntegrationDef } from '../definition';
import { toPointer, type YamlSource } from '../load/yaml-source';
import type { Problem } from './problem';

/**
 * What the format schema cannot say about rate_limit.limits: one budget per `per` (each is one counter under one
 * key, so two would fight over it), and that a fractional interval is counted as whole seconds.
 */
export function checkOutboundLimits(def: IntegrationDef, source: YamlSource): Problem[] {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  (def.rate_limit?.limits ?? []).forEach((limit, i) => {
    const at = (key: string) => source.positionOf(toPointer(['rate_limit', 'limits', i, key]));
    if (seen.has(limit.per)) {
      problems.push({ code: 'UNIMAP_E_DEF_REFERENCE', message: `a second rate limit per ${limit.per}; keep one budget per "per" (the stricter one)`, position: at('per') });
    }
    seen.add(limit.per);
    if (!Number.isInteger(limit.interval_seconds)) {
      problems.push({
        code: 'UNIMAP_E_DEF_REFERENCE',
        severity: 'warning',
        message: `interval_seconds ${limit.interval_seconds} is counted as ${Math.ceil(limit.interval_seconds)} s (budgets are kept in whole seconds)`,
        position: at('interval_seconds'),
      });
    }
  });
  return problems;
}
