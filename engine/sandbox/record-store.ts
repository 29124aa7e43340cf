/** In-memory records of one simulated provider, in insertion order (which is also list order). */
export class RecordStore {
  private readonly records = new Map<string, Record<string, unknown>>();
  private counter = 0;

  /** A provider-looking id: a prefix plus a counter, or a number when `numeric` is set. */
  nextId(prefix = '', numeric = false): string | number {
    this.counter += 1;
    return numeric ? this.counter + 1000 : `${prefix}${String(this.counter).padStart(12, '0')}`;
  }

  insert(id: string | number, record: Record<string, unknown>): Record<string, unknown> {
    this.records.set(String(id), record);
    return record;
  }

  get(id: string | number): Record<string, unknown> | undefined {
    return this.records.get(String(id));
  }

  delete(id: string | number): boolean {
    return this.records.delete(String(id));
  }

  all(): Record<string, unknown>[] {
    return [...this.records.values()];
  }

  find(predicate: (record: Record<string, unknown>) => boolean): Record<string, unknown> | undefined {
    return this.all().find(predicate);
  }

  clear(): void {
    this.records.clear();
  }
}
