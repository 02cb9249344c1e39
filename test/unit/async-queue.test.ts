import { AsyncQueue } from '../../src/events/async-queue';
import { filterMap } from '../../src/events/streams';

/** Reads `n` items (or until done) from an async iterator. */
async function take<T>(iterator: AsyncIterator<T>, n: number): Promise<T[]> {
  const items: T[] = [];
  for (let i = 0; i < n; i += 1) {
    const result = await iterator.next();
    if (result.done) break;
    items.push(result.value);
  }
  return items;
}

describe('AsyncQueue', () => {
  it('delivers what was pushed, in order, to a reader that comes later', async () => {
    const queue = new AsyncQueue<number>();
    queue.push(1);
    queue.push(2);
    queue.push(3);
    expect(queue.size).toBe(3);
    expect(await take(queue[Symbol.asyncIterator](), 3)).toEqual([1, 2, 3]);
    expect(queue.size).toBe(0);
  });

  it('wakes a reader already waiting', async () => {
    const queue = new AsyncQueue<string>();
    const iterator = queue[Symbol.asyncIterator]();
    const waiting = iterator.next();
    queue.push('a');
    expect(await waiting).toEqual({ value: 'a', done: false });
    expect(queue.size).toBe(0);
  });

  it('close() ends a waiting reader, keeps what was queued, and ignores later pushes', async () => {
    const queue = new AsyncQueue<number>();
    const iterator = queue[Symbol.asyncIterator]();
    const waiting = iterator.next();
    queue.close();
    expect(await waiting).toEqual({ value: undefined, done: true });

    const drained = new AsyncQueue<number>();
    drained.push(1);
    drained.close();
    drained.push(2);
    const items: number[] = [];
    for await (const item of drained) items.push(item);
    expect(items).toEqual([1]);
  });

  it('leaving a for-await loop closes the queue', async () => {
    const queue = new AsyncQueue<number>();
    queue.push(1);
    queue.push(2);
    for await (const item of queue) if (item === 1) break;
    queue.push(3);
    expect(await queue[Symbol.asyncIterator]().next()).toEqual({ value: 2, done: false });
    expect(await queue[Symbol.asyncIterator]().next()).toEqual({ value: undefined, done: true });
  });
});

describe('filterMap', () => {
  const sourceOf = (queue: AsyncQueue<number>) => queue[Symbol.asyncIterator]() as AsyncGenerator<number>;

  it('keeps the items whose map is not null, mapped, sync or async', async () => {
    const queue = new AsyncQueue<number>();
    for (const n of [1, 2, 3, 4, 5, 6]) queue.push(n);
    queue.close();
    const evens = filterMap(sourceOf(queue), async (n) => (n % 2 === 0 ? `even ${n}` : null));
    const items: string[] = [];
    for await (const item of evens) items.push(item);
    expect(items).toEqual(['even 2', 'even 4', 'even 6']);
  });

  it('return() reaches the source at once, even while a next() waits', async () => {
    const queue = new AsyncQueue<number>();
    const mapped = filterMap(sourceOf(queue), (n) => n * 10);
    const waiting = mapped.next();
    await mapped.return!();
    // The source was closed: the waiting next() ends, and nothing pushed later arrives.
    expect(await waiting).toEqual({ value: undefined, done: true });
    queue.push(1);
    expect(queue.size).toBe(0);
  });

  it('throw() closes the source and rethrows', async () => {
    const queue = new AsyncQueue<number>();
    const mapped = filterMap(sourceOf(queue), (n) => n);
    await expect(mapped.throw!(new Error('stop'))).rejects.toThrow('stop');
    queue.push(1);
    expect(queue.size).toBe(0);
  });
});
