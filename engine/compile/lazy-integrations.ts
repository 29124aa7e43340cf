import type { CompiledIntegration } from './compiled';

/**
 * A registry's integrations, where some are compiled when first asked for. Names, `size` and `has` are known
 * from the start (the folder names), iteration follows the same sorted order as an eager registry, and `get` of
 * a name not yet compiled compiles it then. A compilation that fails throws its error at every `get`.
 */
export class LazyIntegrations implements ReadonlyMap<string, CompiledIntegration> {
  private readonly known: ReadonlySet<string>;
  private readonly failures = new Map<string, unknown>();

  constructor(
    private readonly names: readonly string[],
    private readonly compiled: Map<string, CompiledIntegration>,
    private readonly compile: (name: string) => CompiledIntegration,
  ) {
    this.known = new Set(names);
  }

  get size(): number {
    return this.names.length;
  }

  has(name: string): boolean {
    return this.known.has(name);
  }

  get(name: string): CompiledIntegration | undefined {
    const ready = this.compiled.get(name);
    if (ready || !this.known.has(name)) return ready;
    if (this.failures.has(name)) throw this.failures.get(name);
    try {
      const integration = this.compile(name);
      this.compiled.set(name, integration);
      return integration;
    } catch (error) {
      this.failures.set(name, error);
      throw error;
    }
  }

  keys(): IterableIterator<string> {
    return this.names[Symbol.iterator]();
  }

  *values(): IterableIterator<CompiledIntegration> {
    for (const name of this.names) yield this.get(name)!;
  }

  *entries(): IterableIterator<[string, CompiledIntegration]> {
    for (const name of this.names) yield [name, this.get(name)!];
  }

  [Symbol.iterator](): IterableIterator<[string, CompiledIntegration]> {
    return this.entries();
  }

  forEach(callback: (value: CompiledIntegration, key: string, map: ReadonlyMap<string, CompiledIntegration>) => void, thisArg?: unknown): void {
    for (const [name, integration] of this.entries()) callback.call(thisArg, integration, name, this);
  }
}
