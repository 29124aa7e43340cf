import { UnimapError } from '../../index';
import { hashApiKey, type KeyRepository } from '../store/key-repository';

const MAX_CACHED = 1000;

/**
 * `Authorization: Bearer <api key>` → the key's tenant. Known keys are remembered for `cacheMs` (by hash, never
 * the key itself), so a busy client costs one lookup per interval; a revoked key stops working within it.
 */
export function createApiKeyCheck(keys: KeyRepository, cacheMs = 30_000): (authorization: string | undefined) => Promise<string> {
  const cache = new Map<string, { tenant: string; until: number }>();
  return async (authorization) => {
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization ?? '');
    if (!match) throw new UnimapError('UNIMAP_E_SERVER_UNAUTHORIZED', 'missing API key: send Authorization: Bearer <api key>');
    const key = match[1]!;
    const hash = hashApiKey(key);
    const cached = cache.get(hash);
    if (cached && cached.until > Date.now()) return cached.tenant;
    const tenant = await keys.findTenant(key);
    if (tenant === undefined) {
      cache.delete(hash);
      throw new UnimapError('UNIMAP_E_SERVER_UNAUTHORIZED', 'the API key is not valid (unknown or revoked)');
    }
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
    cache.set(hash, { tenant, until: Date.now() + cacheMs });
    return tenant;
  };
}
