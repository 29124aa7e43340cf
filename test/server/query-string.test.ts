import qs from 'qs';
import { parseQueryString } from '../../engine/server/http/query-string';

/** What the server reads from what the reference SDK (qs.stringify, defaults) and other clients write. */
describe('query strings as qs writes and reads them', () => {
  test('indices and brackets are both arrays, also past qs\'s default arrayLimit of 20', () => {
    const fields = Array.from({ length: 25 }, (_, i) => `f${i}`);
    expect(parseQueryString(qs.stringify({ truto_exclude_fields: fields }))).toEqual({ truto_exclude_fields: fields });
    expect(parseQueryString(qs.stringify({ truto_exclude_fields: fields }, { arrayFormat: 'brackets' }))).toEqual({ truto_exclude_fields: fields });
    expect(parseQueryString('truto_exclude_fields[]=a&truto_exclude_fields[]=b')).toEqual({ truto_exclude_fields: ['a', 'b'] });
    expect(parseQueryString('truto_exclude_fields[0]=a&truto_exclude_fields[1]=b')).toEqual({ truto_exclude_fields: ['a', 'b'] });
  });

  test('nested objects, empty values and booleans', () => {
    expect(parseQueryString('remote_query[a][b]=c&remote_query[d]=e')).toEqual({ remote_query: { a: { b: 'c' }, d: 'e' } });
    expect(parseQueryString('next_cursor=&integrated_account_id=x')).toEqual({ next_cursor: '', integrated_account_id: 'x' });
    expect(parseQueryString('truto_ignore_remote_data=true&truto_strict_fields=false&name=truth')).toEqual({ truto_ignore_remote_data: true, truto_strict_fields: false, name: 'truth' });
  });

  test('a lone huge index is an object, not a sparse array; prototype keys are dropped', () => {
    expect(parseQueryString('a[99999]=x')).toEqual({ a: { 99999: 'x' } });
    const parsed = parseQueryString('__proto__[polluted]=1&constructor[prototype][x]=1');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.keys(parsed)).not.toContain('__proto__');
  });
});
