import type { CompiledIntegration } from '../../compile/compiled';

/** OAuth tokens are sealed whatever a definition declares (the engine treats them as secrets too: compile-registry). */
const TOKEN_KEYS = ['access_token', 'refresh_token'];

/** The context keys stored sealed for an integration's accounts. */
export function secretKeysOf(integration: CompiledIntegration | undefined): Set<string> {
  const declared = integration?.context ?? {};
  return new Set([...Object.keys(declared).filter((key) => declared[key]!.secret), ...TOKEN_KEYS]);
}

/** Context values split into the plain ones and those stored sealed; absent values (null, undefined) are left out. */
export function splitBySecrecy(integration: CompiledIntegration | undefined, values: Record<string, unknown>): { context: Record<string, unknown>; secrets: Record<string, unknown> } {
  const secretKeys = secretKeysOf(integration);
  const context: Record<string, unknown> = {};
  const secrets: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value === null || value === undefined) continue;
    (secretKeys.has(key) ? secrets : context)[key] = value;
  }
  return { context, secrets };
}
