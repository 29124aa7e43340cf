/** Runs work one at a time per key inside this process; callers of one key take turns in the order they came. */
export type KeyedMutex = <T>(key: string, work: () => Promise<T>) => Promise<T>;

export function createKeyedMutex(): KeyedMutex {
  // The last turn queued per key; it settles when its holder is done, never with an error.
  const lastTurn = new Map<string, Promise<void>>();
  return async (key, work) => {
    const previous = lastTurn.get(key) ?? Promise.resolve();
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    const turn = previous.then(() => finished);
    lastTurn.set(key, turn);
    await previous;
    try {
      return await work();
    } finally {
      done();
      if (lastTurn.get(key) === turn) lastTurn.delete(key);
    }
  };
}
