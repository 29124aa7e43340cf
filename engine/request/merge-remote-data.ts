import { hasOwn, isPlainObject, setOwn } from '../own-keys';

/**
 * Deep-merge the caller's `remote_data` over the mapped remote body: objects merge key by key,
 * everything else (arrays included) is replaced, so the caller can always say exactly what is sent.
 */
export function mergeRemoteData(mapped: unknown, remoteData: unknown): unknown {
  if (remoteData === undefined) return mapped;
  if (!isPlainObject(mapped) || !isPlainObject(remoteData)) return remoteData;
  const out: Record<string, unknown> = { ...mapped };
  for (const [key, value] of Object.entries(remoteData)) setOwn(out, key, hasOwn(out, key) ? mergeRemoteData(out[key], value) : value);
  return out;
}
