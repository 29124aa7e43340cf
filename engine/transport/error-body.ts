/**
 * How much of a remote answer an error keeps. Errors are logged, serialised and sent back over HTTP, so a
 * provider answering 20 MB must not make a 20 MB error: a parsed body is kept when its JSON form is small,
 * else the start of its text. Callers redact secrets before capping, so no half of a secret survives a cut.
 */

/** Largest JSON serialisation of `remote.body` (characters). */
export const MAX_ERROR_BODY_CHARS = 16 * 1024;
/** Largest provider message quoted in an error message (characters). */
export const MAX_ERROR_MESSAGE_CHARS = 1000;

const ELLIPSIS = '…';

/** The body an error keeps: the value itself when it serialises within the cap, else the start of its text form. */
export function capErrorBody(body: unknown, max = MAX_ERROR_BODY_CHARS): unknown {
  if (body === undefined || body === null || typeof body === 'number' || typeof body === 'boolean') return body;
  if (typeof body === 'string') return capSerialised(body, max);
  let text: string | undefined;
  try {
    text = JSON.stringify(body);
  } catch {
    text = undefined;
  }
  if (text === undefined) return undefined;
  return text.length <= max ? body : capSerialised(text, max);
}

/** Cut text so that its JSON string form stays within `max` characters (escapes can make it longer than the text). */
export function capSerialised(text: string, max: number): string {
  if (text.length <= max && JSON.stringify(text).length <= max) return text;
  let cut = dropBrokenSurrogate(text.slice(0, max));
  // Dropping `over` characters shortens the JSON form by at least `over`, so this ends after a round or two.
  for (let over = JSON.stringify(cut + ELLIPSIS).length - max; over > 0 && cut.length > 0; over = JSON.stringify(cut + ELLIPSIS).length - max) {
    cut = dropBrokenSurrogate(cut.slice(0, Math.max(0, cut.length - over)));
  }
  return cut + ELLIPSIS;
}

/** Cut plain text (no serialisation bound): messages. */
export function capText(text: string, max: number): string {
  return text.length > max ? `${dropBrokenSurrogate(text.slice(0, max))}${ELLIPSIS}` : text;
}

function dropBrokenSurrogate(text: string): string {
  const last = text.charCodeAt(text.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? text.slice(0, -1) : text;
}
