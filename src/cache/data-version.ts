import type { DataSource } from 'typeorm';

/**
 * The database's data version (see the DataVersion migration), read at most
 * once at a time: a caller waits for a read that began after it asked, so
 * the value it gets is never older than its request, and the requests that
 * arrive during one read share the next.
 */
export class DataVersion {
  private running: Promise<string> | null = null;
  private queued: Promise<string> | null = null;

  constructor(private readonly dataSource: DataSource) {}

  current(): Promise<string> {
    if (this.queued) return this.queued;
    if (!this.running) return this.start();
    const after = this.running;
    this.queued = after
      .catch(() => undefined)
      .then(() => {
        this.queued = null;
        return this.start();
      });
    return this.queued;
  }

  private start(): Promise<string> {
    const read = this.dataSource
      .query<{ version: string }[]>('SELECT "version" FROM "data_version" WHERE "id" = 1')
      .then((rows) => {
        if (rows.length !== 1) throw new Error('data_version has no row');
        return rows[0].version;
      })
      .finally(() => {
        if (this.running === read) this.running = null;
      });
    this.running = read;
    return read;
  }
}
