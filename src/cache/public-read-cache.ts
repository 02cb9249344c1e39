import type { IncomingMessage } from 'node:http';
import type { DataVersion } from './data-version';

export interface CachedAnswer {
  readonly operationName: string | null;
  readonly status: number;
  readonly headers: readonly (readonly [string, string])[];
  readonly body: string;
}

/** What a lookup found: the answer, or the generation under which a fresh answer may be stored. */
export type Lookup = { readonly hit: CachedAnswer } | { readonly hit: null; readonly generation: string };

/**
 * Answers to anonymous queries, kept until the data changes. An answer is
 * stored under the generation read before it was computed (the data version
 * and the UTC day, as "the current term" is a matter of date) and served only
 * while that generation holds, so no answer outlives the write that made it
 * stale, on this instance or any other: the version lives in the database and
 * every write moves it when it commits. Only anonymous requests are served from
 * here, so what a token may see never reaches anyone else. Least recently used
 * answers go first when the memory budget is spent.
 */
export class PublicReadCache {
  private readonly answers = new Map<string, CachedAnswer>();
  private generation: string | null = null;
  private bytes = 0;

  constructor(
    private readonly version: DataVersion,
    private readonly budgetBytes: number,
  ) {}

  /** The key for a request that may be answered from here, or null. */
  keyOf(req: IncomingMessage, body: string | undefined): string | null {
    if (req.method !== 'POST' || body === undefined || body.length === 0) return null;
    if (req.headers.authorization !== undefined || req.headers.cookie !== undefined) return null;
    if (!/^application\/json/i.test(req.headers['content-type'] ?? '')) return null;
    return `${req.headers.accept ?? ''}\n${body}`;
  }

  async lookup(key: string): Promise<Lookup> {
    const generation = `${await this.version.current()}/${new Date().toISOString().slice(0, 10)}`;
    if (generation !== this.generation) {
      // A newer generation empties the cache; an older one (a slow reader) neither reads nor writes it.
      if (this.generation === null || newer(generation, this.generation)) this.reset(generation);
      else return { hit: null, generation };
    }
    const hit = this.answers.get(key);
    if (!hit) return { hit: null, generation };
    this.answers.delete(key);
    this.answers.set(key, hit);
    return { hit };
  }

  store(key: string, generation: string, answer: CachedAnswer): void {
    if (generation !== this.generation) return;
    const size = key.length + answer.body.length;
    if (size > this.budgetBytes / 8) return;
    const previous = this.answers.get(key);
    if (previous) this.forget(key, previous);
    this.answers.set(key, answer);
    this.bytes += size;
    for (const [oldest, stale] of this.answers) {
      if (this.bytes <= this.budgetBytes) break;
      this.forget(oldest, stale);
    }
  }

  private forget(key: string, answer: CachedAnswer): void {
    this.answers.delete(key);
    this.bytes -= key.length + answer.body.length;
  }

  private reset(generation: string): void {
    this.answers.clear();
    this.bytes = 0;
    this.generation = generation;
  }
}

function newer(a: string, b: string): boolean {
  const [versionA, dayA] = a.split('/');
  const [versionB, dayB] = b.split('/');
  return versionA !== versionB ? BigInt(versionA) > BigInt(versionB) : dayA > dayB;
}
