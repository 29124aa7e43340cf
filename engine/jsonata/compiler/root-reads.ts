import { _, Gen, type Name, type Scope } from './codegen';

/**
 * Name paths read from one context value (`id`, `profile.email`, …): the evaluation's root, or the item of a loop
 * over a sequence. Each is read once, where the context is bound (the evaluation's prologue, the top of the loop's
 * body), instead of at every use: a mapping reads `profile` once, not once per field, and checks that an object is
 * a plain one (not an array, not a function) once per object rather than once per key read from it. Reading is
 * pure, so reading a path that a branch then does not use changes nothing.
 *
 * The value variable of a path holds the value when every object on the way was plain, `R.SLOW` when an array was
 * met (the use site then runs jsonata's path algorithm), undefined when a key is missing.
 */
export class RootReads {
  private readonly values = new Map<string, Name>();
  private readonly objects = new Map<string, Name>();
  readonly prologue = new Gen();

  constructor(private readonly scope: Scope, readonly root: Name) {}

  value(names: readonly string[]): Name {
    const key = JSON.stringify(names);
    const known = this.values.get(key);
    if (known !== undefined) return known;
    const holder = this.object(names.slice(0, -1));
    const last = names[names.length - 1]!;
    const value = this.scope.name('v', last);
    this.prologue.add(_`const ${value} = ${holder} === undefined || ${holder} === R.SLOW ? ${holder} : R.hop.call(${holder}, ${last}) ? ${holder}[${last}] : undefined;`);
    this.values.set(key, value);
    return value;
  }

  /** The plain-object view of the value at `names`: the object itself, `R.SLOW` for an array, else undefined. */
  private object(names: readonly string[]): Name {
    const key = JSON.stringify(names);
    const known = this.objects.get(key);
    if (known !== undefined) return known;
    const value = names.length === 0 ? this.root : this.value(names);
    const view = this.scope.name('o', names.length === 0 ? 'view' : `${names[names.length - 1]}View`);
    this.prologue.add(_`const ${view} = R.plainView(${value});`);
    this.objects.set(key, view);
    return view;
  }
}
