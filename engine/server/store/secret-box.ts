import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UnimapError } from '../../index';

/**
 * Secrets at rest: AES-256-GCM with a random 96-bit IV per value and the row's identity as additional data, so a
 * sealed value copied onto another account does not open. Layout: version (1) | key id (8) | IV (12) | tag (16) | data.
 */
export interface SecretBox {
  seal(value: unknown, boundTo: string): Buffer;
  open(sealed: Uint8Array, boundTo: string): unknown;
  /** Whether `sealed` was sealed under this key (its key id), without opening it: a start-up check. */
  sealedWithThisKey(sealed: Uint8Array): boolean;
  /** A key for another purpose derived from this one (HKDF-SHA256), so one file holds every server secret. */
  derive(purpose: string): Buffer;
}

const VERSION = 1;
const KEY_ID_BYTES = 8;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + KEY_ID_BYTES + IV_BYTES + TAG_BYTES;
export const SECRET_KEY_FILE = 'secret.key';
export const SECRET_KEY_ENV = 'UNIMAP_SECRET_KEY';

export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new UnimapError('UNIMAP_E_SERVER_SECRET_KEY', `the secret key must be 32 bytes; got ${key.length}`);
  const keyId = createHash('sha256').update(key).digest().subarray(0, KEY_ID_BYTES);
  return {
    seal(value, boundTo) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(boundTo, 'utf8'));
      const data = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
      return Buffer.concat([Buffer.from([VERSION]), keyId, iv, cipher.getAuthTag(), data]);
    },
    open(sealed, boundTo) {
      const bytes = Buffer.from(sealed);
      if (bytes.length < HEADER_BYTES || bytes[0] !== VERSION) throw new UnimapError('UNIMAP_E_SERVER_SECRET_KEY', 'a stored secret is not in a format this server reads');
      if (!bytes.subarray(1, 1 + KEY_ID_BYTES).equals(keyId)) {
        throw new UnimapError('UNIMAP_E_SERVER_SECRET_KEY', 'stored account secrets were encrypted with another key than this server\'s (UNIMAP_SECRET_KEY or the data directory\'s secret.key)');
      }
      const iv = bytes.subarray(1 + KEY_ID_BYTES, 1 + KEY_ID_BYTES + IV_BYTES);
      const tag = bytes.subarray(1 + KEY_ID_BYTES + IV_BYTES, HEADER_BYTES);
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, iv);
        decipher.setAAD(Buffer.from(boundTo, 'utf8'));
        decipher.setAuthTag(tag);
        return JSON.parse(Buffer.concat([decipher.update(bytes.subarray(HEADER_BYTES)), decipher.final()]).toString('utf8')) as unknown;
      } catch (cause) {
        throw new UnimapError('UNIMAP_E_SERVER_SECRET_KEY', 'a stored secret does not open: it was altered or belongs to another account', { cause });
      }
    },
    sealedWithThisKey: (sealed) => sealed.length >= HEADER_BYTES && sealed[0] === VERSION && Buffer.from(sealed).subarray(1, 1 + KEY_ID_BYTES).equals(keyId),
    derive: (purpose) => Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), `unimap ${purpose}`, 32)),
  };
}

/**
 * The key: UNIMAP_SECRET_KEY (base64 or hex of 32 bytes), else `<data>/secret.key`, created on first start with
 * mode 0600; without a data directory (nothing persists) a random one.
 */
export function loadSecretKey(dataDir: string | undefined, env: NodeJS.ProcessEnv = process.env): { key: Buffer; source: string } {
  const given = env[SECRET_KEY_ENV];
  if (given) return { key: decodeKey(given, SECRET_KEY_ENV), source: SECRET_KEY_ENV };
  if (dataDir === undefined) return { key: randomBytes(32), source: 'random (in-memory store)' };
  const path = join(dataDir, SECRET_KEY_FILE);
  try {
    writeFileSync(path, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(path, 0o600); // the umask may have narrowed the mode; never widened it, but say exactly what it is
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'EEXIST') {
      throw new UnimapError('UNIMAP_E_SERVER_SECRET_KEY', `cannot create ${path}: ${(error as Error).message}`, { cause: error });
    }
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UnimapError('UNIMAP_E_SERVER_SECRET_KEY', `cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
  return { key: decodeKey(text.trim(), path), source: path };
}

/**
 * The key of a store that instances share (PostgreSQL): UNIMAP_SECRET_KEY, required. A key made up by one process, or a
 * file on one machine, would leave every other instance unable to open the secrets it seals.
 */
export function loadSharedSecretKey(env: NodeJS.ProcessEnv = process.env): { key: Buffer; source: string } {
  const given = env[SECRET_KEY_ENV];
  if (!given) {
    throw new UnimapError('UNIMAP_E_SERVER_SECRET_KEY', `a PostgreSQL store is shared by every instance, and so must be the key that seals account secrets: set ${SECRET_KEY_ENV} to the same 32 bytes (base64 or hex, e.g. from \`openssl rand -base64 32\`) on every instance`);
  }
  return { key: decodeKey(given, SECRET_KEY_ENV), source: SECRET_KEY_ENV };
}

function decodeKey(text: string, where: string): Buffer {
  const key = /^[0-9a-f]{64}$/i.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (key.length !== 32) throw new UnimapError('UNIMAP_E_SERVER_SECRET_KEY', `${where} must hold 32 bytes as base64 or hex; it holds ${key.length}`);
  return key;
}
