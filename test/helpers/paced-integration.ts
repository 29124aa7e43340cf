import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startScriptedServer, type ScriptedAnswer, type SeenRequest } from '../security/scripted-server';

/**
 * "paced": a small integration (list and get of user-directory/users) whose outbound limits a test declares, written
 * into a fresh mappings folder; and a provider on 127.0.0.1 that notes when each request arrived.
 */
export interface PacedLimit {
  per: 'account' | 'integration';
  requests: number;
  interval_seconds: number;
}

export const PACED_TOKEN = 'paced-secret-token-0123456789';

export function writePacedMappings(limits: readonly PacedLimit[], rateLimitExtra: readonly string[] = []): string {
  const dir = mkdtempSync(join(tmpdir(), 'unimap-paced-'));
  mkdirSync(join(dir, 'paced', 'user-directory'), { recursive: true });
  writeFileSync(join(dir, 'paced', 'integration.yaml'), [
    'unimap: 1',
    'name: paced',
    'label: Paced',
    'base_url: https://api.paced.test',
    'context:',
    '  api_token: { required: true, secret: true }',
    'auth: { type: header, headers: { Authorization: "Bearer {{ $context.api_token }}" } }',
    'rate_limit:',
    '  retry_after_header: Retry-After',
    '  max_retries: 2',
    ...rateLimitExtra.map((line) => `  ${line}`),
    ...(limits.length > 0 ? ['  limits:', ...limits.map((l) => `    - { per: ${l.per}, requests: ${l.requests}, interval_seconds: ${l.interval_seconds} }`)] : []),
    '',
  ].join('\n'));
  writeFileSync(join(dir, 'paced', 'user-directory', 'users.yaml'), [
    'unimap: 1',
    'list:',
    '  request: { method: GET, path: /users }',
    '  records: users',
    '  filters: []',
    '  response: &user |',
    '    { "id": $str(id) }',
    '  response_supported: [id]',
    'get:',
    '  request: { method: GET, path: "/users/{{ $params.id }}" }',
    '  response: *user',
    '  response_supported: [id]',
    '',
  ].join('\n'));
  return dir;
}

export interface PacedProvider {
  url: string;
  /** Epoch milliseconds at which each request arrived, in order. */
  arrivals: number[];
  requests: SeenRequest[];
  /** How the next requests are answered (default: 200 with no users). */
  reply: (request: SeenRequest, index: number) => ScriptedAnswer;
  reset(): void;
  close(): Promise<void>;
}

export const EMPTY_PAGE: ScriptedAnswer = { status: 200, headers: { 'content-type': 'application/json' }, body: '{"users":[]}' };

export async function startPacedProvider(): Promise<PacedProvider> {
  const arrivals: number[] = [];
  const provider: Partial<PacedProvider> = { arrivals, reply: () => EMPTY_PAGE };
  const server = await startScriptedServer((seen) => {
    arrivals.push(Date.now());
    return provider.reply!(seen, arrivals.length - 1);
  });
  return Object.assign(provider, {
    url: server.url,
    requests: server.requests,
    reset() {
      arrivals.length = 0;
      server.requests.length = 0;
      provider.reply = () => EMPTY_PAGE;
    },
    close: () => server.close(),
  }) as PacedProvider;
}

/** The most requests that arrived within any span shorter than `spanMs`. */
export function mostWithin(arrivals: readonly number[], spanMs: number): number {
  const times = [...arrivals].sort((a, b) => a - b);
  let most = 0;
  for (let first = 0, last = 0; last < times.length; last++) {
    while (times[last]! - times[first]! >= spanMs) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}
