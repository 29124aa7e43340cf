import { writeFileSync } from 'node:fs';
import { createEngine } from '../engine';
import { isUnimapError } from '../errors';
import type { Registry } from '../compile/compiled';
import type { CallOutcome } from '../types';
import { diffValues } from './diff';
import { loadFixtures, type FixtureCase, type FixtureFile } from './fixture';
import { ReplayTransport, sortKeys } from './replay-transport';

export interface CaseOutcome {
  integration: string;
  file: string;
  resource: string;
  method: string;
  name: string;
  passed: boolean;
  /** What went wrong, with a diff; absent when passed. */
  failure?: string;
  /** The actual result, for --update. */
  actual?: unknown;
}

export interface ConformanceFilter {
  integration?: string;
  resource?: string;
  method?: string;
}

/** Run one case through the real engine with a replaying transport: no network, no simulator. */
export async function runFixtureCase(registry: Registry, fixture: FixtureFile, kase: FixtureCase): Promise<CaseOutcome> {
  const base = { integration: fixture.integration, file: fixture.file, resource: fixture.resource, method: kase.method, name: kase.name };
  const transport = new ReplayTransport(kase.exchanges);
  const context = { ...fixture.context, ...kase.context };
  const engine = createEngine({ mappings: registry, transport, accounts: [{ id: 'fixture', integration: fixture.integration, context, ...(kase.overrides ? { overrides: kase.overrides } : {}) }], maxRetryWaitMs: 0 });
  const [category, resource] = fixture.resource.split('/') as [string, string];
  let actual: unknown;
  let error: unknown;
  const warned: string[] = [];
  try {
    const pages: unknown[] = [];
    let query = kase.query ?? {};
    for (let page = 0; page < (kase.pages ?? 1); page++) {
      const outcome = await engine.call({ category, resource, method: kase.method, integratedAccountId: 'fixture', query, ...(kase.id === undefined ? {} : { id: kase.id }), ...(kase.body === undefined ? {} : { body: kase.body }) });
      pages.push(comparable(outcome));
      warned.push(...outcome.warnings.map((w) => w.field));
      const cursor = outcome.kind === 'list' ? outcome.result.next_cursor : outcome.kind === 'raw' ? outcome.result.next_cursor : null;
      if (!cursor) break;
      query = { ...query, next_cursor: cursor };
    }
    actual = kase.pages ? pages : pages[0];
  } catch (caught) {
    error = caught;
  }
  if (transport.mismatch) return { ...base, passed: false, failure: transport.mismatch.message };
  if (transport.used < kase.exchanges.length && !(error && kase.expect.error)) {
    return { ...base, passed: false, failure: `the fixture has ${kase.exchanges.length} remote calls; the engine made ${transport.used}` };
  }
  const leak = leakedSecret(registry, fixture.integration, context, error && isUnimapError(error) ? error.toJSON() : actual);
  if (leak) return { ...base, passed: false, failure: `a secret context value ("${leak}") appears in the output` };
  return { ...base, ...judge(kase, actual, error, warned), actual };
}

function judge(kase: FixtureCase, actual: unknown, error: unknown, warned: string[]): { passed: boolean; failure?: string } {
  if (kase.expect.error) {
    if (!error) return { passed: false, failure: `expected error ${kase.expect.error}, but the call succeeded with:\n${JSON.stringify(actual, null, 2)}` };
    const code = isUnimapError(error) ? error.code : String(error);
    if (code !== kase.expect.error) return { passed: false, failure: `expected error ${kase.expect.error}, got ${code}: ${(error as Error).message}` };
    if (kase.expect.message && !(error as Error).message.includes(kase.expect.message)) {
      return { passed: false, failure: `error message "${(error as Error).message}" does not contain "${kase.expect.message}"` };
    }
    return { passed: true };
  }
  if (error) return { passed: false, failure: `unexpected error ${isUnimapError(error) ? `${error.code}: ` : ''}${(error as Error).message}` };
  if ('result' in kase.expect && JSON.stringify(sortKeys(kase.expect.result)) !== JSON.stringify(sortKeys(actual))) {
    return { passed: false, failure: `result differs (- expected, + actual):\n${diffValues(kase.expect.result, actual, '  ')}` };
  }
  // Fields the integration left out must be expected: a case never drops a field silently.
  const expectedWarnings = [...(kase.expect.warnings ?? [])].sort();
  if (JSON.stringify(expectedWarnings) !== JSON.stringify([...warned].sort())) {
    return { passed: false, failure: `warned about fields [${warned.join(', ')}], expected [${expectedWarnings.join(', ')}] (expect.warnings)` };
  }
  return { passed: true };
}

/** The opaque next_cursor is not part of the contract a fixture pins down; whether there is one is. */
function comparable(outcome: CallOutcome): unknown {
  if (outcome.kind === 'list') return { ...outcome.result, next_cursor: outcome.result.next_cursor !== null };
  if (outcome.kind === 'raw') return outcome.result.next_cursor === undefined ? outcome.result.body : { body: outcome.result.body, next_cursor: outcome.result.next_cursor !== null };
  if (outcome.kind === 'stream') return { status: outcome.result.status, contentType: outcome.result.contentType };
  return outcome.result;
}

function leakedSecret(registry: Registry, integration: string, context: Record<string, unknown>, output: unknown): string | undefined {
  const fields = registry.integrations.get(integration)?.context ?? {};
  const text = JSON.stringify(output) ?? '';
  for (const [key, field] of Object.entries(fields)) {
    const value = context[key];
    if (field.secret && typeof value === 'string' && value.length >= 4 && text.includes(value)) return key;
  }
  return undefined;
}

/**
 * Run every fixture case that passes the filter; with `update`, rewrite expected results of failing success cases.
 * `fixtures` is a mappings folder (every file must be valid) or fixture files read before (readFixtureFiles).
 */
export async function runConformance(registry: Registry, fixtures: string | FixtureFile[], filter: ConformanceFilter = {}, update = false): Promise<CaseOutcome[]> {
  const outcomes: CaseOutcome[] = [];
  for (const fixture of typeof fixtures === 'string' ? loadFixtures(fixtures) : fixtures) {
    if (filter.integration && fixture.integration !== filter.integration) continue;
    if (filter.resource && fixture.resource !== filter.resource) continue;
    let changed = false;
    for (const [index, kase] of fixture.cases.entries()) {
      if (filter.method && kase.method !== filter.method) continue;
      const outcome = await runFixtureCase(registry, fixture, kase);
      if (update && !outcome.passed && !kase.expect.error && outcome.failure?.startsWith('result differs')) {
        fixture.document.setIn(['cases', index, 'expect', 'result'], outcome.actual);
        changed = true;
        outcomes.push({ ...outcome, passed: true, failure: 'updated' });
        continue;
      }
      outcomes.push(outcome);
    }
    if (changed) writeFileSync(fixture.path, fixture.document.toString({ lineWidth: 0 }));
  }
  return outcomes;
}

