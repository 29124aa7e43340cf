import { _, type Code } from '../codegen';
import { refuse, tmp, type Cx } from '../context';
import type { Node } from '../ast';
import { lower } from './index';
import { yieldsBoolean } from './control';

const ARITH = new Set(['+', '-', '*', '/', '%']);
const COMPARE = new Set(['<', '<=', '>', '>=']);

function isScalarLiteral(node: Node): boolean {
  return node.type === 'string' || node.type === 'number' || node.type === 'value';
}

/** Binary operators: both sides evaluated (left first), then the operator; errors take the operator's position. */
export function lowerBinary(node: Node, cx: Cx): Code {
  const op = String(node.value);
  const pos = node.position ?? 0;
  if (op === 'and' || op === 'or') return lowerBoolean(node, op, cx);
  const lhs = lower(node.lhs as Node, cx);
  const rhs = lower(node.rhs!, cx);
  if (ARITH.has(op)) {
    // fast path: two numbers (finite) need no checks
    return tmp(cx, _`(typeof ${lhs} === "number" && typeof ${rhs} === "number" && Number.isFinite(${lhs}) && Number.isFinite(${rhs})) ? ${arithCode(op, lhs, rhs)} : R.binAt(R.arith, ${lhs}, ${rhs}, ${op}, ${pos})`);
  }
  if ((op === '=' || op === '!=') && (isScalarLiteral(node.lhs as Node) || isScalarLiteral(node.rhs!))) {
    // against a literal, jsonata's deep equality is identity; `!=` is still false when the other side is missing
    return tmp(cx, op === '=' ? _`${lhs} === ${rhs}` : _`${lhs} !== undefined && ${rhs} !== undefined && ${lhs} !== ${rhs}`);
  }
  if (op === '=') return tmp(cx, _`(typeof ${lhs} === "string" && typeof ${rhs} === "string") ? ${lhs} === ${rhs} : R.eq(${lhs}, ${rhs})`);
  if (op === '!=') return tmp(cx, _`(typeof ${lhs} === "string" && typeof ${rhs} === "string") ? ${lhs} !== ${rhs} : (${lhs} !== undefined && ${rhs} !== undefined && !R.deepEqual(${lhs}, ${rhs}))`);
  if (COMPARE.has(op)) {
    // two numbers or two strings compare as JavaScript compares them; anything else through jsonata's checks
    const same = _`typeof ${lhs} === typeof ${rhs} && (typeof ${lhs} === "number" || typeof ${lhs} === "string")`;
    return tmp(cx, _`${same} ? ${compareCode(op, lhs, rhs)} : R.binAt(R.compare, ${lhs}, ${rhs}, ${op}, ${pos})`);
  }
  // two strings whose sum is under the string limit concatenate in place; anything else is measured first
  if (op === '&') return tmp(cx, _`(typeof ${lhs} === "string" && typeof ${rhs} === "string" && (${lhs}).length + (${rhs}).length <= E.g.maxString) ? ${lhs} + ${rhs} : R.concatAt(E.g, ${lhs}, ${rhs}, ${pos})`);
  if (op === 'in') return tmp(cx, _`R.includes(${lhs}, ${rhs})`);
  if (op === '..') return tmp(cx, _`R.rangeAt(E.g, ${lhs}, ${rhs}, ${pos})`);
  return refuse(`operator ${op}`);
}

function compareCode(op: string, lhs: Code, rhs: Code): Code {
  switch (op) {
    case '<': return _`${lhs} < ${rhs}`;
    case '<=': return _`${lhs} <= ${rhs}`;
    case '>': return _`${lhs} > ${rhs}`;
    default: return _`${lhs} >= ${rhs}`;
  }
}

function arithCode(op: string, lhs: Code, rhs: Code): Code {
  switch (op) {
    case '+': return _`${lhs} + ${rhs}`;
    case '-': return _`${lhs} - ${rhs}`;
    case '*': return _`${lhs} * ${rhs}`;
    case '/': return _`${lhs} / ${rhs}`;
    default: return _`${lhs} % ${rhs}`;
  }
}

/** and/or: the right side is evaluated only when needed; any error inside takes the operator's position. */
function lowerBoolean(node: Node, op: 'and' | 'or', cx: Cx): Code {
  const lhs = lower(node.lhs as Node, cx);
  const result = cx.scope.name('t');
  const e = cx.scope.name('e');
  cx.gen.add(_`let ${result};`);
  cx.gen.open(_`try {`);
  // a comparison is true, false or undefined already: only `true` counts
  const truth = (operand: Node, value: Code) => (yieldsBoolean(operand) ? _`${value} === true` : _`R.boolize(${value})`);
  cx.gen.add(_`${result} = ${truth(node.lhs as Node, lhs)};`);
  cx.gen.open(op === 'and' ? _`if (${result}) {` : _`if (!${result}) {`);
  const rhs = lower(node.rhs!, cx);
  cx.gen.add(_`${result} = ${truth(node.rhs!, rhs)};`);
  cx.gen.close();
  cx.gen.close(_`} catch (${e}) { throw R.locate(${e}, ${node.position ?? 0}, ${op}, true); }`);
  return result;
}

export function lowerNegate(node: Node, cx: Cx): Code {
  const value = lower(node.expression!, cx);
  return tmp(cx, _`(typeof ${value} === "number" && Number.isFinite(${value})) ? -${value} : R.negate(${value}, ${node.position ?? 0})`);
}
