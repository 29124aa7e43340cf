/**
 * A tiny typed code builder (in the spirit of Ajv's): generated source is assembled only from `Code` fragments;
 * every value interpolated into a fragment that is not itself `Code` is written as a JSON literal, so no data
 * (field names, strings from the expression) can ever become code.
 */
export class Code {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** An identifier issued by a Scope. */
export class Name extends Code {}

export type Interp = Code | string | number | boolean | null | undefined;

/** A safe literal for a JSON scalar. */
export function lit(value: string | number | boolean | null | undefined): Code {
  if (value === undefined) return new Code('undefined');
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error('non-finite literal');
    return new Code(Object.is(value, -0) ? '-0' : JSON.stringify(value));
  }
  return new Code(JSON.stringify(value));
}

/** Template tag: `Code` parts are spliced as code, anything else as a literal. */
export function _(strings: TemplateStringsArray, ...values: Interp[]): Code {
  let text = strings[0]!;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    text += (v instanceof Code ? v.text : lit(v as string | number | boolean | null | undefined).text) + strings[i + 1]!;
  }
  return new Code(text);
}

export function join(parts: Code[], separator: Code = new Code(', ')): Code {
  return new Code(parts.map((p) => p.text).join(separator.text));
}

export class Scope {
  private next = 0;
  name(prefix: 't' | 'v' | 'f' | 'p' | 'k' | 'x' | 'o' | 'a' | 'e' | 'c' | 'K'): Name {
    return new Name(`${prefix}${this.next++}`);
  }
}

/** Statements, with indentation. */
export class Gen {
  private readonly lines: string[] = [];
  private depth = 0;

  add(code: Code): void {
    this.lines.push(`${'  '.repeat(this.depth)}${code.text}`);
  }

  open(code: Code): void {
    this.add(code);
    this.depth++;
  }

  close(code: Code = new Code('}')): void {
    this.depth--;
    this.add(code);
  }

  /** `} else {` and the like: one level out for this line, then back in. */
  mid(code: Code): void {
    this.depth--;
    this.add(code);
    this.depth++;
  }

  /** Splice the statements of another generator (built the same way) at the current indentation. */
  embed(other: Gen): void {
    for (const line of other.lines) this.lines.push(`${'  '.repeat(this.depth)}${line}`);
  }

  text(): string {
    return this.lines.join('\n');
  }
}
