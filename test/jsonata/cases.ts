import { CONSTRUCT_CASES } from './cases-constructs';

/**
 * The hand-written case table: one or more cases per construct, per operator, per built-in function and per
 * semantic edge of JSONata (written from the language documentation). Each case is evaluated by the compiled
 * expression and by jsonata; results (or error codes) must be identical. `expect` pins the documented result
 * where it is worth stating.
 */
export const person = {
  name: 'Ada', surname: 'Lovelace', age: 36, price: 10.5, qty: 3, flag: true, off: false, empty: '', zero: 0, nothing: null, obj: {}, list: [],
  tags: ['math', 'poetry'], one: ['solo'],
  address: { city: 'London', zip: null, lines: ['12 St James Sq', 'Westminster'] },
  phones: [{ type: 'mobile', number: '07700 900001' }, { type: 'home', number: '020 7946 0002' }, { type: 'work', number: '020 7946 0003', ext: 12 }],
  nested: { matrix: [[1, 2], [3], []], deep: { deeper: { deepest: 'yes' } } },
  orders: [
    { id: 1, items: [{ sku: 'a', qty: 2, price: 1.5 }, { sku: 'b', qty: 1, price: 10 }] },
    { id: 2, items: [{ sku: 'c', qty: 5, price: 0.25 }] },
  ],
  when: '2026-07-14T00:25:28.123Z', epoch: 1784000000000, numText: '42', boolText: 'yes',
};

export const people = [
  { name: 'Ada', dept: 'eng', salary: 100 },
  { name: 'Grace', dept: 'eng', salary: 120 },
  { name: 'Alan', dept: 'math', salary: 90 },
];

export interface Case {
  expr: string;
  input?: unknown;
  bindings?: Record<string, unknown>;
  expect?: unknown;
  /** The documented error code, when the case is about an error. */
  error?: string;
  /** Where jsonata reports the error (its `position`), and the `token` it names: both paths must say the same. */
  position?: number;
  token?: string | number;
}

const P = person;
const L = people;

export const CASES: Record<string, Case[]> = {
  literals: [
    { expr: '"hello"', expect: 'hello' }, { expr: "'single'", expect: 'single' }, { expr: '42', expect: 42 }, { expr: '-3.5', expect: -3.5 },
    { expr: '1e3', expect: 1000 }, { expr: 'true', expect: true }, { expr: 'false', expect: false }, { expr: 'null', expect: null },
    { expr: '"esc\\"aped\\n"' }, { expr: '"\\u00e9"' },
  ],
  paths: [
    { expr: 'name', input: P, expect: 'Ada' }, { expr: 'address.city', input: P, expect: 'London' }, { expr: 'address.zip', input: P, expect: null },
    { expr: 'address.missing', input: P }, { expr: 'missing.deeper', input: P }, { expr: 'nested.deep.deeper.deepest', input: P, expect: 'yes' },
    { expr: 'tags', input: P, expect: ['math', 'poetry'] }, { expr: 'one', input: P, expect: ['solo'] }, { expr: 'phones.type', input: P, expect: ['mobile', 'home', 'work'] },
    { expr: 'phones.ext', input: P, expect: 12 }, { expr: 'orders.items.sku', input: P, expect: ['a', 'b', 'c'] }, { expr: 'orders.items.price', input: P },
    { expr: 'nested.matrix', input: P }, { expr: 'nested.matrix[0]', input: P }, { expr: 'nested.matrix.$', input: P }, { expr: 'list', input: P, expect: [] },
    { expr: 'list.x', input: P }, { expr: 'name.first', input: P }, { expr: 'address.lines[1]', input: P }, { expr: 'name', input: L, expect: ['Ada', 'Grace', 'Alan'] },
    { expr: '$.name', input: L }, { expr: 'name', input: 'text' }, { expr: 'name', input: undefined }, { expr: 'a.b.c', input: { a: [{ b: [{ c: 1 }, { c: 2 }] }, { b: { c: 3 } }] } },
    { expr: 'a.b', input: { a: [[{ b: 1 }], [{ b: 2 }]] } }, { expr: '`with space`', input: { 'with space': 1 } }, { expr: 'a.`b-c`', input: { a: { 'b-c': 2 } } },
    { expr: 'toString', input: {} }, { expr: '__proto__', input: {} }, { expr: 'constructor.name', input: {} },
  ],
  // built-ins with a direct form for common argument types (and the types that go through jsonata's framing)
  'direct forms': [
    { expr: '[$exists(name), $exists(missing), $exists(nothing), $exists($exists)]', input: P },
    { expr: '[$string(name), $string(age), $string(-0), $string(1e21), $string(price), $string(flag), $string(obj), $string(tags), $string(nothing)]', input: P },
    { expr: '$string(missing)', input: P }, { expr: '$string($string)' },
    { expr: '[$number(age), $number(numText), $number(flag)]', input: P }, { expr: '$number(name)', input: P },
    { expr: '[$boolean(name), $boolean(empty), $boolean(zero), $boolean(tags), $boolean(obj), $not(empty), $not(name), $not(flag), $not(zero), $not(list)]', input: P },
    { expr: '[$boolean(missing), $not(missing)]', input: P },
    { expr: '[$lowercase(name), $uppercase(name), $lowercase(missing)]', input: P }, { expr: '$lowercase(age)', input: P },
    { expr: '[$type(name), $type(age), $type(flag), $type(nothing), $type(tags), $type(obj), $type($type), $type(missing)]', input: P },
    { expr: '[$count(tags), $count(one), $count(name), $count(missing), $count(list)]', input: P },
    { expr: '[$lookup(address, "city"), $lookup(address, "zip"), $lookup(address, "toString"), $lookup(phones, "type"), $lookup(name, "x")]', input: P },
    { expr: '$lookup(address, age)', input: P },
    { expr: '[$join(tags), $join(tags, ", "), $join(one, "-"), $join(name), $join(list, ",")]', input: P }, { expr: '$join(phones.ext, ",")', input: P },
    { expr: '$join(tags, 1)', input: P }, { expr: '$exists(name, age)', input: P }, { expr: '$lookup(address)', input: P },
    { expr: '[$string(missing), $number(missing), $boolean(missing), $not(missing), $lowercase(missing), $uppercase(missing), $type(missing), $count(missing), $lookup(missing, "a"), $lookup(address, missing), $join(missing), $join(missing, ",")]', input: P },
  ],
  // paths from the root context are read once per evaluation and shared by every use
  'shared root reads': [
    { expr: '{"a": a, "b": p.a, "c": p.a & p.b, "d": p ? p.a, "e": [p.a, p.c]}', input: { a: 1, p: { a: 'x', b: 'y' } } },
    { expr: '{"x": p.a, "y": p.a.b, "z": $count(p.a)}', input: { p: [{ a: 1 }, { a: { b: 2 } }] } },
    { expr: '{"x": a, "y": a.b}', input: { _jsonata_function: true, a: { b: 1 } } },
    { expr: '{"x": p.a, "y": p}', input: { p: { _jsonata_lambda: true, a: 1 } } },
    { expr: '[a, a.b, b, a.b.c]', input: [{ a: { b: 1 } }, { a: { b: { c: 2 } }, b: 3 }] },
    { expr: '{"i": inherited, "o": own}', input: Object.assign(Object.create({ inherited: 1 }), { own: 2 }) },
    { expr: 'a.b ? a.b : "none"', input: { a: 'text' } }, { expr: '(a.b; $x := 1; a.b + $x)', input: { a: { b: 41 } } },
    { expr: 'x.a', input: { x: Object.assign([{ a: 1 }, { a: 2 }], { sequence: true }) } },
    // a path starting with a call, inside an object constructor (one call per context item)
    { expr: '{"f": $lookup($, "address").city, "g": $lookup($, "phones").type, "h": $lookup($, "name").x, "i": $lookup($, "nope").x}', input: P },
    { expr: '{"f": $lookup($, "address").city, "n": $count($lookup($, "tags"))}', input: [P, { address: { city: 'Paris' } }] },
    { expr: '{"s": $string(age).x, "t": $append(tags, one).y, "u": $merge([address, {"city": "X"}]).city}', input: P },
    // a filtered name first, inside an object constructor
    { expr: '{"m": phones[type = "mobile"][0].number, "h": phones[type = "home"].number, "x": phones[type = "none"][0].number, "e": phones[ext].type, "n": phones[type != "mobile"].number}', input: P },
    { expr: '{"a": orders[id = 1].items.sku, "b": orders[0].items[0].sku, "c": nested[deep].deep.deeper.deepest, "d": tags[0].x}', input: P },
    { expr: '{"s": emails[$not(primary = true)][email != "a@x"][0].email, "t": emails[primary][0].email}', input: { emails: [{ email: 'a@x', primary: true }, { email: 'b@x' }, { email: 'c@x' }] } },
    { expr: '{"s": emails[$not(primary = true)][0].email, "t": emails[0].email.x}', input: { emails: { email: 'solo@x' } } },
    { expr: '{"s": emails[0].email, "t": emails[1].email}', input: { emails: [[{ email: 'nested@x' }], { email: ['p', 'q'] }] } },
    { expr: '{"s": emails[0].email}', input: [{ emails: [{ email: 'one@x' }] }, { emails: [{ email: 'two@x' }] }] },
    // conditions on comparisons (read as they are) and on other values ($boolean's truthiness)
    { expr: '[age > 30 and name = "Ada", missing > 1 or name != "x", age > 1 and tags, name = "Bob" or missing < 3, missing = 1 and true, (age > 1)[0] and true]', input: P },
    { expr: '[age > 30 ? "old", missing > 1 ? "x" : "no", name = "Ada" ? 1 : 2, (age > 1)[0] ? "p" : "q", name ? "n", empty ? "e" : "not e", tags ? "t", list ? "l" : "nl", zero ? "z" : "nz"]', input: P },
  ],
  predicates: [
    { expr: 'phones[0]', input: P }, { expr: 'phones[-1].number', input: P }, { expr: 'phones[1.7].type', input: P }, { expr: 'phones[5]', input: P },
    { expr: 'phones[type="home"].number', input: P, expect: '020 7946 0002' }, { expr: 'phones[type!="home"].number', input: P },
    { expr: 'phones[ext].type', input: P }, { expr: 'phones[$exists(ext)].type', input: P, expect: 'work' }, { expr: 'phones[ext > 10]', input: P }, { expr: 'phones[[0,2]].type', input: P },
    { expr: 'phones[$count($.number) > 0][0].type', input: P }, { expr: 'tags[0]', input: P }, { expr: 'one[0]', input: P }, { expr: '$[0]', input: L },
    { expr: '$[1].name', input: L }, { expr: '[1,2,3][1]', expect: 2 }, { expr: '[1,2,3][$ > 1]' }, { expr: 'orders.items[0].sku', input: P },
    { expr: '(orders.items)[0].sku', input: P }, { expr: 'orders[id=2].items.sku', input: P }, { expr: 'phones[type="none"]', input: P },
    { expr: 'phones[true]', input: P }, { expr: 'phones[false]', input: P }, { expr: 'phones[0][0]', input: P }, { expr: 'name[0]', input: P },
    { expr: 'tags[$="poetry"]', input: P }, { expr: '$[salary >= 100].name', input: L }, { expr: 'phones["x"]', input: P }, { expr: 'phones[null]', input: P },
  ],
  keepArray: [
    { expr: 'one[]', input: P }, { expr: 'phones[type="home"][].number', input: P }, { expr: 'phones[type="home"].number[]', input: P },
    { expr: 'name[]', input: P }, { expr: 'address.city[]', input: P }, { expr: 'missing[]', input: P },
  ],
  wildcards: [
    { expr: 'address.*', input: P }, { expr: '*.city', input: P }, { expr: 'nested.**.deepest', input: P }, { expr: '**.sku', input: P },
    { expr: '*', input: { a: 1 } }, { expr: '*', input: { a: [1, [2, 3]], b: 4 } }, { expr: '**', input: { a: { b: 1 } } },
  ],
  variables: [
    { expr: '$', input: P.address }, { expr: '$$', input: P.address }, { expr: '$.city', input: P.address }, { expr: '$$.city', input: P.address },
    { expr: '$x', bindings: { x: 5 }, expect: 5 }, { expr: '$x.y', bindings: { x: { y: [1, 2] } } }, { expr: '$missing' },
    { expr: '$', input: [1, 2] }, { expr: '$', input: [[1]] }, { expr: '$$[0]', input: [1, 2] }, { expr: 'phones.($$.name)', input: P },
    { expr: 'phones.$', input: P }, { expr: '$x[1]', bindings: { x: [1, 2, 3] } },
  ],
  arithmetic: [
    { expr: '1 + 2', expect: 3 }, { expr: '5 - 7', expect: -2 }, { expr: '3 * 4', expect: 12 }, { expr: '7 / 2', expect: 3.5 }, { expr: '7 % 3', expect: 1 },
    { expr: '-7 % 3' }, { expr: 'price * qty', input: P, expect: 31.5 }, { expr: 'price + missing', input: P }, { expr: 'missing - 1', input: P },
    { expr: '1 / 0' }, { expr: '"a" + 1', error: 'T2001' }, { expr: '1 + "a"', error: 'T2002' }, { expr: 'null + 1', error: 'T2001' },
    { expr: 'true * 2', error: 'T2001' }, { expr: '-name', input: P, error: 'D1002' }, { expr: '-age', input: P, expect: -36 }, { expr: '-missing', input: P },
    { expr: '0.1 + 0.2' }, { expr: '(1 / 0) + 1', error: 'D1001' }, { expr: '1e308 * 10' }, { expr: 'tags + 1', input: P, error: 'T2001' },
    { expr: '2 * (3 + 4)', expect: 14 }, { expr: '10 - 2 - 3', expect: 5 }, { expr: '[1,2] * 2', error: 'T2001' },
  ],
  comparison: [
    { expr: '1 = 1', expect: true }, { expr: '"a" = "a"', expect: true }, { expr: '1 = "1"', expect: false }, { expr: 'missing = missing', input: P, expect: false },
    { expr: 'null = null', expect: true }, { expr: 'address = {"city": "London", "zip": null, "lines": ["12 St James Sq", "Westminster"]}', input: P },
    { expr: 'tags = ["math", "poetry"]', input: P }, { expr: '1 != 2', expect: true }, { expr: 'missing != 1', input: P, expect: false },
    { expr: '1 < 2', expect: true }, { expr: '"a" < "b"', expect: true }, { expr: '2 <= 2' }, { expr: '3 > 4' }, { expr: '"b" >= "a"' },
    { expr: '1 < "a"', error: 'T2009' }, { expr: 'true < 1', error: 'T2010' }, { expr: 'missing < 1', input: P }, { expr: 'null > 1', error: 'T2010' },
    { expr: '{} = {}', expect: true }, { expr: '[1,[2]] = [1,[2]]', expect: true }, { expr: 'phones.type = "home"', input: P },
  ],
  boolean: [
    { expr: 'true and false', expect: false }, { expr: 'true or false', expect: true }, { expr: 'name and age', input: P, expect: true },
    { expr: 'empty or zero', input: P, expect: false }, { expr: 'missing and true', input: P, expect: false }, { expr: 'missing or missing', input: P, expect: false },
    { expr: 'false and (1 + "a")', expect: false }, { expr: 'true or (1 + "a")', expect: true }, { expr: 'true and (1 + "a")', error: 'T2002' },
    { expr: 'list or obj', input: P }, { expr: 'tags and phones', input: P }, { expr: '[0, ""] or false' }, { expr: '[0, 1] and true' },
  ],
  strings: [
    { expr: 'name & " " & surname', input: P, expect: 'Ada Lovelace' }, { expr: '"n=" & 1.5' }, { expr: '"x" & missing', input: P, expect: 'x' },
    { expr: '"v" & true' }, { expr: '"o" & address', input: P }, { expr: '"a" & tags', input: P }, { expr: '1/3 & ""' }, { expr: 'null & "x"' },
    { expr: '"f" & $string' },
  ],
  membership: [
    { expr: '"math" in tags', input: P, expect: true }, { expr: '"x" in tags', input: P, expect: false }, { expr: '1 in 1', expect: true },
    { expr: 'missing in tags', input: P, expect: false }, { expr: '"home" in phones.type', input: P }, { expr: '{} in [{}]', expect: false },
  ],
  range: [
    { expr: '[1..5]', expect: [1, 2, 3, 4, 5] }, { expr: '[5..1]', expect: [] }, { expr: '[1..1]' }, { expr: '[0..2, 7]' },
    { expr: '[1.5..3]', error: 'T2003' }, { expr: '[1..x]', input: { x: 'a' }, error: 'T2004' }, { expr: '[missing..3]', input: P },
    { expr: '[1..3].($ * 2)' }, { expr: '$count([1..100])', expect: 100 },
  ],
  conditional: [
    { expr: 'flag ? "yes" : "no"', input: P, expect: 'yes' }, { expr: 'off ? "yes" : "no"', input: P, expect: 'no' }, { expr: 'missing ? "yes"', input: P },
    { expr: 'empty ? 1 : 2', input: P, expect: 2 }, { expr: 'tags ? 1 : 2', input: P, expect: 1 }, { expr: 'list ? 1 : 2', input: P, expect: 2 },
    { expr: 'obj ? 1 : 2', input: P, expect: 2 }, { expr: 'age > 30 ? "older" : age > 20 ? "mid" : "young"', input: P },
    { expr: 'missing ?: "default"', input: P, expect: 'default' }, { expr: 'name ?: "default"', input: P, expect: 'Ada' }, { expr: 'empty ?: "d"', input: P },
    { expr: 'missing ?? "default"', input: P, expect: 'default' }, { expr: 'nothing ?? "default"', input: P, expect: null }, { expr: 'zero ?? 5', input: P, expect: 0 },
    { expr: '$string ? 1 : 2' }, { expr: 'phones[type="x"] ? 1 : 2', input: P },
  ],
  blocks: [
    { expr: '()' }, { expr: '(1; 2; 3)', expect: 3 }, { expr: '($a := 1; $b := $a + 1; $b * 10)', expect: 20 }, { expr: '($a := 1; ($a := 2); $a)', expect: 1 },
    { expr: '($x := 5; $x)', bindings: { x: 1 }, expect: 5 }, { expr: '($y := $x; $x := 2; $y)', bindings: { x: 1 }, expect: 1 },
    { expr: '$a := 3' }, { expr: '($a := missing; $a)', input: P }, { expr: '($a := missing; $a)', input: P, bindings: { a: 9 } },
    { expr: '(phones.($t := type; $t))', input: P }, { expr: '($s := {"a": 1}; $s.a)' }, { expr: '($n := name; phones.($n & ":" & type))', input: P },
  ],
  arrays: [
    { expr: '[]', expect: [] }, { expr: '[1, "two", null, true]' }, { expr: '[missing, 1]', input: P, expect: [1] }, { expr: '[tags, "x"]', input: P },
    { expr: '[[1, 2], [3]]', expect: [[1, 2], [3]] }, { expr: '[tags]', input: P }, { expr: '[[tags]]', input: P }, { expr: '[phones.type]', input: P },
    { expr: '[one]', input: P }, { expr: '[1, [2, [3]]]' }, { expr: '[{"a": 1}].a' }, { expr: '[[1,2],[3,4]].$' }, { expr: '[[1,2],[3,4]][0]' },
    { expr: '[1,2,3].($ + 1)' }, { expr: '[name]', input: P }, { expr: '[]', input: P },
  ],
  objects: [
    { expr: '{}', expect: {} }, { expr: '{"a": 1, "b": "x"}', expect: { a: 1, b: 'x' } }, { expr: '{"a": missing, "b": 1}', input: P, expect: { b: 1 } },
    { expr: '{"name": name, "city": address.city}', input: P }, { expr: '{"n": name}', input: L }, { expr: '{name: salary}', input: L },
    { expr: '{dept: name}', input: L }, { expr: '{dept: $sum(salary)}', input: L }, { expr: 'phones{type: number}', input: P }, { expr: '{"a": 1, "a": 2}', error: 'D1009' },
    { expr: '{name: 1}', input: { name: 5 }, error: 'T1003' }, { expr: '{"nested": {"deep": {"x": age}}}', input: P }, { expr: '{"list": [1, 2], "one": [3]}' },
    { expr: 'phones.{"t": type, "n": number}', input: P }, { expr: '{"1": "one", "b": 2, "0": "zero"}' }, { expr: '{"__proto__": 1}' }, { expr: '{"x": $}', input: [1, 2] },
    { expr: '{"k": tags}', input: P }, { expr: '{"k": one}', input: P }, { expr: '{"f": function($x){$x}}.f(3)' },
  ],
  functionsAndLambdas: [
    { expr: '($double := function($x) { $x * 2 }; $double(21))', expect: 42 }, { expr: 'function($x) { $x }(5)' },
    { expr: '($add := function($a, $b) { $a + $b }; $add(1))' }, { expr: '($f := function($a) { $a }; $f(1, 2))', expect: 1 },
    { expr: '($fact := function($n) { $n <= 1 ? 1 : $n * $fact($n - 1) }; $fact(10))', expect: 3628800 },
    { expr: '($fib := function($n) { $n < 2 ? $n : $fib($n - 1) + $fib($n - 2) }; $fib(15))', expect: 610 },
    { expr: '($loop := function($n, $acc) { $n = 0 ? $acc : $loop($n - 1, $acc + $n) }; $loop(100, 0))', expect: 5050 },
    { expr: '($mk := function($k) { function($x) { $x * $k } }; $mk(3)(4))' }, { expr: '($k := 2; $f := function($x) { $x * $k }; $k := 5; $f(1))' },
    { expr: '($f := function($x) { $ }; $f(1))', input: P.address },
    // paths read from a parameter (read once at the start of the body, unless the body rebinds it)
    { expr: '($t := function($e) { $e.type = "custom" ? $e.custom.name : $e.type }; [$t(phones[0]), $t({"type": "custom", "custom": {"name": "c"}}), $t(phones), $t("x"), $t()])', input: P },
    { expr: '($f := function($e) { ($e := {"t": 2}; $e.t) }; $f({"t": 1}))' }, { expr: '($f := function($e) { [$e.t, ($e := {"t": 3}; $e.t), $e.t] }; $f({"t": 1}))' },
    { expr: '($mk := function($o) { function($k) { $lookup($o, $k) & $o.name } }; $g := $mk(address); $g("city"))', input: { address: { city: 'London', name: '!' } } },
    { expr: '($f := function($e) { $e.a.b }; [$f({"a": [{"b": 1}, {"b": 2}]}), $f({"a": {"b": 3}}), $f($f)])' }, { expr: '($f := function() { name }; phones.$f())', input: P },
    { expr: '$undefinedFn(1)', error: 'T1006' }, { expr: '($x := 1; $x(2))', error: 'T1006' }, { expr: 'name.$uppercase()', input: P },
    { expr: '$f(2)', bindings: { f: (x: number) => x * 10 }, expect: 20 }, { expr: '$f(2)', bindings: { f: async (x: number) => x + 1 }, expect: 3 },
    { expr: 'phones.$f(type)', input: P, bindings: { f: (x: string) => x.toUpperCase() } },
    { expr: '[$str(1), $uppercase("a"), $lowercase("B")]', bindings: { str: () => 'bound', uppercase: (x: string) => `<${x}>` } }, { expr: '$string(function($x){$x})' },
    { expr: '$type(function($x){$x})' }, { expr: '($f := function($s) { $s & "!" }; name ~> $f)', input: P },
    { expr: 'name ~> $uppercase()', input: P, expect: 'ADA' }, { expr: 'name ~> $substring(1, 1)', input: P }, { expr: 'name ~> $uppercase', input: P },
    { expr: 'name ~> 1', input: P, error: 'T2006' }, { expr: 'tags ~> $join(",")', input: P },
  ],
  regex: [
    { expr: '$contains("abc", /b/)', expect: true }, { expr: '$contains("abc", /x/)', expect: false }, { expr: '$contains("ABC", /b/i)', expect: true },
    { expr: '$replace("a1b22c", /[0-9]+/, "#")', expect: 'a#b#c' }, { expr: '$replace("John Smith", /(\\w+)\\s(\\w+)/, "$2, $1")', expect: 'Smith, John' },
    { expr: '$replace("abc", /b/, "$0$0")' }, { expr: '$replace("abc", /(b)/, "$$1")' }, { expr: '$replace("a.b.c", ".", "-")', expect: 'a-b-c' },
    { expr: '$replace("aaa", "a", "b", 2)', expect: 'bba' }, { expr: '$replace("abc", "", "x")', error: 'D3010' }, { expr: '$replace("abc", "a", "x", -1)', error: 'D3011' },
    { expr: '$split("a,b,,c", ",")' }, { expr: '$split("a1b2c", /[0-9]/)' }, { expr: '$split("a b c", " ", 2)' }, { expr: '$split("abc", "", 2)' },
    { expr: '$match("ab12cd345", /[0-9]+/)' }, { expr: '$match("ab", /(a)(x)?/)' }, { expr: '$replace("abc", /b/, function($m) { $uppercase($m.match) })' },
    { expr: 'phones[$contains(number, /^020/)].type', input: P }, { expr: '$replace(missing, /a/, "b")', input: P }, { expr: '$split("x", /(?:)/)' },
    { expr: '$replace("abc", /x*/, "-")', error: 'D1004' },
    // `??` and `?:` test a copy of their left side made through JSON: there a regex literal is `{}`, which jsonata's
    // regex engine reads as the pattern "[object Object]"
    { expr: '$match("x", /^x/i) ?? "none"', expect: 'none' }, { expr: '$match("abc", /b/) ?? "none"' }, { expr: '$match("abc", /(b)(c)?/) ?? 0' },
    { expr: '$replace("object", /z/, "-") ?? 1', expect: 'object' }, { expr: '$replace("xyz", /y/, "-") ?? 1', expect: 'x-z' },
    { expr: '$split("a b", /,/) ?: 0', expect: ['a b'] }, { expr: '$split("xyz", /y/) ?: 0', expect: ['x', 'z'] }, { expr: '$contains("to", /^x/) ?: "no"', expect: false },
    { expr: '$contains("xy", /x/) ?: "no"', expect: 'no' }, { expr: '/a/ ?: 1', expect: 1 }, { expr: '$type(/a/ ?? 1)', expect: 'function' },
    { expr: '$match(s, /[0-9]+/) ?? [s]', input: { s: 'job 42' } }, { expr: '$replace(s, /[0-9]+/, "#") ?? s', input: { s: 'x' } },
  ],
  stringFunctions: [
    { expr: '$string(5)', expect: '5' }, { expr: '$string(1/3)' }, { expr: '$string(address)', input: P }, { expr: '$string(tags)', input: P },
    { expr: '$string("x")' }, { expr: '$string(missing)', input: P }, { expr: '$string(null)' }, { expr: '$string(true)' }, { expr: '$string({"a": [1, 2.5]}, true)' },
    { expr: '$string(1e21)' }, { expr: '$string(123456789012345678)' }, { expr: '$string(0.000001)' }, { expr: '$string(1/0)', error: 'D3001' },
    { expr: '$length("héllo")', expect: 5 }, { expr: '$length(1)', error: 'T0410' }, { expr: '$length(name)', input: P }, { expr: '$length()', input: 'ctx' },
    { expr: '$substring("hello", 1, 3)', expect: 'ell' }, { expr: '$substring("hello", -3)', expect: 'llo' }, { expr: '$substring("hello", 10)' },
    { expr: '$substringBefore("a-b-c", "-")', expect: 'a' }, { expr: '$substringAfter("a-b-c", "-")', expect: 'b-c' }, { expr: '$substringAfter("abc", "x")' },
    { expr: '$uppercase("abc")' }, { expr: '$lowercase("ABC")' }, { expr: '$trim("  a   b  ")', expect: 'a b' }, { expr: '$pad("x", 3)' }, { expr: '$pad("x", -3, "#")' },
    { expr: '$join(["a", "b"], "-")', expect: 'a-b' }, { expr: '$join(tags)', input: P }, { expr: '$join("solo", ",")' }, { expr: '$join([1, 2])', error: 'T0412' },
    { expr: '$join(missing, ",")', input: P }, { expr: '$uppercase(name)', input: L }, { expr: '$base64encode("hi")' }, { expr: '$base64decode("aGk=")' },
    { expr: '$encodeUrlComponent("a b&c")' }, { expr: '$encodeUrl("https://x.org/a b")' }, { expr: '$decodeUrlComponent("a%20b")' }, { expr: '$decodeUrl("a%20b")' },
    { expr: '$uppercase()', input: 'ctx' }, { expr: '$substring(name, 0, 1)', input: P },
  ],
  numericFunctions: [
    { expr: '$number("42")', expect: 42 }, { expr: '$number("0x1F")' }, { expr: '$number("abc")', error: 'D3030' }, { expr: '$number(true)' }, { expr: '$number(numText)', input: P },
    { expr: '$abs(-5)' }, { expr: '$floor(2.7)' }, { expr: '$ceil(2.1)' }, { expr: '$round(2.5)', expect: 2 }, { expr: '$round(3.5)', expect: 4 }, { expr: '$round(1.2345, 2)' },
    { expr: '$round(1234, -2)' }, { expr: '$sqrt(16)' }, { expr: '$sqrt(-1)', error: 'D3060' }, { expr: '$power(2, 10)' }, { expr: '$power(-1, 0.5)', error: 'D3061' },
    { expr: '$formatNumber(1234.5678, "#,##0.00")', expect: '1,234.57' }, { expr: '$formatNumber(0.25, "0%")' }, { expr: '$formatBase(255, 16)', expect: 'ff' },
    { expr: '$formatInteger(1234, "w")' }, { expr: '$formatInteger(12, "I")' }, { expr: '$parseInteger("twelve", "w")' }, { expr: '$number(missing)', input: P },
  ],
  aggregation: [
    { expr: '$sum([1, 2, 3])', expect: 6 }, { expr: '$sum(orders.items.qty)', input: P }, { expr: '$sum([])', expect: 0 }, { expr: '$sum(["a"])', error: 'T0412' },
    { expr: '$max([1, 5, 3])' }, { expr: '$min([1, 5, 3])' }, { expr: '$average([1, 2, 3, 4])' }, { expr: '$max([])' }, { expr: '$count(phones)', input: P, expect: 3 },
    { expr: '$count(missing)', input: P, expect: 0 }, { expr: '$count(name)', input: P, expect: 1 }, { expr: '$sum(orders.items.(qty * price))', input: P },
  ],
  booleanFunctions: [
    { expr: '$boolean("")', expect: false }, { expr: '$boolean("0")', expect: true }, { expr: '$boolean(0)' }, { expr: '$boolean([])' }, { expr: '$boolean([0, 1])' },
    { expr: '$boolean({})' }, { expr: '$boolean(missing)', input: P }, { expr: '$not(true)' }, { expr: '$not(name)', input: P }, { expr: '$not(missing)', input: P },
    { expr: '$exists(name)', input: P, expect: true }, { expr: '$exists(missing)', input: P, expect: false }, { expr: '$exists(nothing)', input: P, expect: true },
  ],
  arrayFunctions: [
    { expr: '$append([1, 2], [3])' }, { expr: '$append(1, 2)' }, { expr: '$append(missing, [1])', input: P }, { expr: '$reverse([1, 2, 3])' }, { expr: '$reverse(missing)', input: P },
    { expr: '$distinct([1, 2, 1, "a", "a"])' }, { expr: '$distinct(phones.type)', input: P }, { expr: '$zip([1, 2], ["a", "b"])' }, { expr: '$count([[1], [2]])' },
    { expr: '$sort([3, 1, 2])' }, { expr: '$sort(["b", "a"])' }, { expr: '$sort(phones, function($a, $b) { $a.type > $b.type })', input: P },
    { expr: '$sort([1, "a"])', error: 'D3070' }, { expr: '$shuffle([1])' },
  ],
  objectFunctions: [
    { expr: '$keys(address)', input: P }, { expr: '$keys(phones)', input: P }, { expr: '$lookup(address, "city")', input: P }, { expr: '$lookup(phones, "type")', input: P },
    { expr: '$spread({"a": 1, "b": 2})' }, { expr: '$merge([{"a": 1}, {"b": 2}, {"a": 3}])' }, { expr: '$merge(missing)', input: P },
    { expr: '$each({"a": 1, "b": 2}, function($v, $k) { $k & "=" & $v })' }, { expr: '$sift(address, function($v) { $v })', input: P },
    { expr: '$type(1)' }, { expr: '$type("s")' }, { expr: '$type(null)' }, { expr: '$type([])' }, { expr: '$type({})' }, { expr: '$type(missing)', input: P },
    { expr: '$error("boom")', error: 'D3137' }, { expr: '$assert(false, "no")', error: 'D3141' }, { expr: '$assert(true, "no")' }, { expr: '$clone(address)', input: P },
  ],
  higherOrder: [
    { expr: '$map([1, 2, 3], function($v) { $v * 10 })', expect: [10, 20, 30] }, { expr: '$map(phones, function($p, $i) { $i & ":" & $p.type })', input: P },
    { expr: '$filter([1, 2, 3, 4], function($v) { $v % 2 = 0 })', expect: [2, 4] }, { expr: '$reduce([1, 2, 3, 4], function($a, $b) { $a + $b })', expect: 10 },
    { expr: '$reduce([1, 2], function($a, $b) { $a + $b }, 10)' }, { expr: '$single([1, 2, 3], function($v) { $v = 2 })' }, { expr: '$single([1, 2], function($v) { true })', error: 'D3138' },
    { expr: '$map([1, 2], $string)' }, { expr: '$map(["a"], $uppercase)' }, { expr: '$filter(phones, function($p) { $p.ext })', input: P },
  ],
  dateTime: [
    { expr: '$toMillis("2026-07-14T00:25:28.123Z")' }, { expr: '$fromMillis(1784000000000)' }, { expr: '$fromMillis(epoch, "[Y0001]-[M01]-[D01]")', input: P },
    { expr: '$fromMillis(0, "[FNn], [D1o] [MNn] [Y]")' }, { expr: '$toMillis("14/07/2026", "[D01]/[M01]/[Y0001]")' }, { expr: '$fromMillis(0, "[H01]:[m01]", "+0530")' },
    { expr: '$toMillis("not a date")', error: 'D3110' }, { expr: '$type($now())' }, { expr: '$type($millis())' }, { expr: '$now() = $now()', expect: true },
  ],
  engineFunctions: [
    { expr: '$toIso(when)', input: P }, { expr: '$toIso(epoch)', input: P }, { expr: '$toIso("2026-07-14 00:25:28")' }, { expr: '$toIso(missing)', input: P },
    { expr: '$toBool(boolText)', input: P }, { expr: '$toBool("nope")' }, { expr: '$str(age)', input: P }, { expr: '$str(nothing)', input: P }, { expr: '$str(address)', input: P },
    { expr: '$firstNonEmpty(empty, nothing, name)', input: P }, { expr: '$firstNonEmpty([empty, "x"])', input: P }, { expr: '$removeEmpty({"a": "", "b": 1, "c": []})' },
    { expr: '$mapValues("active", {"ACTIVE": "on"})' }, { expr: '$mapValues("x", {"a": 1})' }, { expr: '$joinNonEmpty([name, nothing, surname])', input: P },
    { expr: '$joinNonEmpty(tags, ", ")', input: P }, { expr: '$splitName("Ada King Lovelace")' }, { expr: '$primaryEmail([{"email": "a@x"}, {"email": "b@x", "is_primary": true}])' },
    { expr: '$str(phones.type)', input: P }, { expr: '$str', input: P },
    { expr: '$scimString(name)', input: P, expect: '"Ada"' }, { expr: "$scimString('a\"b\\\\c')", expect: '"a\\"b\\\\c"' }, { expr: '$scimString(missing)', input: P },
    { expr: '"emails eq " & $scimString($x)', bindings: { x: 'x" or userName eq "y' }, expect: 'emails eq "x\\" or userName eq \\"y"' },
    { expr: "$odataString(\"o'brien\")", expect: "'o''brien'" }, { expr: '$odataString(age)', input: P, expect: "'36'" }, { expr: '$odataString(nothing)', input: P },
    { expr: "$soqlString(\"x\\\\' OR Name != '\")", expect: "'x\\\\\\' OR Name != \\''" }, { expr: '$soqlString(missing)', input: P },
    { expr: "$backslashQuoted(\"o'b\\\\\")", expect: "'o\\'b\\\\'" }, { expr: "$backslashQuoted('say \"hi\"', '\"')", expect: '"say \\"hi\\""' },
    { expr: "$scimString(tags)", input: P }, { expr: "$odataString(address)", input: P },
  ],
  errors: [
    { expr: '$substring(123, 1)' }, { expr: '$uppercase(1, 2)', error: 'T0410' }, { expr: '$sum(1, 2)', error: 'T0410' },
    { expr: '{"a": 1}.a + "x"', error: 'T2002' }, { expr: 'name(1)', input: P }, { expr: '$lowercase(tags)', input: P, error: 'T0410' },
  ],
  sequences: [
    { expr: 'phones.number[0]', input: P }, { expr: '(phones.number)[0]', input: P }, { expr: 'orders.items[0]', input: P }, { expr: 'orders.(items[0])', input: P },
    { expr: 'orders.items.sku[-1]', input: P }, { expr: 'phones[0].type[0]', input: P }, { expr: '$count(orders.items)', input: P },
    { expr: 'orders.{"id": id, "skus": items.sku}', input: P }, { expr: 'orders.{"id": id, "skus": [items.sku]}', input: P },
    { expr: '[orders.items.sku]', input: P }, { expr: '$x', bindings: { x: [] } }, { expr: '$x.a', bindings: { x: [{ a: 1 }] } }, { expr: 'a', input: { a: [] } },
  ],
};

export function allCases(): { group: string; index: number; kase: Case }[] {
  return Object.entries({ ...CASES, ...CONSTRUCT_CASES }).flatMap(([group, list]) => list.map((kase, index) => ({ group, index, kase })));
}
