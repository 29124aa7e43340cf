import qs from 'qs';

/**
 * Query strings read as the `qs` library writes them, which is what the reference SDK sends:
 * `truto_exclude_fields[]=a` and `truto_exclude_fields[0]=a` are both arrays, `remote_query[a][b]=c` nests,
 * an empty `next_cursor=` stays an empty string, and the values `true` / `false` are booleans.
 * qs turns an array with an index above `arrayLimit` (20 by default) into an object; the SDK writes indices
 * for every element, so a list of 25 fields would arrive as an object. The limit here is the parameter limit:
 * an array can never hold more elements than the query has parameters, and a lone `a[99999]=x` becomes an object.
 */
const PARAMETER_LIMIT = 1000;

export function parseQueryString(text: string): Record<string, unknown> {
  return qs.parse(text, {
    arrayLimit: PARAMETER_LIMIT,
    parameterLimit: PARAMETER_LIMIT,
    depth: 5,
    allowPrototypes: false,
    decoder: (value, decode, charset, type) => {
      const decoded: unknown = decode(value, decode, charset);
      if (type === 'value' && decoded === 'true') return true;
      if (type === 'value' && decoded === 'false') return false;
      return decoded;
    },
  }) as Record<string, unknown>;
}

/** The same encoding the SDK uses (qs defaults: indices, RFC 3986), for printing curl lines and for the test client. */
export function formatQueryString(query: Record<string, unknown>): string {
  return qs.stringify(query);
}
