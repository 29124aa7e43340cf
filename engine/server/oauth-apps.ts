import { existsSync, readFileSync } from 'node:fs';
import { UnimapError, type OAuthApps } from '../index';

export const OAUTH_APPS_ENV = 'UNIMAP_OAUTH_APPS';

/**
 * The deployment's OAuth apps from env UNIMAP_OAUTH_APPS: JSON `{ "<integration>": { "client_id", "client_secret" } }`,
 * or the path of a file holding it (a mounted secret). The secrets are never quoted in an error.
 */
export function readOAuthApps(env: NodeJS.ProcessEnv): OAuthApps | undefined {
  const value = env[OAUTH_APPS_ENV]?.trim();
  if (!value) return undefined;
  const isJson = value.startsWith('{');
  let text = value;
  if (!isJson) {
    if (!existsSync(value)) throw new UnimapError('UNIMAP_E_LOAD_OPTIONS', `${OAUTH_APPS_ENV} is neither JSON nor the path of an existing file`);
    text = readFileSync(value, 'utf8');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UnimapError('UNIMAP_E_LOAD_OPTIONS', `${OAUTH_APPS_ENV}${isJson ? '' : ` (${value})`} is not valid JSON`);
  }
  const apps: Record<string, { client_id: string; client_secret?: string }> = {};
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new UnimapError('UNIMAP_E_LOAD_OPTIONS', `${OAUTH_APPS_ENV} must be an object of integrations`);
  for (const [integration, app] of Object.entries(parsed)) {
    const { client_id: id, client_secret: secret } = (app ?? {}) as Record<string, unknown>;
    if (typeof id !== 'string' || id === '' || (secret !== undefined && typeof secret !== 'string')) {
      throw new UnimapError('UNIMAP_E_LOAD_OPTIONS', `${OAUTH_APPS_ENV}: ${integration} needs a client_id (and a client_secret string, for confidential apps)`);
    }
    apps[integration] = { client_id: id, ...(typeof secret === 'string' ? { client_secret: secret } : {}) };
  }
  return apps;
}
