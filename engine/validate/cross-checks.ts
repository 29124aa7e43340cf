import type { IntegrationDef, MethodDef } from '../definition';
import { toPointer, type YamlSource } from '../load/yaml-source';
import type { UnifiedSchema } from '../compile/unified-schemas';
import type { Problem } from './problem';
import { checkOutboundLimits } from './outbound-limits';

/** Checks the format schema cannot express: names that must agree across files and fields. */
export function checkIntegration(def: IntegrationDef, folder: string, source: YamlSource): Problem[] {
  const problems: Problem[] = [];
  if (def.name !== folder) {
    problems.push({ code: 'UNIMAP_E_DEF_REFERENCE', message: `name "${def.name}" must equal its folder name "${folder}"`, position: source.positionOf('/name') });
  }
  const secrets = Object.entries(def.context ?? {}).filter(([, f]) => f.secret).map(([k]) => k);
  for (const key of secrets) {
    if (def.base_url.includes(`$context.${key}`)) {
      problems.push({ code: 'UNIMAP_E_DEF_REFERENCE', message: `base_url reads the secret context key "${key}"; secrets may appear only in auth`, position: source.positionOf('/base_url') });
    }
  }
  problems.push(...checkOutboundLimits(def, source));
  return problems;
}

export function checkMethod(name: string, def: MethodDef, unified: UnifiedSchema, source: YamlSource, path: (string | number)[]): Problem[] {
  const problems: Problem[] = [];
  const at = (...rest: (string | number)[]) => source.positionOf(toPointer([...path, ...rest]));
  const problem = (message: string, ...rest: (string | number)[]) => problems.push({ code: 'UNIMAP_E_DEF_REFERENCE', message, position: at(...rest) });
  if (def.unsupported !== undefined) {
    const extra = Object.keys(def).filter((k) => k !== 'unsupported' && k !== 'description');
    if (extra.length > 0) problem(`an unsupported method holds nothing but its reason; remove ${extra.join(', ')}`);
    return problems;
  }
  if (!def.request && def.static === undefined) problem(`method "${name}" needs a request (or static, or unsupported: "reason")`);
  const requestFields = unified.requestFields(name);
  for (const key of ['required', 'supported'] as const) {
    (def[key] ?? []).forEach((field, i) => {
      if (!requestFields.includes(field)) problem(`"${field}" is not a unified request field of ${unified.category}/${unified.resource}; known: ${requestFields.join(', ')}`, key, i);
    });
  }
  (def.required ?? []).forEach((field, i) => {
    if (!(def.supported ?? []).includes(field)) problem(`required field "${field}" must also be listed in supported`, 'required', i);
  });
  (def.response_supported ?? []).forEach((field, i) => {
    if (!unified.responseFields.includes(field)) problem(`"${field}" is not a unified response field of ${unified.category}/${unified.resource}`, 'response_supported', i);
  });
  if (def.response_from && ![...(def.before ?? []), ...(def.after ?? [])].some((s) => s.name === def.response_from)) {
    problem(`response_from "${def.response_from}" names no before or after step`, 'response_from');
  }
  if (def.run_if && !def.response_from && name !== 'delete') {
    problem('a main request with run_if needs response_from: the step that answers when the main request does not run', 'run_if');
  }
  const names = new Set<string>(['main']);
  for (const key of ['before', 'after', 'side_load'] as const) {
    (def[key] ?? []).forEach((step, i) => {
      if (names.has(step.name)) problem(`step name "${step.name}" is used twice (or is the reserved "main")`, key, i, 'name');
      names.add(step.name);
    });
  }
  return problems;
}
