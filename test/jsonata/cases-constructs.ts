import type { Case } from './cases';

/**
 * Cases for the constructs compiled beyond plain paths and calls: order-by, grouping, partial application and
 * function chains, immediately invoked lambdas, signatures, `%`, `@`/`#`, transforms, `$eval`, calls of values
 * that are not functions, and tail calls. `position`/`token` pin where jsonata reports an error.
 */
const shop = {
  Account: {
    Name: 'Firefly',
    Order: [
      { OrderID: 'o1', Product: [{ Name: 'Bowler', SKU: 'a', Price: 34.45, Quantity: 2 }, { Name: 'Trilby', SKU: 'b', Price: 21.67, Quantity: 1 }] },
      { OrderID: 'o2', Product: [{ Name: 'Bowler', SKU: 'a', Price: 34.45, Quantity: 4 }, { Name: 'Cloak', SKU: 'c', Price: 107.99, Quantity: 1 }] },
    ],
  },
};
const library = {
  books: [
    { title: 'Structure', isbn: '026', authors: ['Abelson', 'Sussman'], price: 25 },
    { title: 'Algorithms', isbn: '033', authors: ['Cormen', 'Leiserson'], price: 40 },
    { title: 'Compilers', isbn: '088', authors: ['Aho'], price: 30 },
  ],
  loans: [{ customer: 'c1', isbn: '026' }, { customer: 'c3', isbn: '088' }, { customer: 'c3', isbn: '033' }],
  customers: [{ id: 'c1', name: 'Joe' }, { id: 'c2', name: 'Fred' }, { id: 'c3', name: 'Jason' }],
};
const rows = { items: [{ a: 3, b: 'x' }, { a: 1, b: 'y' }, { a: 2 }, { b: 'z' }, { a: 1, b: 'w' }], nums: [5, 3, 9, 1], one: [{ a: 1 }], mixed: [1, 'a'], nested: [[3, 1], [2]] };

export const CONSTRUCT_CASES: Record<string, Case[]> = {
  'order-by': [
    { expr: 'items^(a)', input: rows }, { expr: 'items^(>a, b).b', input: rows, expect: ['x', 'w', 'y', 'z'] }, { expr: 'items^(a)[0]', input: rows, expect: { a: 1, b: 'y' } },
    { expr: 'items^(b).a', input: rows }, { expr: 'nums^($)', input: rows, expect: [1, 3, 5, 9] }, { expr: 'nums^(>$)', input: rows, expect: [9, 5, 3, 1] },
    { expr: '[3, 1, 2]^($)', expect: [1, 2, 3] }, { expr: '[5]^($)', expect: 5 }, { expr: '[]^($)' }, { expr: 'one^(a)', input: rows, expect: { a: 1 } },
    { expr: '$.one^(a)', input: rows }, { expr: 'items^(c)', input: rows }, { expr: 'items^(a).b^(>$)', input: rows }, { expr: 'items^(a)^(b)', input: rows },
    { expr: 'items^(a)[]', input: rows }, { expr: 'nums^($)[]', input: rows }, { expr: 'one^(a)[]', input: rows }, { expr: 'items^(a)[0].b', input: rows },
    { expr: 'items.(b)^($)', input: rows }, { expr: 'nums.$^(>$)', input: rows }, { expr: '$string(items^(a)[0])', input: rows }, { expr: 'items^($uppercase(b))', input: rows },
    { expr: 'Account.Order.Product^(>Price)[0].Name', input: shop, expect: 'Cloak' }, { expr: 'Account.Order.Product^(Name, >Quantity).SKU', input: shop },
    { expr: 'Account.Order.Product^(Price * Quantity).(Price * Quantity)', input: shop }, { expr: 'Account.Order^(>$count(Product)).OrderID', input: shop },
    { expr: '$sum(Account.Order.Product^(>Price)[[0..1]].Price)', input: shop }, { expr: '($x := "y"; items^(b = $x ? 0 : 1).b)', input: rows },
    { expr: 'nested^($[0])', input: rows }, { expr: 'missing^(a)', input: rows }, { expr: '$x^($)', bindings: { x: [2, 1] } }, { expr: '$x^($)', bindings: { x: [7] } },
    { expr: 'items^(["a"])', input: rows, error: 'T2008', position: 6 }, { expr: 'items^(a = 1)', input: rows, error: 'T2008', position: 6 },
    { expr: 'mixed^($)', input: rows, error: 'T2007', position: 6 }, { expr: 'items^(a + "x")', input: rows, error: 'T2002', position: 10, token: '+' },
    { expr: '$map([[3, 1, 2], [2, 1]], function($v) { $v^($) })' }, { expr: 'function($l) { $l^(>$) }([1, 3, 2])' },
  ],
  grouping: [
    { expr: 'Account.Order.Product{Name: Quantity}', input: shop, expect: { Bowler: [2, 4], Trilby: 1, Cloak: 1 } },
    { expr: 'Account.Order.Product{Name: $sum(Quantity)}', input: shop, expect: { Bowler: 6, Trilby: 1, Cloak: 1 } },
    { expr: 'Account.Order{OrderID: Product.Name}', input: shop }, { expr: 'Account.Order.Product{SKU: Name, Name: SKU}', input: shop },
    { expr: 'Account.Order.Product{Name: {"total": $sum(Quantity), "skus": $distinct(SKU)}}', input: shop },
    { expr: 'Account.Order.Product{`Name`: Price * Quantity}', input: shop }, { expr: 'Account.Order.Product{Name & "/" & SKU: Quantity}', input: shop },
    { expr: 'items{b: a}', input: rows }, { expr: 'items{$string(a): b}', input: rows }, { expr: 'items{b: $$.nums}', input: rows }, { expr: 'nums{"k": $}', input: rows },
    { expr: '$x{"a": 1}' }, { expr: 'missing{"a": 1}', input: rows, expect: { a: 1 } }, { expr: 'items{"x": a, "x": b}', input: rows, error: 'D1009', position: 6 },
    { expr: 'items{a: b}', input: rows, error: 'T1003', position: 6 }, { expr: 'items{"_jsonata_lambda": a}', input: rows, error: 'D1013' },
    { expr: 'Account.Order.Product{Name: $each($, function($v, $k) { $k })}', input: shop }, { expr: 'Account.Order.Product{Name: Price}.Bowler', input: shop },
    { expr: 'Account.Order.{OrderID: Product{Name: Quantity}}', input: shop }, { expr: '[1, 2, 3]{"n": $}' }, { expr: '(Account.Order.Product){SKU: Quantity}', input: shop },
    { expr: 'Account.Order.Product[Price > 30]{Name: Price}', input: shop }, { expr: 'Account.Order.Product^(Price){Name: Price}', input: shop },
    { expr: 'Account.Order.Product{Name: function() { 1 }}', input: shop }, { expr: '$map([{"k": "a"}, {"k": "b"}], function($v) { $v{k: 1} })' },
    // literal keys over a sequence: every item under every key, keys in the order of jsonata's groups object
    { expr: 'items.{"b": $count(a), "10": b, "2": $, "a": $sum(a)}', input: rows }, { expr: 'Account.Order.Product{SKU: {"n": $count(Name), "1": Name, "all": $}}', input: shop },
    { expr: 'nested{"x": $, "n": $count($)}', input: rows }, { expr: 'items{"a": $, "b": $[0]}', input: rows }, { expr: 'missing{"a": $, "b": 2}', input: rows },
    { expr: '$.[items]{"n": $count($), "s": $sum(a)}', input: rows }, { expr: 'items{"a": $sum(b), "b": $sum(a)}', input: rows, error: 'T0412' },
    { expr: 'items{"a": $count($), "b": $sum(b)}', input: rows, error: 'T0412' }, { expr: 'mixed{"s": $string($), "k": $}', input: rows },
    { expr: '{"n": $count($), "1": $, "x": $[0], "y": $[1]}', input: [1, [2, 3], { a: 1 }] }, { expr: '{"n": $count($), "all": $}', input: [] },
    { expr: 'Account.Order.Product{SKU: {"a": $sum(Name), "b": $sum(Price)}}', input: shop, error: 'T0412' },
    { expr: 'Account.Order.Product{SKU: {"a": $sum(Price), "b": $sum(Name)}}', input: shop, error: 'T0412' },
  ],
  'partial application': [
    { expr: '$substring(?, 0, 2)("hello")', expect: 'he' }, { expr: '($first := $substring(?, 0, 1); $first("xyz"))', expect: 'x' },
    { expr: '($f := function($x, $y) { $x & $y }; $g := $f(?, "!"); $g("a"))', expect: 'a!' }, { expr: '($f := function($x, $y, $z) { [$x, $y, $z] }; $f(?, 2, ?)(1, 3))' },
    { expr: '($f := function($x, $y) { [$x, $y] }; $f(?)(1))' }, { expr: '($f := function($x) { $x }; $f(1, ?, ?)(2))' }, { expr: '$uppercase(?)("abc")', expect: 'ABC' },
    { expr: '$map(["ab1", "c22"], $match(?, /[0-9]+/))' }, { expr: '$map(["a-b", "c"], $split(?, "-"))' }, { expr: '$map([1.256, 2.5], $round(?, 1))' },
    { expr: '$map([["a", "b"], ["c"]], $join(?, "-"))' }, { expr: '$contains(?, "b")("abc")', expect: true }, { expr: '$count(?)([1, 2])', expect: 2 },
    { expr: '$string(?)', error: 'S0208' }, { expr: '$uppercase(?)(5)' }, { expr: '($x := null; $x(?))', error: 'T1008', position: 16, token: 'x' },
    { expr: 'uppercase(?)', error: 'T1007', position: 10, token: 'uppercase' }, { expr: 'nothing(?)', error: 'T1008' }, { expr: '$f(?, 1)(2)', bindings: { f: (a: number, b: number) => a - b }, expect: 1 },
    { expr: '($f := function($a, $b)<nn:n> { $a + $b }; $f(?, 2)("x"))', error: 'T2001' }, { expr: '($p := $pad(?, 4, "*"); [$p("a"), $p("bb")])' },
    { expr: '($add := function($a, $b) { $a + $b }; $inc := $add(1, ?); $twice := $inc(?); $twice(5))', expect: 6 },
  ],
  'function chains': [
    { expr: '"  ab " ~> $uppercase ~> $trim', expect: 'AB' }, { expr: '($c := $uppercase ~> $trim; $c("  ab "))', expect: 'AB' },
    { expr: '($c := $trim ~> $uppercase ~> $substring(?, 0, 1); $c(" xyz"))', expect: 'X' }, { expr: '($f := function($x) { $x * 2 } ~> function($x) { $x + 1 }; $f(5))', expect: 11 },
    { expr: '[1, 2, 3] ~> $map(?, function($v) { $v * 10 }) ~> $sum', expect: 60 }, { expr: '$uppercase ~> $trim' },
    { expr: '($c := $uppercase ~> $trim; $c(5))', error: 'T0410' }, { expr: '"x" ~> ($uppercase ~> $lowercase)' }, { expr: '"a" ~> $substring(?, 0, 1) ~> $uppercase' },
    { expr: '($c := $substring(?, 1) ~> $uppercase; $map(["ab", "cd"], $c))' }, { expr: '"x" ~> (1 ~> $string)', error: 'T2006' },
  ],
  'immediately invoked lambdas': [
    { expr: 'function($x) { $x + 1 }(5)', expect: 6 }, { expr: '(function($x) { $x + 1 })(2)', expect: 3 }, { expr: 'function() { $ }()', input: { a: 1 } },
    { expr: 'function($f) { $f($f) }(function($g) { 1 })', expect: 1 }, { expr: '($mk := function($k) { function($x) { $x * $k } }; $mk(3)(4))', expect: 12 },
    { expr: '($Y := function($f) { (function($x) { $x($x) })(function($g) { $f(function($a) { $g($g)($a) }) }) }; [1, 2, 3, 4, 5, 6, 7, 8] ~> $map($Y(function($f) { function($n) { $n <= 1 ? $n : $f($n - 1) + $f($n - 2) } })))', expect: [1, 1, 2, 3, 5, 8, 13, 21] },
    { expr: 'function($x) { $x }()' }, { expr: 'items.function() { a }()', input: rows }, { expr: '[1, 2].(function($v) { $v * $ }(3))' },
    { expr: '($f := function() { $uppercase() }; ["a", "b"].$f())', expect: ['A', 'B'] }, { expr: '($f := function() { ($uppercase()) }; ["a", "b"].$f())' },
    { expr: '($f := function($x) { function() { $x } }; $f(7)())', expect: 7 }, { expr: 'Account.Order.(function() { OrderID })()', input: shop },
  ],
  signatures: [
    { expr: 'function($x)<n:n> { $x * 2 }(4)', expect: 8 }, { expr: 'function($x)<n:n> { $x }("a")', error: 'T0410', position: 25 },
    { expr: '($f := function($x)<n:n> { $x }; $f("a"))', error: 'T0410', token: 'f' }, { expr: 'function($x)<n-:n> { $x }()' }, { expr: '($f := function($x)<s-:s> { $x }; ("abc").$f())', expect: 'abc' },
    { expr: '($f := function($x)<s-:s> { $x }; (1).$f())', error: 'T0411' }, { expr: 'function($a, $b)<s?n> { [$a, $b] }(5)', expect: [5] }, { expr: 'function($a)<a> { $a }(5)', expect: [5] },
    { expr: 'function($a)<a<n>> { $a }([1, 2])', expect: [1, 2] }, { expr: 'function($a)<a<n>> { $a }([1, "x"])', error: 'T0412' }, { expr: 'function($a)<a<s>> { $a }("x")', expect: ['x'] },
    { expr: 'function($a)<a<s>> { $a }(1)', error: 'T0412' }, { expr: 'function($a, $b)<x+> { [$a, $b] }(1, "a", true)' }, { expr: 'function($a)<n> { $a }(1, 2)', error: 'T0410' },
    { expr: 'function($a, $b)<(sn)(sn)> { $a & $b }(1, "b")', expect: '1b' }, { expr: 'function($a)<(sn)> { $a }(true)', error: 'T0410' }, { expr: 'function($f)<f> { $f(2) }(function($x) { $x * 3 })', expect: 6 },
    { expr: 'function($f)<f<n:n>> { $f(2) }(function($x) { $x * 3 })' }, { expr: 'function($o)<o> { $keys($o) }({"a": 1})' }, { expr: 'function($o)<o> { $o }([1])', error: 'T0410' },
    { expr: 'function($x)<j> { $x }(null)' }, { expr: 'function($x)<l> { $x }(null)' }, { expr: 'function($x)<b> { $x }(true)' }, { expr: 'function($x)<b?> { $x }()' },
    { expr: 'function($a, $b)<ss?> { [$a, $b] }("x")' }, { expr: 'function($a, $b)<s-s> { [$a, $b] }("x")', input: 'ctx' }, { expr: 'function($a, $b)<s-s?> { [$a, $b] }()', input: 'ctx' },
    { expr: '$map([1, 2], function($v)<n:n> { $v * 10 })', expect: [10, 20] }, { expr: '$map(["a"], function($v)<n:n> { $v })', error: 'T0410' },
    { expr: '($f := function($n)<n:n> { $n <= 1 ? 1 : $n * $f($n - 1) }; $f(10))', expect: 3628800 },
    { expr: '($loop := function($n, $acc)<nn:n> { $n = 0 ? $acc : $loop($n - 1, $acc + $n) }; $loop(3000, 0))', expect: 4501500 },
    { expr: '($loop := function($n)<n:n> { $n = 0 ? "done" : $loop("x") }; $loop(3))', error: 'T0410' },
    { expr: 'function($a)<x?x?x?x?x?x?x?x?x?x?x?x?x?x?x?x?x?x?x?x?x?x?n> { $a }("s", "s", "s", "s", "s", "s", "s", "s", "s", "s", "s", "s", "s", "s", "s", "s", "s", "s", "s", "s", "s", "s", "s")', error: 'T0410' },
    // `??` and `?:` test a copy of their left side made through JSON, whose lambdas keep their signature's text but
    // lose its validator: calling one fails with JavaScript's TypeError, as in jsonata
    { expr: 'function($v)<n:n> { $v }(1) ?: 0', position: 25 }, { expr: 'function($v)<n:n> { $v }("x") ?? 0', position: 25 }, { expr: 'function($v)<n:n> { $v } ?: 0', expect: 0 },
    { expr: '($f := function($v)<n:n> { $v }; $f) ?: 0', expect: 0 }, { expr: '$exists(function($v)<s:s> { $v }) ?: 1', expect: true }, { expr: '(function($v)<n:n> { $v } ?? 0)(5)', expect: 5 },
    { expr: '$map([1], function($v)<n:n> { $v }) ?? 0', position: 5, token: 'map' }, { expr: 'b{"obj": (function($v)<b?> { -3 }() ?: 1)}', input: { b: 'k' }, position: 34 },
    { expr: 'missing{"obj": (function($v)<b?> { -3 }() ?: 1)}', input: { b: 'k' } }, { expr: 'function($n) { function($m)<n:n> { $m }($n) }(1) ?: 0', position: 24 },
  ],
  parent: [
    { expr: 'Account.Order.Product.{"name": Name, "order": %.OrderID}', input: shop }, { expr: 'Account.Order.Product.%.OrderID', input: shop },
    { expr: 'Account.Order.Product[%.OrderID = "o2"].Name', input: shop, expect: ['Bowler', 'Cloak'] }, { expr: 'Account.Order.(Product.%.%.Name)', input: shop },
    { expr: 'Account.Order.Product.%.%.Name', input: shop }, { expr: 'Account.Order.Product{%.OrderID: Name}', input: shop },
    { expr: 'Account.Order.Product.{"n": Name, "of": %.%.Name}', input: shop }, { expr: 'books.authors.%.title', input: library },
    { expr: 'Account.Order.Product.(%.OrderID & ":" & Name)', input: shop }, { expr: 'Account.Order.Product.$string(%.OrderID)', input: shop },
    { expr: 'Account.Order.Product^(%.OrderID, Price).Name', input: shop }, { expr: 'Account.Order.Product.{"f": function() { %.OrderID }}.f()', input: shop },
  ],
  'focus and index': [
    { expr: 'loans@$l.books@$b[$l.isbn = $b.isbn].{"title": $b.title, "customer": $l.customer}', input: library },
    { expr: '(loans@$l.books@$b[$l.isbn = $b.isbn].{"title": $b.title, "customer": $l.customer})', input: library },
    { expr: 'customers@$c.loans@$l[$c.id = $l.customer].books@$b[$l.isbn = $b.isbn].{"customer": $c.name, "book": $b.title}', input: library },
    { expr: 'books#$i.{"i": $i, "t": title}', input: library }, { expr: 'books#$i[$i > 0].title', input: library }, { expr: 'books[price > 26]#$i.{"i": $i, "t": title}', input: library },
    { expr: 'books.authors#$i.{"a": $, "i": $i}', input: library }, { expr: 'books@$b.authors@$a{$a: $b.title}', input: library },
    { expr: 'loans@$l.books@$b[$l.isbn = $b.isbn]{$l.customer: $b.title}', input: library }, { expr: 'books^(price)#$i.{"i": $i, "t": title}', input: library },
    { expr: 'books#$i^(>price).{"i": $i, "t": title}', input: library }, { expr: '[1, 2, 3]#$i.($i)' }, { expr: '[1, 2, 3]@$v.($v)' }, { expr: 'books#$i[0]', input: library },
    { expr: 'books#$i[-1].title', input: library }, { expr: 'books@$b#$i.{"b": $b.title, "i": $i}', input: library }, { expr: 'books#$i', input: library },
    { expr: 'nothing#$i{"a": 1}', input: library }, { expr: 'books#$i{"a": $i}', input: library }, { expr: 'books#$i{title: $i}', input: library },
    { expr: '($i := 9; books#$j.(title & $i & $j))', input: library }, { expr: 'books@$b.{"f": function() { $b.title }}.f()', input: library },
    { expr: '[books@$b.$b.price]', input: library }, { expr: '$count(books@$b.authors)', input: library }, { expr: '$x@$y.($y)', bindings: { x: [1, 2] } },
    // filters and `#` after an order-by in a tuple stream: a sort that starts the stream gives tuples; one inside it
    // copies them with $sort, after which a filter sees each tuple object (indexes are the same either way)
    { expr: 'books^(>price)#$i[$i < 2].title', input: library }, { expr: 'books^(price)#$i[$i > 0][0].{"i": $i, "t": title}', input: library },
    { expr: 'books#$i[$i < 2]^(>price)[-1].title', input: library }, { expr: 'books#$i^(>price)[0].{"i": $i, "t": title}', input: library },
    { expr: 'books#$i^(>price)#$j[1].{"i": $i, "j": $j}', input: library }, { expr: 'books#$i^(price)[]', input: library },
  ],
  transform: [
    { expr: '$ ~> |Account.Order.Product|{"Price": Price * 2}|', input: shop }, { expr: '$ ~> |Account.Order.Product|{"Total": Price * Quantity}, ["Price", "Quantity"]|', input: shop },
    { expr: '$ ~> |items|{}, "a"|', input: rows }, { expr: 'items ~> |$|{"c": 1}|', input: rows }, { expr: '$ ~> |items|"x"|', input: rows, error: 'T2011', position: 15 },
    { expr: '$ ~> |items|{}, 5|', input: rows, error: 'T2012', position: 17 }, { expr: '$ ~> |nums|{"x": 1}|', input: rows }, { expr: '"s" ~> |a|{}|', error: 'T0410' },
    { expr: '($clone := function($x) { {"cloned": $x} }; $ ~> |one|{"b": 2}|)', input: rows }, { expr: '($clone := 1; $ ~> |one|{"b": 2}|)', input: rows, error: 'T2013' },
    { expr: '($t := |items|{"z": b}|; $t($))', input: rows }, { expr: 'Account ~> |Order.Product[Price > 30]|{"Expensive": true}|', input: shop },
    { expr: 'one ~> |$|{"x": a}, "a"|', input: rows }, { expr: '$ ~> |items|{"c": a / 3, "d": a * 0.1 + 0.2, "e": -a / 7, "f": a * 1e-9 + 1e-7, "g": a * 123456789.123}|', input: rows },
    { expr: '$ ~> |items|{}, ["a", "b"]|', input: rows }, { expr: '$ ~> |items|{}, ["a", 1]|', input: rows, error: 'T2012' }, { expr: '$ ~> |items|{"a": 0.5}, b|', input: rows }, { expr: '$ ~> |one|{"x": 1}, "x"|', input: rows }, { expr: '|a|{"b": 1}|' },
    { expr: '$map(items, |$|{"seen": true}|)', input: rows }, { expr: '$ ~> |missing|{"x": 1}|', input: rows }, { expr: 'missing ~> |a|{}|', input: rows },
    // the clone is jsonata's `$clone`: numbers to 15 significant digits, -0 as 0, functions as "", flags dropped
    { expr: '$ ~> |$|{}|', input: { v: 0.30000000000000004, w: 1e21, x: -0, y: 123456789.123456789, z: [1.0000000000000002, null], n: { '__proto__': 1, k: [[]] } } },
    { expr: '{"f": function() { 1 }, "a": [1, 2]} ~> |$|{"b": 2}|' }, { expr: '[[1, 2], [3]] ~> |$|{}|' }, { expr: '{"__proto__": 1, "a": 0.1 + 0.2} ~> |$|{}|' },
    { expr: '($o := {"a": 1}; [$o ~> |$|{"a": 2}|, $o])' }, { expr: 'nested ~> |$|{}|', input: rows },
  ],
  eval: [
    { expr: '($x := 5; $eval("$x + 1"))', expect: 6 }, { expr: '$eval("a.b", {"a": {"b": 3}})', expect: 3 }, { expr: '$eval("$", [1, 2])', expect: [1, 2] },
    { expr: '$eval("1 +")', error: 'D3120', position: 6, token: 'eval' }, { expr: '$eval("1 + \\"a\\"")', error: 'D3121', position: 6, token: 'eval' },
    { expr: '($x := 1; $eval("$x := 2"); $x)', expect: 2 }, { expr: '$eval(f)', input: { a: { b: 3 }, f: 'a.b * 2' }, expect: 6 },
    { expr: '$eval(f, {"a": {"b": 10}})', input: { a: { b: 3 }, f: 'a.b * 2' }, expect: 20 }, { expr: '$eval("$$.a")', input: { a: 1 } }, { expr: '$eval(1)', error: 'T0410' },
    { expr: '$eval()' }, { expr: 'function($v) { $eval("$v * 2") }(21)' }, { expr: 'function($v) { ($eval("$v * 2")) }(21)' }, { expr: 'function($v) { $eval("$v * 2") + 0 }(21)', expect: 42 },
    { expr: '($f := function($y) { $y + 1 }; $eval("$f(1)"))', expect: 2 }, { expr: '$eval("items^(x)", {"items": [{"x": 2}, {"x": 1}]})' },
    { expr: '$map(["1+1", "2*3"], $eval)', expect: [2, 6] }, { expr: '$eval("$uppercase(x)", {"x": "a"})', expect: 'A' }, { expr: '$eval' },
    // a call in tail position is applied where the lambda was called: the text sees the caller's variables
    { expr: 'function($v) { $eval("$v * 2") }(21)', bindings: { v: 7 }, expect: 14 }, { expr: '($v := 3; function($v) { $eval("$v * 2") }(21))', expect: 6 },
    { expr: '($v := 3; $f := function($v) { $eval("$v * 2") }; $map([1, 2], $f))', expect: [6, 6] },
    { expr: '($f := function($v) { $eval("$v * 2") }; $map([1, 2], $f))', bindings: { v: 7 }, expect: [14, 14] },
    { expr: '$map([1, 2], function($v) { $eval("$v") })', bindings: { v: 7 }, expect: [7, 7] },
    { expr: '($x := 4; $f := function($x) { $eval("$x") }; $g := function($x) { $f($x + 1) }; $g(1))', expect: 4 },
    { expr: '($x := 4; $f := function($x) { $eval("$x") }; $g := function($x) { $f($x + 1) + 0 }; $g(1))', expect: 1 },
    { expr: '($v := 10; $f := function($v) { $v > 1 ? $eval("$v") : $f($v + 1) }; $f(0))', expect: 10 },
    { expr: '($f := function($v) { $eval("$v") }; $eval("$f(3)"))', bindings: { v: 7 }, expect: 7 },
    { expr: '($f := function($v) { $eval("$v") }; $sort([3, 1, 2], function($a, $b) { $f($a) > $f($b) }))' },
    { expr: 'function($v) { $eval("1 +") }(1)', error: 'D3120', position: 20, token: 'eval' },
    { expr: 'function($v) { $eval("1 + \\"a\\"") }(1)', error: 'D3121', position: 20, token: 'eval' },
    // $eval as a value runs where it is called, and in tail position where the lambda was called
    { expr: '($f := $eval; $f("1+1"))', expect: 2 }, { expr: '($f := $eval; $x := 2; $g := function($x) { $f("$x") }; $g(9))', expect: 2 },
    { expr: '($f := $eval; $x := 2; $g := function($x) { $f("$x") + 0 }; $g(9))', expect: 9 }, { expr: '"1+2" ~> $eval', expect: 3 },
    { expr: '($c := $eval ~> $string; $c("1 + 1"))', expect: '2' }, { expr: '($f := function($y) { $eval("$y & $x") }; $h := $string ~> $f; $x := "q"; $h(5))', expect: 'q' },
    // a partial application binds $expr and $focus where it is written, and runs without a context
    { expr: '($p := $eval(?); $g := function($x) { $p("$x") + 0 }; $x := 2; $g(9))', expect: 2 }, { expr: '($p := $eval(?); $p("$expr"))', expect: '$expr' },
    { expr: '($p := $eval(?, [1, 2]); $p("$focus"))', expect: [1, 2] }, { expr: '($p := $eval(?); $p("$"))', input: { a: 1 } },
    { expr: '($__proto__ := {"p": 1}; $eval("$__proto__.p"))', expect: 1 },
    { expr: '($e := $eval; function($v) { $e("$v +") }(1))', error: 'D3120', position: 31, token: 'e' },
  ],
  'calls of non-functions': [
    { expr: '($x := null; $x())', position: 16, token: 'x' }, { expr: '($x := {"a": 1}; $x())', error: 'T1006', position: 20, token: 'x' },
    { expr: 'uppercase("a")', error: 'T1005', position: 10, token: 'uppercase' }, { expr: 'nothing()', error: 'T1006', token: 'nothing' }, { expr: '$nothing()', error: 'T1006' },
    { expr: '"x"()', error: 'T1006' }, { expr: '[1]()', error: 'T1006' }, { expr: '$x.y()', bindings: { x: {} }, error: 'T1006' }, { expr: '$$.nope()', input: { a: 1 }, error: 'T1006' }, { expr: 'x.uppercase()', input: { x: {} }, error: 'T1005', token: 'uppercase' },
    { expr: 'a.b()', input: { a: { b: 1 } }, error: 'T1006' }, { expr: '(1)(2)', error: 'T1006' }, { expr: 'function() { $nothing() }()' },
    { expr: 'function() { $x() }()', bindings: { x: null } }, { expr: '$()', input: 'str', error: 'T1006' },
    // an error leaving a lambda is placed at the lambda's last call (jsonata's applyInner), not inside it; one in the
    // arguments of a tail call stays where it is (jsonata evaluates them in its trampoline, after the lambda returned)
    { expr: '($f := function() { 1 + "a" }; $f())', error: 'T2002', position: 34, token: '+' },
    { expr: '($g := function() { 1 + "a" }; $f := function() { $g() + 1 }; $f())', error: 'T2002', position: 65, token: '+' },
    { expr: '($f := function($a, $b) { $a + $b }; $p := $f(?, "x"); $p(1))', error: 'T2002', position: 58, token: '+' },
    { expr: '($f := function($n) { $n = 0 ? 1 + "a" : 1 + $f($n - 1) }; $f(3))', error: 'T2002', position: 48, token: '+' },
    { expr: '($f := function($v, $w) { $v > 0 ? $f($v - 1, $split(8, ",")) : 0 }; $f(3, 0))', error: 'T0410', position: 53, token: 'split' },
    { expr: '($f := function() { $uppercase(1) + 1 }; $map([1], $f))', error: 'T0410', position: 46, token: 'uppercase' },
    { expr: '2()', error: 'T1006', position: 2, token: 2 }, { expr: '3(?)', error: 'T1008', position: 2, token: 3 },
    // a regex literal is a matcher function: called, it gives the first match and a `next` for the others
    { expr: '/a/("xabca").start', expect: 1 }, { expr: '/a/("xabca").next().start', expect: 4 }, { expr: '/(a)(b)?/("xab").groups', expect: ['a', 'b'] },
    { expr: '$map(["a", "b"], /a/).match', expect: 'a' }, { expr: '/x*/("abc").next()', error: 'D1004' }, { expr: '/a/("abc", 1)' },
  ],
  // a constructor starts all its items at once (jsonata's Promise.all): an item that only reads a variable reads it
  // before a sibling's binding completes, later expressions see the binding
  'bindings in constructors': [
    { expr: '{"a": $x := "k", "b": $x}', expect: { a: 'k' } }, { expr: '($x := 5; [$x := 1, $x, $y := $x, $y])', expect: [1, 5, 5] },
    { expr: '($x := 5; {"a": $x := $x + 1, "b": $x})', expect: { a: 6, b: 5 } }, { expr: '($x := 0; items.{"a": $x := $x + $, "b": $x}; $x)', input: { items: [1, 2] }, expect: 3 },
    { expr: '[1, 2].{"a": $x := $, "b": $x}', expect: [{ a: 1 }, { a: 2, b: 1 }] }, { expr: '[($x := 1), $x]', expect: [1] }, { expr: '([$x := 1, 2]; $x)', expect: 1 },
    { expr: '$ ~> |$|{"b": $c := a, "c": $c}|', input: { a: 1 }, expect: { a: 1, b: 1 } }, { expr: '($t := |$|{"b": $c := a}|; $x := $t({"a": 1}); $c)', expect: 1 },
    { expr: '($c := 0; $f := function() { ($t := |$|{"b": $c := a}|; $t) }; $x := $f()({"a": 1}); $c)', expect: 0 },
    // a binding yields its value collapsed once more than it binds it (a sequence of one sequence: its item)
    { expr: '{"k1": $v := $map(4, function($x) { $map({"k1": 5, "a": 1}, function($y) { -2 }) }), "k2": $v}', expect: { k1: -2 } },
    { expr: '$string($v := $map(4, function($x) { $map({"k1": 5, "a": 1}, function($y) { -2 }) }))', expect: '-2' },
  ],
  'tail calls': [
    // Deeper than the 1,000 frames a naive recursion allows, yet short enough that the jsonata oracle stays inside its
    // 2 s budget on a busy machine (the compiled loop itself is exercised to 100,000 calls in the tail-call tests).
    { expr: '($loop := function($n, $acc) { $n = 0 ? $acc : $loop($n - 1, $acc + $n) }; $loop(6000, 0))', expect: 18003000 },
    { expr: '($even := function($n) { $n = 0 ? true : $odd($n - 1) }; $odd := function($n) { $n = 0 ? false : $even($n - 1) }; $even(5001))', expect: false },
    { expr: '($f := function($n) { $n > 0 ? ($n := $n - 1; $f($n)) : "done" }; $f(5000))', expect: 'done' },
    { expr: '($f := function($n) { $n > 0 ? $f($n - 1) : $uppercase() }; "x".$f(3))' }, { expr: '($f := function($n) { $n > 0 ? $f($n - 1) : $uppercase() }; ("x").$f(3))', expect: 'X' },
    { expr: '($f := function($n) { $n > 0 ? $f($n - 1) : $g() }; $f(3))' }, { expr: '($f := function($n) { $nope($n) }; $f(1))', position: 38, token: 'f' },
    { expr: '($f := function($n) { $n > 0 ? $f($n - 1) : [$n] }; $f(2))', expect: [0] }, { expr: '($f := function($n) { $n > 0 ? $f($n - 1) : [1, 2][] }; $f(2))' },
    // indexes after a tail call filter its thunk: 0 and -1 keep it (the call is made), any other drops it (never made)
    { expr: 'function($x) { ($append($x, 1))[0] }([5])', expect: [5, 1] }, { expr: 'function($x) { ($string($x))[-0.5] }(5)', expect: '5' },
    { expr: 'function($x) { ($string($error("never")))[1] }(5)' }, { expr: 'function($x) { ($string($x))[0][1] }(5)' }, { expr: 'function($x) { ($string($x))[] }(5)', expect: '5' },
    { expr: 'function($x) { ($x > 0 ? $string($x) : [1, 2, 3])[1] }(-5)', expect: 2 }, { expr: 'function($x) { ($x > 0 ? $string($x) : [1])[] }(-5)', expect: [1] },
    { expr: '($f := function($n) { $n = 0 ? "done" : ($f($n - 1))[-1] }; $f(3000))', expect: 'done' }, { expr: '($f := function($n) { $n = 0 ? "done" : ($f($n - 1))[1] }; $f(5))' },
    { expr: '($f := function($n) { $n > 0 ? $f($n - 1)[0] : [5, 6] }; $f(2))' },
  ],
};
