/** A readable path-by-path difference of two JSON values: `- path: expected` / `+ path: actual`. */
export function diffValues(expected: unknown, actual: unknown, indent = ''): string {
  const lines: string[] = [];
  walk(expected, actual, '', lines);
  return lines.map((l) => indent + l).join('\n');
}

function walk(expected: unknown, actual: unknown, path: string, lines: string[]): void {
  if (isObject(expected) && isObject(actual)) {
    for (const key of new Set([...Object.keys(expected), ...Object.keys(actual)])) walk(expected[key], actual[key], `${path}/${key}`, lines);
    return;
  }
  if (Array.isArray(expected) && Array.isArray(actual)) {
    for (let i = 0; i < Math.max(expected.length, actual.length); i++) walk(expected[i], actual[i], `${path}/${i}`, lines);
    return;
  }
  if (JSON.stringify(expected) === JSON.stringify(actual)) return;
  if (expected !== undefined) lines.push(`- ${path || '/'}: ${JSON.stringify(expected)}`);
  if (actual !== undefined) lines.push(`+ ${path || '/'}: ${JSON.stringify(actual)}`);
}

/** Every key and item of `expected` is in `actual` with the same value. */
export function isSubset(expected: unknown, actual: unknown): boolean {
  if (isObject(expected)) return isObject(actual) && Object.entries(expected).every(([k, v]) => isSubset(v, actual[k]));
  if (Array.isArray(expected)) return Array.isArray(actual) && expected.length === actual.length && expected.every((v, i) => isSubset(v, actual[i]));
  return JSON.stringify(expected) === JSON.stringify(actual);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
