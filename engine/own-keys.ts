/**
 * Walking or writing caller- and provider-supplied keys without reaching an object's prototype.
 * `obj[key] = v` with key `__proto__` replaces the prototype, and `delete obj.__proto__.x` edits
 * Object.prototype for the whole process; every path walk over outside data goes through these instead.
 */

/** Keys that name prototype machinery rather than data. Refused in caller input, never walked. */
export const UNSAFE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export function isUnsafeKey(key: string): boolean {
  return UNSAFE_KEYS.has(key);
}

/** A JSON object: not null, not an array. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function hasOwn(target: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(target, key);
}

/** An own property of an object, never an inherited one. */
export function ownValue(target: unknown, key: string): unknown {
  return typeof target === 'object' && target !== null && hasOwn(target, key) ? (target as Record<string, unknown>)[key] : undefined;
}

/** Define an own data property, even for a key such as `__proto__` (plain assignment would set the prototype). */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/**
 * The dotted path of the first unsafe key inside a caller's value (objects and arrays, own keys only), or
 * undefined. Iterative, so a deeply nested value cannot overflow the stack.
 */
export function findUnsafeKey(value: unknown, root: string): string | undefined {
  const stack: Array<[unknown, string]> = [[value, root]];
  while (stack.length > 0) {
    const [current, path] = stack.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    for (const key of Object.keys(current)) {
      const childPath = Array.isArray(current) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
      if (!Array.isArray(current) && isUnsafeKey(key)) return childPath;
      stack.push([(current as Record<string, unknown>)[key], childPath]);
    }
  }
  return undefined;
}
