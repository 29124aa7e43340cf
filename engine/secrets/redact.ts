import { setOwn } from '../own-keys';
import { SecretSet } from './secret-set';

/** A call's secret set, or plain secret values (every form derived from them is redacted as well). */
export type SecretSource = SecretSet | readonly string[];

export const REDACTED = '[redacted]';
/** Deeper parts of a value are replaced: JSON.stringify and recursive code overflow the stack on 20,000 levels. */
export const MAX_REDACT_DEPTH = 100;
const TOO_DEEP = '[nested too deep]';
const CIRCULAR = '[circular]';

export function toSecretSet(secrets: SecretSource): SecretSet {
  return secrets instanceof SecretSet ? secrets : new SecretSet(secrets);
}

/**
 * A copy of `value` with every secret form replaced by "[redacted]" in strings and object keys, objects nested
 * deeper than MAX_REDACT_DEPTH replaced by a marker and cycles cut, so the result can always be serialized.
 * Only arrays and plain objects are walked; other objects are kept as they are.
 */
export function redact<T>(value: T, secrets: SecretSource): T {
  const set = toSecretSet(secrets);
  return walk(value, set, 0, new Set(), new Map()) as T;
}

/** One string with every secret form replaced. */
export function redactText(text: string, secrets: SecretSource): string {
  const { pattern } = toSecretSet(secrets).matcher();
  return pattern ? text.replace(pattern, REDACTED) : text;
}

/**
 * Text from a remote answer, which a size limit may have cut off inside a secret: besides whole forms, a secret's
 * leading part left at the end is scrubbed. Redact before truncating, never after: a cut secret no longer matches.
 */
export function redactRemoteText(text: string, secrets: SecretSource): string {
  const set = toSecretSet(secrets);
  const whole = redactText(text, set);
  const trimmed = whole.replace(/[\s…]+$/, '');
  const fragment = set.matcher().fragmentAtEnd(trimmed);
  return fragment > 0 ? `${trimmed.slice(0, trimmed.length - fragment)}${REDACTED}${whole.slice(trimmed.length)}` : whole;
}

/** A remote body: text as redactRemoteText, anything else as redact. */
export function redactRemoteBody(body: unknown, secrets: SecretSource): unknown {
  return typeof body === 'string' ? redactRemoteText(body, secrets) : redact(body, secrets);
}

function walk(value: unknown, set: SecretSet, depth: number, ancestors: Set<object>, done: Map<object, unknown>): unknown {
  if (typeof value === 'string') return redactText(value, set);
  // A numeric credential echoed as a JSON number (only a whole match: other numbers stay numbers).
  if (typeof value === 'number' && set.size > 0) return redactText(String(value), set) === REDACTED ? REDACTED : value;
  if (typeof value !== 'object' || value === null || !isWalkable(value)) return value;
  const copied = done.get(value);
  if (copied !== undefined) return copied;
  if (ancestors.has(value)) return CIRCULAR;
  if (depth >= MAX_REDACT_DEPTH) return TOO_DEEP;
  ancestors.add(value);
  let out: unknown;
  if (Array.isArray(value)) {
    out = value.map((item: unknown) => walk(item, set, depth + 1, ancestors, done));
  } else {
    const record: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      setOwn(record, redactText(key, set), walk((value as Record<string, unknown>)[key], set, depth + 1, ancestors, done));
    }
    out = record;
  }
  ancestors.delete(value);
  done.set(value, out);
  return out;
}

function isWalkable(value: object): boolean {
  if (Array.isArray(value)) return true;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
