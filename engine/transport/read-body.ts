/**
 * Reading a remote body with bounds: at most max_response_bytes are kept (before and after decompression),
 * the read stops when the request's deadline passes, and a content-encoding that does not decode (garbage,
 * a truncated stream) is reported as such instead of as text or as a network failure.
 */
import type { Readable } from 'node:stream';
import { brotliDecompress, inflate, inflateRaw, unzip, type ZlibOptions, type BrotliOptions } from 'node:zlib';

export interface RawBody {
  bytes: Buffer;
  /** More than the limit arrived; `bytes` holds the first `limit` of them. */
  overflow: boolean;
}

export type DecodedBody =
  | { kind: 'ok'; text: string; decoded: boolean }
  | { kind: 'too_large' }
  | { kind: 'undecodable'; reason: string };

/** Collect a stream up to `limit` bytes; past it, or when `signal` aborts, the stream is destroyed (closing the connection). */
export function readRawBody(stream: Readable, limit: number, signal: AbortSignal): Promise<RawBody> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (settle: () => void) => {
      signal.removeEventListener('abort', onAbort);
      stream.removeListener('data', onData);
      settle();
    };
    const onAbort = () => finish(() => {
      stream.destroy();
      reject(signal.reason);
    });
    const onData = (chunk: Buffer) => {
      if (size + chunk.length > limit) {
        chunks.push(chunk.subarray(0, limit - size));
        finish(() => {
          stream.destroy();
          resolve({ bytes: Buffer.concat(chunks), overflow: true });
        });
        return;
      }
      size += chunk.length;
      chunks.push(chunk);
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    stream.on('data', onData);
    stream.once('end', () => finish(() => resolve({ bytes: Buffer.concat(chunks), overflow: false })));
    stream.once('error', (error) => finish(() => reject(error)));
    return undefined;
  });
}

/**
 * Undo content-encoding (gzip, deflate, br; a list is undone right to left) with the decoded size bounded:
 * a small bomb stops at `limit` instead of filling memory. An encoding unimap does not know is left as it came.
 */
export async function decodeContent(bytes: Buffer, contentEncoding: string | undefined, limit: number): Promise<DecodedBody> {
  const encodings = (contentEncoding ?? '').toLowerCase().split(',').map((e) => e.trim()).filter((e) => e && e !== 'identity').reverse();
  if (bytes.length === 0 || encodings.length === 0 || !encodings.every((e) => DECODERS[e])) return { kind: 'ok', text: toText(bytes), decoded: false };
  let current = bytes;
  for (const encoding of encodings) {
    try {
      current = await DECODERS[encoding]!(current, { maxOutputLength: Math.max(1, limit) });
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === 'ERR_BUFFER_TOO_LARGE') return { kind: 'too_large' };
      return { kind: 'undecodable', reason: `${encoding}: ${typeof code === 'string' ? code : 'corrupt data'}` };
    }
  }
  return { kind: 'ok', text: toText(current), decoded: true };
}

type Decoder = (input: Buffer, options: ZlibOptions & BrotliOptions) => Promise<Buffer>;

const promised = (fn: (input: Buffer, options: ZlibOptions & BrotliOptions, callback: (error: Error | null, result: Buffer) => void) => void): Decoder =>
  (input, options) => new Promise((resolve, reject) => fn(input, options, (error, result) => (error ? reject(error) : resolve(result))));

const DECODERS: Record<string, Decoder> = {
  // unzip takes gzip and zlib-wrapped data: servers mislabel one as the other.
  'gzip': promised(unzip),
  'x-gzip': promised(unzip),
  // "deflate" is meant to be zlib-wrapped, but some servers send raw deflate; the zlib header tells them apart.
  'deflate': (input, options) => (hasZlibHeader(input) ? promised(inflate) : promised(inflateRaw))(input, options),
  'br': promised(brotliDecompress),
};

function hasZlibHeader(input: Buffer): boolean {
  return input.length >= 2 && (input[0]! & 0x0f) === 8 && ((input[0]! << 8) | input[1]!) % 31 === 0;
}

function toText(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
