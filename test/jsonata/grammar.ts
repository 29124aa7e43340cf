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
/** Functions of one argument, as values (chains, `~>`, higher-order built-ins). */
const unaryValues = ['$string', '$uppercase', '$lowercase', '$trim', '$count', '$sum', '$keys', '$length', '$number', '$boolean', '$type', '$str', '$reverse'];
/** Partial applications of built-ins and engine functions. */
const partials = ['$substring(?, 0, 2)', '$substring(?, 1)', '$join(?, ",")', '$split(?, ",")', '$contains(?, "a")', '$pad(?, 4, "*")', '$round(?, 1)', '$lookup(?, "a")',
  '$replace(?, "a", "b")', '$match(?, /[0-9]+/)', '$firstNonEmpty(?, "none")', '$append(?, 1)', '$formatBase(?, 2)'];
/** Signatures for lambdas of one parameter (coercions, context, choices, subtypes). */
const signatures = ['<n:n>', '<s-:s>', '<a:a>', '<x>', '<a<n>>', '<a<s>:a>', '<(sn)>', '<j?>', '<o>', '<b?>', '<x-:x>', '<(oa)>', '<s?>', '<f>'];

/**
 * Items beside a constructor item that binds `$v` (or `$w`): reading either anywhere but as a whole item races the
 * binding in jsonata, so those are left to jsonata and not generated here; nor is a binding inside an item.
 */
const noSiblingReads = (source: string): boolean => !/\$[vw]\b/.test(source) && !source.includes(':=');
const ownReadsOnly = (source: string): boolean => !/\$w\b/.test(source) && !source.includes(':=');

const grammar = fc.letrec((tie) => {
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
      tie('construct'),
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
    // the constructs beyond plain paths and calls: order-by, grouping, partial application and chains, immediately
    // invoked lambdas with and without signatures, `%`, `@` and `#`, transforms, $eval, calls of anything, tail calls
    construct: fc.oneof(
      fc.tuple(tie('path'), fc.array(fc.tuple(fc.constantFrom('', '<', '>'), fc.oneof(name, fc.constant('$'), expr)), { minLength: 1, maxLength: 2 }))
        .map(([path, terms]) => `${path}^(${terms.map(([d, t]) => `${d}${t}`).join(', ')})`),
      fc.tuple(name, fc.array(name, { maxLength: 2 }), fc.oneof(name, fc.constantFrom('"k"', '$string($)'), expr), expr)
        .map(([head, steps, key, value]) => `${[head, ...steps].join('.')}{${key}: ${value}}`),
      fc.tuple(fc.constantFrom(...partials), expr).map(([p, a]) => `${p}(${a})`),
      fc.tuple(expr, fc.constantFrom(...partials)).map(([a, p]) => `$map(${a}, ${p})`),
      fc.tuple(expr, expr, expr).map(([body, x, y]) => `($f := function($v, $w) { ${body} }; $f(?, ${x})(${y}))`),
      fc.tuple(expr, fc.constantFrom(...unaryValues), fc.constantFrom(...unaryValues)).map(([a, f, g]) => `(${a} ~> ${f} ~> ${g})`),
      fc.tuple(fc.constantFrom(...unaryValues, ...partials), fc.constantFrom(...unaryValues), expr).map(([f, g, a]) => `($c := ${f} ~> ${g}; $c(${a}))`),
      fc.tuple(expr, expr).map(([body, arg]) => `function($v) { ${body} }(${arg})`),
      fc.tuple(fc.constantFrom(...signatures), expr, expr).map(([sig, body, arg]) => `function($v)${sig} { ${body} }(${arg})`),
      fc.tuple(fc.constantFrom(...signatures), expr).map(([sig, body]) => `function($v)${sig} { ${body} }()`),
      fc.tuple(name, name, name, expr).map(([a, b, c, v]) => `${a}.${b}.{"p": %.${c}, "v": ${v}}`),
      fc.tuple(name, name, name).map(([a, b, c]) => `${a}.${b}[%.${c}].${c}`),
      fc.tuple(name, name, expr).map(([a, b, p]) => `${a}@$v.${b}@$w[${p}].{"v": $v, "w": $w}`),
      fc.tuple(name, name, expr).map(([a, b, v]) => `${a}.${b}#$i.{"i": $i, "v": ${v}}`),
      fc.tuple(name, name).map(([a, b]) => `${a}#$i[$i > 0].${b}`),
      fc.tuple(expr, name, expr, fc.constantFrom('', ', "a"', ', ["a", "b"]')).map(([target, pattern, update, remove]) => `(${target} ~> |${pattern}|${update}${remove}|)`),
      fc.tuple(name, expr).map(([pattern, update]) => `($ ~> |${pattern}|{"u": ${update}}|)`),
      expr.map((e) => `$eval(${JSON.stringify(e)})`),
      fc.tuple(expr, expr).map(([e, focus]) => `($v := 2; $eval(${JSON.stringify(e)}, ${focus}))`),
      // $eval in tail position, as a value, composed and partially applied: it reads the variables of its caller
      fc.tuple(expr, expr).map(([e, arg]) => `($v := 3; $g := function($v) { $eval(${JSON.stringify(e)}) }; $g(${arg}))`),
      fc.tuple(expr, expr).map(([e, items]) => `($g := function($v) { $eval(${JSON.stringify(e)}) }; $map(${items}, $g))`),
      fc.tuple(expr, expr).map(([e, arg]) => `($e := $eval; $w := 1; function($w) { $e(${JSON.stringify(e)}) }(${arg}))`),
      fc.tuple(expr, expr).map(([e, focus]) => `($p := $eval(?, ${focus}); $p(${JSON.stringify(e)}))`),
      expr.map((e) => `(${JSON.stringify(e)} ~> $eval)`),
      fc.tuple(expr, expr).map(([proc, arg]) => `(${proc})(${arg})`),
      fc.tuple(expr, expr).map(([step, end]) => `($f := function($v, $w) { $v > 0 ? $f($v - 1, ${step}) : ${end} }; $f(3, 0))`),
      // filters and `#` after an order-by in a tuple stream
      fc.tuple(name, fc.constantFrom('[$i < 2]', '[0]', '[-1]', '[$i > 0][0]'), fc.constantFrom('$', 'a', '$string($)')).map(([n, f, t]) => `${n}^(>${t})#$i${f}`),
      fc.tuple(name, fc.constantFrom('[0]', '[-1]', '#$j[1]', '[]'), fc.constantFrom('$', 'a', '$string($)')).map(([n, f, t]) => `${n}#$i^(${t})${f}.{"i": $i, "v": $}`),
      // indexes after a tail call (they filter its thunk), and regex literals called as matchers
      fc.tuple(expr, fc.constantFrom('[0]', '[-1]', '[1]', '[]', '[0][1]'), expr).map(([arg, filter, other]) => `function($v) { ($v ? $string($v) : ${other})${filter} }(${arg})`),
      fc.tuple(fc.constantFrom('/a/', '/[0-9]+/', '/^x/i', '/(b)(c)?/'), expr).map(([re, text]) => `${re}(${text})`),
    ),
    // bindings in constructors (siblings read the variable as it was before): outermost only, since a constructor
    // whose keys are computed evaluates a value once per group, all at once, and is left to jsonata with bindings inside
    constructorBindings: fc.oneof(
      fc.tuple(expr.filter(ownReadsOnly), expr.filter(noSiblingReads)).map(([a, b]) => `($v := ${b}; [$v := ${a}, $v, $w := $v, ${b}])`),
      fc.tuple(expr.filter(ownReadsOnly), name, expr.filter(noSiblingReads)).map(([a, n, b]) => `${n}.{"k1": $v := ${a}, "k2": $v, "k3": ${b}}`),
    ),
    regex: fc.tuple(expr, fc.constantFrom('/a/', '/[0-9]+/', '/^x/i', '/(b)(c)?/'), fc.constantFrom('$contains', '$replace', '$split', '$match'))
      .map(([s, re, f]) => (f === '$replace' ? `${f}(${s}, ${re}, "<$1>")` : `${f}(${s}, ${re})`)),
  };
});

export const expression = grammar.expr as fc.Arbitrary<string>;
/** Expressions whose outermost construct is one of those beyond plain paths and calls (see `construct`). */
export const constructExpression = fc.oneof(grammar.construct as fc.Arbitrary<string>, grammar.constructorBindings as fc.Arbitrary<string>);

/**
 * Generated sources worth running: jsonata parses them, and they avoid `?:` around a regex literal (jsonata
 * 2.2.2 copies the regex node into a plain object there, on which its own RegExp engine can loop forever).
 */
export function usable(source: string): boolean {
  if (source.length >= 400) return false;
  if (source.includes('?:') && /\/[^/]+\/i?/.test(source)) return false;
  try {
    require('jsonata')(source);
    return true;
  } catch {
    return false;
  }
}
