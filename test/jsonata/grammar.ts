import fc from 'fast-check';

/**
 * Random JSONata expressions from the grammar (paths, predicates, operators, constructors, conditionals, blocks,
 * bindings, lambdas, built-in and engine functions) and random JSON inputs over a small vocabulary of field
 * names, so that generated paths actually hit data.
 */
const FIELDS = ['a', 'b', 'c', 'arr', 'obj', 'n', 's'];

export const jsonInput: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { maxDepth: 3, depthIdentifier: 'json', withCrossShrink: true },
    fc.integer({ min: -5, max: 20 }),
    fc.constantFrom(0, 1.5, -2.25, 100, 0.1),
    fc.constantFrom('', 'x', 'abc', 'Hello World', '2026-07-14', 'a,b', '42', 'true'),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    tie('object'),
  ),
  object: fc.dictionary(fc.constantFrom(...FIELDS), tie('value'), { maxKeys: 5 }),
})).value;

export const rootInput: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.dictionary(fc.constantFrom(...FIELDS), jsonInput, { maxKeys: 6 }) },
  { weight: 1, arbitrary: fc.array(fc.dictionary(fc.constantFrom(...FIELDS), jsonInput, { maxKeys: 4 }), { maxLength: 3 }) },
  { weight: 1, arbitrary: jsonInput },
);

const name = fc.constantFrom(...FIELDS);
const literal = fc.oneof(
  fc.integer({ min: -3, max: 10 }).map(String),
  fc.constantFrom('1.5', '0', '"x"', '"abc"', "'a,b'", '""', 'true', 'false', 'null', '"A"'),
);
const variable = fc.constantFrom('$', '$$', '$v', '$w');

const unaryFns = ['$string', '$length', '$count', '$sum', '$exists', '$not', '$boolean', '$uppercase', '$lowercase', '$trim', '$number', '$keys',
  '$reverse', '$type', '$distinct', '$abs', '$floor', '$round', '$max', '$min', '$average', '$str', '$toIso', '$toBool', '$removeEmpty', '$splitName', '$primaryEmail', '$spread', '$merge', '$append'];
const binaryFns = ['$join', '$substring', '$substringBefore', '$substringAfter', '$contains', '$split', '$lookup', '$append', '$pad', '$joinNonEmpty', '$firstNonEmpty', '$mapValues', '$round', '$formatBase'];
const binaryOps = ['+', '-', '*', '/', '%', '=', '!=', '<', '<=', '>', '>=', 'and', 'or', '&', 'in', '..'];

export const expression: fc.Arbitrary<string> = fc.letrec((tie) => {
  const expr = tie('expr') as fc.Arbitrary<string>;
  return {
    expr: fc.oneof(
      { maxDepth: 4, depthIdentifier: 'expr', withCrossShrink: true },
      literal,
      name,
      variable,
      tie('path'),
      tie('binary'),
      tie('call'),
      tie('array'),
      tie('object'),
      tie('condition'),
      tie('block'),
      tie('hof'),
      tie('regex'),
    ),
    path: fc.tuple(fc.oneof(name, variable, fc.constant('*')), fc.array(fc.oneof(name, fc.constant('*'), tie('predicated'), fc.constant('$'), tie('object')), { minLength: 1, maxLength: 3 }), fc.boolean())
      .map(([head, steps, keep]) => `${head}.${steps.join('.')}${keep ? '[]' : ''}`),
    predicated: fc.tuple(name, fc.oneof(fc.integer({ min: -2, max: 3 }).map(String), expr)).map(([n, p]) => `${n}[${p}]`),
    // ranges end at a small literal so that no generated case allocates millions of items
    binary: fc.tuple(expr, fc.constantFrom(...binaryOps), expr, fc.integer({ min: -2, max: 12 })).map(([l, op, r, end]) => (op === '..' ? `[${l}..${end}]` : `(${l} ${op} ${r})`)),
    call: fc.oneof(
      fc.tuple(fc.constantFrom(...unaryFns), expr).map(([f, a]) => `${f}(${a})`),
      fc.tuple(fc.constantFrom(...binaryFns), expr, expr).map(([f, a, b]) => `${f}(${a}, ${b})`),
      fc.tuple(expr, fc.constantFrom('$uppercase()', '$string()', '$count()', '$join(",")')).map(([a, f]) => `${a} ~> ${f}`),
    ),
    array: fc.array(expr, { maxLength: 3 }).map((items) => `[${items.join(', ')}]`),
    object: fc.array(fc.tuple(fc.oneof(fc.constantFrom('"k1"', '"k2"', '"k3"'), name), expr), { maxLength: 3 })
      .map((pairs) => `{${pairs.map(([k, v]) => `${k}: ${v}`).join(', ')}}`),
    condition: fc.oneof(
      fc.tuple(expr, expr, expr).map(([c, t, e]) => `(${c} ? ${t} : ${e})`),
      fc.tuple(expr, expr).map(([c, t]) => `(${c} ? ${t})`),
      fc.tuple(expr, expr).map(([a, b]) => `(${a} ?: ${b})`),
      fc.tuple(expr, expr).map(([a, b]) => `(${a} ?? ${b})`),
    ),
    block: fc.tuple(expr, expr, expr).map(([a, b, c]) => `($v := ${a}; $w := ${b}; ${c})`),
    hof: fc.oneof(
      fc.tuple(expr, expr).map(([arr, body]) => `$map(${arr}, function($v, $i) { ${body} })`),
      fc.tuple(expr, expr).map(([arr, body]) => `$filter(${arr}, function($v) { ${body} })`),
      fc.tuple(expr, expr).map(([f, arg]) => `($f := function($v) { ${f} }; $f(${arg}))`),
      fc.tuple(expr, expr).map(([arr, body]) => `$reduce(${arr}, function($v, $w) { ${body} })`),
    ),
    regex: fc.tuple(expr, fc.constantFrom('/a/', '/[0-9]+/', '/^x/i', '/(b)(c)?/'), fc.constantFrom('$contains', '$replace', '$split', '$match'))
      .map(([s, re, f]) => (f === '$replace' ? `${f}(${s}, ${re}, "<$1>")` : `${f}(${s}, ${re})`)),
  };
}).expr as fc.Arbitrary<string>;

/**
 * Generated sources worth running: jsonata parses them, and they avoid `?:` around a regex literal (jsonata
 * 2.2.2 copies the regex node into a plain object there and can loop forever; the compiler refuses that shape).
 */
export function usable(source: string): boolean {
  if (source.length >= 400) return false;
  if (source.includes('?:') && /\/[^/]+\/i?/.test(source)) return false;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('jsonata')(source);
    return true;
  } catch {
    return false;
  }
}
