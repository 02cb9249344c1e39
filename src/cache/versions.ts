import type { DataSource } from 'typeorm';
import { tracked } from './read-scope';

/** The versions an answer is valid under (see the ScopedDataVersions migration). */
export interface Versions {
  /** Districts, bodies, people, terms, seats, mandates. */
  readonly reference: string;
  /** The set of sessions and what lists of them show. */
  readonly sessions: string;
  /** The sessions asked for, with their versions (a session not there is left out). */
  readonly of: ReadonlyMap<number, string>;
}

interface Batch {
  readonly ids: Set<number>;
  readonly result: Promise<Versions>;
}

/**
 * Reads the versions, one statement for every request waiting: a caller waits
 * for a read that begins after it asked, so what it gets is never older than
 * its request; the callers that arrive during one read share the next, and
 * their sessions are read together.
 */
export class VersionReader {
  /** The read under way (or the last one, settled): the next read begins after it. */
  private running: Promise<unknown> = Promise.resolve();
  private next: Batch | null = null;

  constructor(private readonly dataSource: DataSource) {}

  read(sessionIds: Iterable<number> = []): Promise<Versions> {
    if (!this.next) {
      const ids = new Set<number>();
      const result = this.running
        .catch(() => undefined)
        .then(() => {
          this.next = null;
          return this.query([...ids]);
        });
      this.next = { ids, result };
      this.running = result;
    }
    for (const id of sessionIds) this.next.ids.add(id);
    return this.next.result;
  }

  private async query(ids: number[]): Promise<Versions> {
    const [row] = await this.dataSource.query<{ reference: string; sessions: string; of: [number, string][] | null }[]>(
      tracked(
        `SELECT (SELECT "version"::text FROM "data_version" WHERE "id" = 1) AS reference,
                (SELECT "version"::text FROM "data_version" WHERE "id" = 2) AS sessions,
                (SELECT json_agg(json_build_array("session_id", "version"::text)) FROM "session_version"
                  WHERE "session_id" = ANY($1::int[])) AS of`,
      ),
      [ids],
    );
    if (!row?.reference || !row.sessions) throw new Error('data_version has no rows');
    return { reference: row.reference, sessions: row.sessions, of: new Map(row.of ?? []) };
  }
}
