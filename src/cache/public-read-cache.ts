import type { IncomingMessage } from 'node:http';
import type { ReadScope } from './read-scope';
import type { VersionReader, Versions } from './versions';

export interface CachedAnswer {
  readonly operationName: string | null;
  readonly status: number;
  readonly headers: readonly (readonly [string, string])[];
  readonly body: string;
}

/** The versions read before an answer is computed, under which it may be kept. */
export interface Basis {
  readonly reference: string;
  readonly sessions: string;
  readonly day: string;
}

/** What a lookup found: the answer, or the basis under which a fresh answer may be stored. */
export type Lookup = { readonly hit: CachedAnswer } | { readonly hit: null; readonly basis: Basis };

interface Entry extends Basis {
  readonly answer: CachedAnswer;
  /** The sessions the answer read, with the versions their data had. */
  readonly of: readonly (readonly [number, string])[];
  readonly size: number;
  /** When it was stored or last moved to the newest end (a count of those). */
  used: number;
}

/**
 * Answers to anonymous queries, each kept with what it was computed from: the
 * reference data's version and the list of sessions' (read before it was
 * computed), the version of every session whose data it read (read with that
 * data), and the UTC day ("the current term" is a matter of date). It is
 * served only while all of these hold — checked against the database, where
 * every write moves them as it commits, so no answer outlives the write that
 * made it stale, on this instance or any other — and a write in one session
 * leaves the answers about other sessions standing. Concurrent misses for the
 * same answer wait for one computation. Only anonymous requests are served
 * from here, so what a token may see never reaches anyone else. Least recently
 * used answers go first when the memory budget is spent.
 */
export class PublicReadCache {
  private readonly entries = new Map<string, Entry>();
  private readonly flights = new Map<string, Promise<void>>();
  private bytes = 0;
  /** Stores and moves so far (see Entry.used). */
  private uses = 0;

  constructor(
    private readonly versions: VersionReader,
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
    const entry = this.entries.get(key);
    const now = await this.versions.read(entry?.of.map(([id]) => id));
    const day = new Date().toISOString().slice(0, 10);
    if (entry && holds(entry, now, day)) {
      // Moved to the newest end only once it has drifted into the older half: a delete and a set on every hit made
      // the map rebuild itself over and over (every few thousand hits on a full cache), for an order that barely
      // changed. Eviction stays least recently used but for answers used in the newer half, which it never reaches.
      if (entry.used < this.uses - this.entries.size / 2 && this.entries.get(key) === entry) {
        this.entries.delete(key);
        entry.used = ++this.uses;
        this.entries.set(key, entry);
      }
      return { hit: entry.answer };
    }
    if (entry && this.entries.get(key) === entry) this.forget(key, entry);
    return { hit: null, basis: { reference: now.reference, sessions: now.sessions, day } };
  }

  /** Whether an answer is kept for this key (one stored by another request while a lookup ran, say). */
  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** The computation under way for this key, if any: wait for it, then look up again. */
  flight(key: string): Promise<void> | undefined {
    return this.flights.get(key);
  }

  /** Marks a computation for this key as under way; call the result when it is over. */
  fly(key: string): () => void {
    let land!: () => void;
    const flight = new Promise<void>((resolve) => (land = resolve));
    this.flights.set(key, flight);
    return () => {
      if (this.flights.get(key) === flight) this.flights.delete(key);
      land();
    };
  }

  /** Keeps an answer computed under `basis`, if what it read can be accounted for (the scope says). */
  store(key: string, basis: Basis, scope: ReadScope, answer: CachedAnswer): boolean {
    const sessions = scope.sessions();
    if (sessions === null) return false;
    const of = [...sessions];
    const size = key.length + answer.body.length + of.length * 16;
    if (size > this.budgetBytes / 8) return false;
    const previous = this.entries.get(key);
    if (previous) this.forget(key, previous);
    this.entries.set(key, { ...basis, answer, of, size, used: ++this.uses });
    this.bytes += size;
    for (const [oldest, entry] of this.entries) {
      if (this.bytes <= this.budgetBytes) break;
      this.forget(oldest, entry);
    }
    return true;
  }

  private forget(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.bytes -= entry.size;
  }
}

function holds(entry: Entry, now: Versions, day: string): boolean {
  return (
    entry.reference === now.reference &&
    entry.sessions === now.sessions &&
    entry.day === day &&
    entry.of.every(([id, version]) => now.of.get(id) === version)
  );
}
