import { join } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import jsonata from 'jsonata';
import { compileExpression } from '../../engine/jsonata/expression';
import { compileRegistry } from '../../engine/compile/compile-registry';
import { defaultSchemasDir } from '../../engine/package-paths';
import { canonical, outcome, type Outcome } from '../jsonata/oracle';
import { editFile, useOktaCopy } from '../helpers/definition-copy';

// Hostile mappings (account overrides are tenant-supplied JSONata) end with a result or a clear code, on both the
// compiled path and the jsonata interpreter, without hanging, exhausting memory or starving other calls.

const PATHS = [['compiled', true], ['interpreter', false]] as const;
/** Generous bound proving "no hang" (the machine is shared): real runs take a small fraction of it. */
const NO_HANG_MS = 15_000;
// The large inputs (200k-number sorts, 2^28-character strings) take seconds on a loaded machine; the bound above,
// not jest's 5 s default, is what a hang would break.
jest.setTimeout(60_000);

async function run(source: string, native: boolean, input: unknown = {}, limits = {}): Promise<Outcome & { ms: number }> {
  const expression = compileExpression(source, { native, limits });
  const started = Date.now();
  const result = await outcome(() => expression.evaluate(input));
  return { ...result, ms: Date.now() - started };
}

function codeOf(result: Outcome): string {
  return result.ok ? `no error: ${JSON.stringify(result.value)?.slice(0, 80)}` : result.code;
}

describe.each(PATHS)('catastrophic regular expressions run in linear time (%s)', (_label, native) => {
  const long = { a: 'a'.repeat(50_000), x: 'x'.repeat(50_000), ab: `${'a'.repeat(50_000)}!` };
  test.each([
    ['$contains(ab, /^(a|a)+$/)', false],
    ['$contains(a, /(a+)+b/)', false],
    ['$contains(x, /(x+x+)+y/)', false],
    ['$contains(ab, /^(a+)+$/)', false],
    ['$contains(ab, /^(\\w+\\s?)*$/)', false],
    ['$match(a, /(a+)+b/)', undefined],
    ['$count($match(x, /(x+x+)+y/))', 0],
    ['$replace(ab, /^(a|a)+$/, "z") = ab', true],
    ['$replace(x, /(x+x+)+y/, "z") = x', true],
    ['$count($split(a, /(a+)+b/))', 1],
    ['$count($split(x, /(x+x+)+y/))', 1],
    ['$count($match(a, /a/))', 50_000],
  ])('%s', async (source, expected) => {
    const result = await run(source, native, long);
    expect(result).toMatchObject({ ok: true, value: expected });
    expect(result.ms).toBeLessThan(NO_HANG_MS);
  });

  test('a catastrophic date picture ($toMillis builds a regular expression from it) finishes', async () => {
    const result = await run('$toMillis(s, p)', native, { s: `${'a'.repeat(60)}1`, p: '[FNn]'.repeat(12) });
    expect(result).toMatchObject({ ok: true, value: undefined });
    expect(result.ms).toBeLessThan(NO_HANG_MS);
  });
});

describe('regular expressions RE2 cannot run in linear time are refused when the expression is compiled', () => {
  test.each([
    ['$contains(s, /(a)\\1/)', '\\1'],
    ['$match(s, /(?<q>["\'])x\\k<q>/)', '\\k<name>'],
    ['$replace(s, /a(?=b)/, "")', 'lookahead'],
    ['$split(s, /(?!a)b/)', 'lookahead'],
    ['$contains(s, /(?<=a)b/)', 'lookbehind'],
    ['$contains(s, /(?<!a)b/)', 'lookbehind'],
    ['$contains(s, /(x)(y)\\2/)', '\\2'],
  ])('%s', (source, named) => {
    let failure: unknown;
    try {
      compileExpression(source);
    } catch (error) {
      failure = error;
    }
    expect(failure).toMatchObject({ code: 'S0303', position: expect.any(Number) });
    expect((failure as Error).message).toContain(named);
    // both paths refuse: nothing is left to run with backtracking
    expect(() => compileExpression(source, { native: false })).toThrow(expect.objectContaining({ code: 'S0303' }));
  });

  const copy = useOktaCopy();
  test('in a definition, as UNIMAP_E_DEF_JSONATA at file:line:column', () => {
    const file = join(copy(), 'okta', 'user-directory', 'users.yaml');
    const line = editFile(file, '"first_name": $str(profile.firstName),', '"first_name": $contains(profile.firstName, /^(a)\\1$/) ? "x" : $str(profile.firstName),');
    const { problems } = compileRegistry(copy(), defaultSchemasDir(), copy());
    expect(problems[0]).toMatchObject({ code: 'UNIMAP_E_DEF_JSONATA', position: { file: join('okta', 'user-directory', 'users.yaml'), line } });
    expect(problems[0]!.message).toMatch(/^JSONata S0303: The regular expression \/\^\(a\)\\1\$\/ cannot be used: backreferences/);
    const column = problems[0]!.position.column;
    expect(readFileSync(file, 'utf8').split('\n')[line - 1]!.slice(column - 1)).toMatch(/^\/\^\(a\)/);
  });
});

describe.each(PATHS)('strings are capped (D1014) before they are built (%s)', (_label, native) => {
  test.each([
    '$pad("x", 500000000)',
    '$pad("x", -500000000, "ab")',
    '$pad("", 1e300)',
    '$join([1..2000].($pad("", 10000, "y")))',
    '$join([1..200].($pad("", 100000)), ",")',
    '($s := "0123456789"; $d := function($s, $n) { $n = 0 ? $s : $d($s & $s, $n - 1) }; $d($s, 40))',
    '($s := $pad("", 9000000, "z"); $s & $s)',
    '($s := $pad("", 9000000, "z"); $string([$s, $s]))',
    '($s := $pad("", 1000000, "z"); $string([1..50].{"v": $s}))',
    '($s := $pad("", 1000000, "z"); $length($string([1..20].$s, true)))',
    '$replace($pad("", 5000000, "a"), "a", "bbb")',
    '$replace($pad("", 200000, "a"), /a/, $pad("", 100, "b"))',
    '$fromMillis(0, "[Y,100000000]")',
    '$fromMillis(0, "[Y,9000000][M,9000000]")',
    '$uppercase($pad("", 6000000, "ß"))',
    '$reduce([1..30], function($acc, $i) { $acc & $acc }, "abcdefgh")',
  ])('%s', async (source) => {
    const result = await run(source, native);
    expect(codeOf(result)).toBe('D1014');
    expect(result.ms).toBeLessThan(NO_HANG_MS);
  });

  test('the limit is a setting, and strings under it are built as before', async () => {
    expect(await run('$length($pad("", 1000, "ab"))', native, {}, { maxStringLength: 1000 })).toMatchObject({ ok: true, value: 1000 });
    expect(codeOf(await run('$pad("", 1001)', native, {}, { maxStringLength: 1000 }))).toBe('D1014');
    expect(codeOf(await run('"abc" & "de"', native, {}, { maxStringLength: 4 }))).toBe('D1014');
    // the limit counts UTF-16 units, as JavaScript's length does: 4,000,000 emoji are 8,000,000 of them
    expect(await run('$length($pad("", 4000000, "😀"))', native)).toMatchObject({ ok: true, value: 4_000_000 });
    expect(codeOf(await run('$pad("", 6000000, "😀")', native))).toBe('D1014');
  });

  test('$length and $substring of a 2^28-character string count characters without an array of them', async () => {
    const huge = { s: 'a'.repeat(2 ** 28) };
    expect(await run('$length(s)', native, huge)).toMatchObject({ ok: true, value: 2 ** 28 });
    expect(await run('$substring(s, 268435450)', native, huge)).toMatchObject({ ok: true, value: 'aaaaaa' });
  });
});

describe.each(PATHS)('sorts are n log n, stable and bounded (%s)', (_label, native) => {
  const numbers = (n: number) => Array.from({ length: n }, (_, i) => (i * 7919 + 13) % n);
  const ascending = (list: number[]) => [...list].sort((a, b) => a - b);

  test.each([50_000, 200_000])('$sort and order-by of %i numbers complete correctly', async (n) => {
    const nums = numbers(n);
    const sorted = ascending(nums);
    for (const [source, expected] of [['$sort(nums)', sorted], ['nums^($)', sorted], ['nums^(>$)', [...sorted].reverse()], ['$sort(nums)[-1]', n - 1]] as const) {
      const result = await run(source, native, { nums }, { timeoutMs: 60_000 });
      expect(result.ok ? (Array.isArray(result.value) ? (result.value as number[]).length === n && JSON.stringify(result.value) === JSON.stringify(expected) : result.value === expected) : result.code).toBe(true);
      expect(result.ms).toBeLessThan(NO_HANG_MS);
    }
  });

  test('order-by on records: stable, several terms, descending', async () => {
    const rows = numbers(20_000).map((v, i) => ({ k: v % 7, i }));
    const result = await run('rows^(>k, i).i', native, { rows }, { timeoutMs: 60_000 });
    const expected = [...rows].sort((a, b) => b.k - a.k || a.i - b.i).map((r) => r.i);
    expect(result.ok && [...(result.value as number[])]).toEqual(expected);
    const stable = await run('rows^(k).i', native, { rows }, { timeoutMs: 60_000 });
    expect(stable.ok && [...(stable.value as number[])]).toEqual([...rows].sort((a, b) => a.k - b.k).map((r) => r.i));
  });

  test.each([
    ['$sort(nums, function($a, $b) { $sum([1..2000].($ * $a)) > $sum([1..2000].($ * $b)) })', 'D1012'],
    ['nums^($sum([1..5000].($ * 2)) + $)', 'D1012'],
    ['$sort(nums, function($a, $b) { ($w := function($n) { $n > 0 ? $w($n - 1) : $a > $b }; $w(50)) })', 'D1012'],
  ])('a deliberately slow comparator hits D1012 inside the sort: %s', async (source, code) => {
    const result = await run(source, native, { nums: numbers(50_000) }, { timeoutMs: 300 });
    expect(codeOf(result)).toBe(code);
    expect(result.ms).toBeLessThan(NO_HANG_MS);
  });

  test('mixed and unsortable values fail with the codes jsonata uses', async () => {
    expect(codeOf(await run('$sort(v)', native, { v: [1, 'a', 2] }))).toBe('D3070');
    expect(codeOf(await run('v^($)', native, { v: [1, 'a', 2] }))).toBe('T2007');
    expect(codeOf(await run('v^($)', native, { v: [1, { a: 1 }] }))).toBe('T2008');
  });
});

describe.each(PATHS)('built-ins that loop count against the time budget (%s)', (_label, native) => {
  test.each([
    '$map([1..10000000], $string)',
    '$count($filter([1..10000000], $boolean))',
    '$count($distinct([1..3000].($x := $; [1..3000].{"a": $x, "b": $})))',
    '$count($zip([1..10000000], [1..10000000], [1..10000000]))',
    '$count($keys([1..3000].([1..3000].{"k": $})))',
    '$count($split($join([1..3000].([1..3000].("a"))), /a/))',
  ])('%s ends with D1012', async (source) => {
    const result = await run(source, native, {}, { timeoutMs: 200 });
    expect(codeOf(result)).toBe('D1012');
    expect(result.ms).toBeLessThan(NO_HANG_MS);
  });

  test('$distinct and $spread of 50,000 objects are not quadratic', async () => {
    const objects = Array.from({ length: 50_000 }, (_, i) => ({ id: i % 25_000, tag: 'x' }));
    expect(await run('$count($distinct(objects))', native, { objects }, { timeoutMs: 60_000 })).toMatchObject({ ok: true, value: 25_000 });
    expect(await run('$count($spread(objects))', native, { objects }, { timeoutMs: 60_000 })).toMatchObject({ ok: true, value: 100_000 });
  });
});

describe.each(PATHS)('a long evaluation does not starve other calls (%s)', (_label, native) => {
  test.each([
    '$sum([1..3000].($sum([1..3000].($ * 2))))',
    '($f := function($n) { $n > 0 ? $f($n - 1) + $f($n - 1) : 0 }; $f(40))',
    '[1..5000].([1..5000].($ & "x"))',
    '$sort([1..1000000], function($a, $b) { $a < $b })',
  ])('a timer keeps firing while %s runs, and the evaluation ends with D1012', async (source) => {
    let fired = 0;
    const timer = setInterval(() => fired++, 5);
    const result = await run(source, native, {}, { timeoutMs: 600 });
    clearInterval(timer);
    expect(codeOf(result)).toBe('D1012');
    expect(fired).toBeGreaterThanOrEqual(10);
    expect(result.ms).toBeLessThan(NO_HANG_MS);
  });

  test('two runaways and a short evaluation share the event loop: the short one answers first', async () => {
    const runaway = compileExpression('$sum([1..3000].($sum([1..3000].($ * 2))))', { native, limits: { timeoutMs: 600 } });
    const order: string[] = [];
    const first = outcome(() => runaway.evaluate({})).then(() => order.push('runaway'));
    const second = outcome(() => runaway.evaluate({})).then(() => order.push('runaway'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    await compileExpression('1 + 1', { native }).evaluate({});
    order.push('short');
    await Promise.all([first, second]);
    expect(order[0]).toBe('short');
  });
});

describe.each(PATHS)('signatures, joins, tail recursion and $eval stay bounded (%s)', (_label, native) => {
  // jsonata matches a signature with a backtracking regular expression: these take it exponential time
  const strings = (n: number) => Array(n).fill('"s"').join(', ');
  test.each([
    `function($a)<${'x?'.repeat(30)}n>{ $a }(${strings(30)})`,
    `function($a)<${'x+'.repeat(12)}n>{ $a }(${strings(60)})`,
    `function($a)<${'(sn)?'.repeat(24)}b>{ $a }(${strings(24)})`,
  ])('a hostile signature fails with T0410 at once (%#)', async (source) => {
    const result = await run(source, native);
    expect(codeOf(result)).toBe('T0410');
    expect(result.ms).toBeLessThan(NO_HANG_MS);
  });

  test.each([
    ['nums@$a.$$.nums@$b.$$.nums@$c.($a + $b + $c)', 'D1012'],
    ['nums#$i.$$.nums#$j.$$.nums#$k{$string($i): $j + $k}', 'D1012'],
    ['($f := function($n) { $f($n + 1) }; $f(0))', 'D1012'],
    ['($f := function($n)<n:n> { $n < 0 ? 0 : $g($n + 1) }; $g := function($n) { $f($n) }; $f(0))', 'D1012'],
    ['$eval("$contains(\\"aaa\\", /(a)\\\\1/)")', 'D3121'],
    ['$eval("($f := function($n) { $f($n + 1) }; $f(0))")', 'D3121'],
  ])('%s ends with %s', async (source, code) => {
    const result = await run(source, native, { nums: Array.from({ length: 200 }, (_, i) => i) }, { timeoutMs: 150 });
    expect(codeOf(result)).toBe(code);
    expect(result.ms).toBeLessThan(NO_HANG_MS);
  });

  // each level of $eval quotes the message of the error inside it: jsonata's own message doubles per level
  test.each([
    '($f := function($n) { $n < 60 ? $eval("$f($n + 1)") + 1 : $error("boom \\\\ \\"") }; $f(0))',
    '($f := function($n) { $eval("$f($n + 1)") }; $f(0))',
    '($e := $eval; $f := function($n) { $n < 60 ? $e("$f($n + 1)") + 0 : $eval("1 +") }; $f(0))',
  ])('nested $eval errors keep a bounded message (%#)', async (source) => {
    const result = await run(source, native, {}, { maxDepth: 1000 });
    expect(codeOf(result)).toBe('D3121');
    const message = String((result as { error: { message?: unknown } }).error.message);
    expect(message.length).toBeLessThan(5_000);
    expect(result.ms).toBeLessThan(NO_HANG_MS);
  });
});

/** The bounded forms must give what jsonata gives, within the limits: checked against jsonata itself. */
describe('same results and error codes as jsonata within the limits', () => {
  const input = {
    a: [{ x: 3, y: 'b', n: [1, 2] }, { x: 1, y: 'a', n: [3] }, { x: 2, y: 'a' }, { y: 'c' }], nums: [5, 3, 9, 1, 3], strs: ['b', 'a', 'c'],
    mixed: [1, 'a'], nested: [[3, 1], [2]], one: [7], objs: [{ k: 2 }, { k: 1 }], e: [], s: 'Hello World, hello JSONata', o: { p: 1, q: [1, 2], r: { s: 't' } },
  };
  const sources = [
    // order-by: shapes of the sequence handed on, several terms, errors inside terms, nested sorts
    'a^(x).y', 'a^(>x)', 'a^(y, >x).x', 'a^(y)[0]', 'a^(x)[x > 1].y', 'nums^($)', 'strs^(>$)', 'mixed^($)', 'a^(n)', 'a^(foo)', 'nested^($[0])', 'nested^($)',
    'one^($)', 'one^($)[]', 'e^($)', '[].x^($)', '[].x^($)[]', 'missing^($)', '[3,1,2]^($)', '[[3,1],[2]]^($)', '[[3,1],[2]].$^($)', 'objs^(k).k', '$^(k)',
    'a^(x)^(>y)', 'a.n^($)', 'a^(x){y: x}', '$count(a^(x))', 'a^($error("boom"))', 'a^(x, $error("never"))', 'a^(y, $error("tie"))', 'nums^($string($))',
    'a^(x)[]', 'one.$^($)', 'o.q^(>$)', '$sort(nums)', '$sort(strs)', '$sort(mixed)', '$sort(a, function($l, $r) { $l.x > $r.x })', '$sort(e)', '$sort(one)',
    // regular expressions: JavaScript's meaning of ., \s, classes, flags, groups, empty matches
    '$match(s, /l+/)', '$match(s, /(h)(e)?llo/i)', '$match(s, /o/, 1)', '$replace(s, /(o)/, "[$1]")', '$replace(s, /l/, "L", 2)', '$replace(s, /x*/, "-")',
    '$split(s, /[ ,]+/)', '$split(s, /o/, 1)', '$contains(s, /WORLD/i)', '$match("a.b\\nc", /./)', '$match("a\\u2028b", /a.b/)', '$match("x\\u00a0y", /x\\sy/)',
    '$match("x\\u00a0y", /x\\Sy/)', '$match("AbC", /[a-c]+/i)', '$match("a-b", /[\\w-]+/)', '$match("a]b", /a]b/)', '$match("a{b", /a{b/)', '$match("aaa", /a{2}/)',
    '$match("line1\\nline2", /^line\\d$/m)', '$match("abc", /(?<n>b)/)', '$match("a b", /\\bb/)', '$match("😀x", /😀(.)/)', '$match("[]", /[]]/)', '$match("ab", /[^]/)',
    '$match("x", /[]/)', '$match("abc", /[^\\W\\d]/)', '$replace("aaa", /a/, function($m) { $uppercase($m.match) })',
    // strings, collections
    '$pad("ab", 5)', '$pad("ab", -5, "xy")', '$pad("ab", 5, "😀")', '$pad("ab", 5.7)', '$length("😀a")', '$substring("😀abc", 1, 2)', '$substring("abcdef", -3)',
    '$substring("abcdef", -10, 3)', '$join(strs, ", ")', '$join([], ",")', '$string(o)', '$string(o, true)', '$string(1.23456789012345678)', '$map(nums, $string)',
    '$distinct([1, 2, 1, "1", null, null, true, true])', '$distinct(a)', '$distinct([{"a":1},{"a":1},{"b":1},[1],[1]])', '$distinct(7)', '$zip([1,2,3],[4,5])',
    '$keys(a)', '$lookup(a, "x")', '$spread(o)', '$spread([o, {"z":1}])', '$spread([])', '$spread([{}])', '$merge([{"a":1},{"a":2,"b":3}])',
    '$fromMillis(0, "[Y0001]-[M01]")', '$toMillis("2024-01-02", "[Y0001]-[M01]-[D01]")', '"a" & 1 & true & null & [1,2] & {"a": 1}', 'nums & "x"',
    // signatures (matched without backtracking), and `&` on the right of `~>`
    'function($a, $b)<s?n>{ [$a, $b] }(5)', 'function($x)<s-:s>{ $x }()', 'function($x)<o-:o>{ $x }()', 'function($a)<a<n>>{ $a }([1, "x"])', 'function($a)<a<n>>{ $a }(nums)',
    '$map(nums, function($v)<n:n>{ $v * 2 })', 'function($a, $b)<x+>{ [$a, $b] }(1, "a", true)', 'function($a, $b)<(sn)(sn)?>{ [$a, $b] }("x")', 'function($a)<n>{ $a }(1, 2)',
    'function($a)<j?b?>{ $a }(true)', '1.5 ~> $string() & "x"', '"a" ~> $string & "x"',
  ];
  test.each(sources)('%s', async (source) => {
    const oracle = await outcome(() => jsonata(source).evaluate(structuredClone(input)));
    for (const [, native] of PATHS) {
      const result = await outcome(() => compileExpression(source, { native }).evaluate(structuredClone(input)));
      expect(result.ok ? canonical(result.value) : result.code).toEqual(oracle.ok ? canonical(oracle.value) : oracle.code);
    }
  });
});

describe('a YAML alias bomb in a definition', () => {
  const copy = useOktaCopy();
  test.each([
    ['billion laughs', (i: number) => `[${Array(9).fill(`*l${i - 1}`).join(', ')}]`],
    ['wide fan-out', (i: number) => `{ ${Array.from({ length: 30 }, (_, k) => `k${k}: *l${i - 1}`).join(', ')} }`],
  ])('(%s) fails loading with UNIMAP_E_LOAD_YAML, quickly', (_kind, level) => {
    const file = join(copy(), 'okta', 'user-directory', 'users.yaml');
    const lines = ['x-lol:', '  l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
    for (let i = 1; i <= 9; i++) lines.push(`  l${i}: &l${i} ${level(i)}`);
    writeFileSync(file, `${readFileSync(file, 'utf8')}\n${lines.join('\n')}\n`);
    const started = Date.now();
    const { problems } = compileRegistry(copy(), defaultSchemasDir(), copy());
    expect(Date.now() - started).toBeLessThan(NO_HANG_MS);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: 'UNIMAP_E_LOAD_YAML', position: { file: join('okta', 'user-directory', 'users.yaml') } });
    expect(problems[0]!.message).toContain('aliases');
  });

  test('the shipped definitions (which share mappings through anchors) still load', () => {
    expect(compileRegistry(copy(), defaultSchemasDir(), copy()).problems).toEqual([]);
  });
});
