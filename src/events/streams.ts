/**
 * Keeps the items that pass, mapped (the map may be async); return() reaches
 * the source at once, even while a next() waits, so its subscription ends
 * then and not at its next item.
 */
export function filterMap<T, U>(
  source: AsyncGenerator<T>,
  map: (item: T) => U | null | Promise<U | null>,
): AsyncIterableIterator<U> {
  const iterator: AsyncIterableIterator<U> = {
    async next() {
      for (;;) {
        const result = await source.next();
        if (result.done) return { value: undefined, done: true };
        const mapped = await map(result.value);
        if (mapped !== null) return { value: mapped, done: false };
      }
    },
    async return() {
      await source.return(undefined);
      return { value: undefined, done: true };
    },
    async throw(error: unknown) {
      await source.return(undefined);
      throw error;
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
