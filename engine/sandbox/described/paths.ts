/** Dot paths into JSON bodies (`data.users`, `teams.0.members`) and `{name}` placeholders in described values. */
export type Row = Record<string, unknown>;

export function isRow(value: unknown): value is Row {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value at a dot path, or undefined when any step is missing. An empty path is the value itself. */
export function readPath(value: unknown, path: string | undefined): unknown {
  if (!path) return value;
  let at: unknown = value;
  for (const key of path.split('.')) {
    if (Array.isArray(at) && /^\d+$/.test(key)) at = at[Number(key)];
    else if (isRow(at)) at = at[key];
    else return undefined;
  }
  return at;
}

/**
 * Set the value at a dot path of `target`, creating the objects (or, before a numeric step, the arrays) on the way.
 * Returns the target, or the value itself for an empty path.
 */
export function writePath(target: Row, path: string | undefined, value: unknown): unknown {
  if (!path) return value;
  const keys = path.split('.');
  let at: Row | unknown[] = target;
  keys.forEach((key, index) => {
    const slot = (at as Row)[key];
    if (index === keys.length - 1) {
      (at as Row)[key] = value;
      return;
    }
    const next = /^\d+$/.test(keys[index + 1]!) ? [] : {};
    if (typeof slot !== 'object' || slot === null) (at as Row)[key] = next;
    at = (at as Row)[key] as Row | unknown[];
  });
  return target;
}

/** `{name}` in strings (at any depth) replaced by the value of that name; unknown names stay as written. */
export function fillPlaceholders(value: unknown, values: Readonly<Record<string, string>>): unknown {
  if (typeof value === 'string') return value.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
  if (Array.isArray(value)) return value.map((v) => fillPlaceholders(v, values));
  if (isRow(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillPlaceholders(v, values)]));
  return value;
}
