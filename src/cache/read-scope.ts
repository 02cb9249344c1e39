import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The comment that marks a statement whose reads the public read cache can
 * account for: a statement of the loaders that reports, through the request's
 * ReadScope, which sessions' data it read. Any other statement run while an
 * answer is computed makes that answer uncacheable (see SqlCounter).
 */
export const TRACKED_COMMENT = 'dv';
export const TRACKED = `/* ${TRACKED_COMMENT} */`;

/** Adds the mark to a statement (TypeORM's finders and query builders take TRACKED_COMMENT as `comment`). */
export const tracked = (sql: string): string => `${TRACKED} ${sql}`;

/**
 * What one anonymous answer was computed from, learnt while it is computed:
 * the version of every session whose data it read (each read in the same
 * statement as the session's row, or before any of its data), or that it read
 * something the cache cannot account for. The reference data and the set of
 * sessions are covered by the versions read before the computation began.
 */
export class ReadScope {
  private readonly versions = new Map<number, string>();
  private spoilt: string | null = null;

  /** A session's row was read, with the version its data had then. */
  sawSession(sessionId: number, version: string | null): void {
    if (version === null) return this.spoil(`session ${sessionId} has no version`);
    const known = this.versions.get(sessionId);
    if (known === undefined) this.versions.set(sessionId, version);
    // The session changed while the answer was being computed: it may mix two states.
    else if (known !== version) this.spoil(`session ${sessionId} changed during the computation`);
  }

  /** Data of a session is read: its version must have been read before (when its row was). */
  requireSession(sessionId: number): void {
    if (!this.versions.has(sessionId)) this.spoil(`session ${sessionId} was read without its version`);
  }

  /** A read the cache cannot account for. */
  spoil(reason: string): void {
    this.spoilt ??= reason;
  }

  /** The sessions read, with their versions; null if the answer must not be kept. */
  sessions(): ReadonlyMap<number, string> | null {
    return this.spoilt === null ? this.versions : null;
  }

  get reason(): string | null {
    return this.spoilt;
  }
}

/** The scope of the answer being computed, for the code that runs SQL on its behalf. */
export const readScopes = new AsyncLocalStorage<ReadScope>();

export const currentReadScope = (): ReadScope | null => readScopes.getStore() ?? null;
