/**
 * next_cursor on the wire: base64url(JSON payload) "." base64url(HMAC-SHA256). The payload is opaque to callers but
 * not secret; the MAC makes it tamper-evident, so a caller can only hand back a cursor this engine (or another one
 * sharing its key) produced.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { UnimapError } from '../errors';

export const MIN_CURSOR_KEY_BYTES = 32;
/** Provider next-page URLs and tokens can be long (Graph, Salesforce), but nothing near this. */
const MAX_CURSOR_CHARS = 32 * 1024;
/** Keeps a cursor MAC from being valid as any other MAC the same key might one day make. */
const DOMAIN = 'unimap next_cursor v2\n';
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * The engine's cursor key: the option, else env UNIMAP_CURSOR_KEY, else random bytes for this engine instance only
 * (its cursors then die with it and are refused by other instances).
 */
export function resolveCursorKey(option: string | Buffer | undefined, env: NodeJS.ProcessEnv = process.env): Buffer {
  const [value, source] = option !== undefined ? [option, 'cursorKey'] : env['UNIMAP_CURSOR_KEY'] ? [env['UNIMAP_CURSOR_KEY'], 'UNIMAP_CURSOR_KEY'] : [undefined, ''];
  if (value === undefined) return randomBytes(MIN_CURSOR_KEY_BYTES);
  const key = typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.isBuffer(value) ? Buffer.from(value) : undefined;
  if (!key || key.length < MIN_CURSOR_KEY_BYTES) {
    // never echo the key itself: only its length
    throw new UnimapError('UNIMAP_E_LOAD_OPTIONS', `${source} must be a string or Buffer of at least ${MIN_CURSOR_KEY_BYTES} bytes; got ${key ? `${key.length} bytes` : typeof value}`);
  }
  return key;
}

/** Serialise and sign a payload. */
export function sealCursor(payload: unknown, key: Buffer): string {
  const body = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  return `${body}.${mac(body, key).toString('base64url')}`;
}

/** The payload of a cursor this key signed; anything else (unsigned, altered, another key) is UNIMAP_E_REQ_INVALID_CURSOR. */
export function openCursor(cursor: string, key: Buffer): unknown {
  const parts = cursor.length <= MAX_CURSOR_CHARS ? cursor.split('.') : [];
  const [body, tag] = parts;
  if (parts.length !== 2 || !body || !tag || !BASE64URL.test(body) || !BASE64URL.test(tag)) throw invalidCursor();
  const given = Buffer.from(tag, 'base64url');
  const expected = mac(body, key);
  // lengths first: timingSafeEqual throws on a mismatch, and the MAC length is public anyway
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalidCursor();
  // base64url decoding ignores the spare bits of the last character: only the canonical spelling is the cursor
  if (given.toString('base64url') !== tag) throw invalidCursor();
  try {
    return JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as unknown;
  } catch {
    throw invalidCursor();
  }
}

export function invalidCursor(why = 'next_cursor is not a cursor this engine produced, or it was altered'): UnimapError {
  return new UnimapError('UNIMAP_E_REQ_INVALID_CURSOR', why);
}

function mac(body: string, key: Buffer): Buffer {
  return createHmac('sha256', key).update(DOMAIN).update(body).digest();
}
