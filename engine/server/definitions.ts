import { watch, type FSWatcher } from 'node:fs';
import type { Registry } from '../compile/compiled';
import { UnimapError, isUnimapError, loadRegistry, type Engine } from '../index';

export type ReloadResult = { ok: true; integrations: number; at: string } | { ok: false; error: UnimapError; at: string };

/**
 * The definitions being served, swapped whole on reload. A call keeps the engine it started with, so an in-flight
 * call never sees half of a reload; an edit that does not load is reported (file:line:column for every problem)
 * and the last good definitions keep serving.
 */
export class Definitions {
  private current: { registry: Registry; engine: Engine };
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly listeners = new Set<(result: ReloadResult) => void>();
  loadedAt = new Date().toISOString();
  lastReload: ReloadResult | undefined;

  constructor(
    private readonly dirs: { mappings: string; schemas: string },
    private readonly makeEngine: (registry: Registry) => Engine,
    registry: Registry,
  ) {
    this.current = { registry, engine: makeEngine(registry) };
  }

  get engine(): Engine {
    return this.current.engine;
  }

  get registry(): Registry {
    return this.current.registry;
  }

  reload(): ReloadResult {
    const at = new Date().toISOString();
    let result: ReloadResult;
    try {
      const registry = loadRegistry(this.dirs.mappings, this.dirs.schemas);
      this.current = { registry, engine: this.makeEngine(registry) };
      this.loadedAt = at;
      result = { ok: true, integrations: registry.integrations.size, at };
    } catch (error) {
      result = { ok: false, error: toReloadError(error), at };
    }
    this.lastReload = result;
    for (const listener of this.listeners) listener(result);
    return result;
  }

  onReload(listener: (result: ReloadResult) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Reload when a file under the mappings folder changes; editors write in bursts, so changes settle first. */
  watch(settleMs = 150): void {
    if (this.watcher) return;
    this.watcher = watch(this.dirs.mappings, { recursive: true }, () => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.reload(), settleMs);
    });
    this.watcher.unref();
  }

  close(): void {
    clearTimeout(this.timer);
    this.watcher?.close();
    this.watcher = undefined;
  }
}

/** loadRegistry throws a UnimapError listing every problem with file:line:column; anything else is wrapped. */
function toReloadError(error: unknown): UnimapError {
  return isUnimapError(error) ? error : new UnimapError('UNIMAP_E_LOAD_FILE', error instanceof Error ? error.message : String(error));
}
