import type { DataSource } from 'typeorm';
import type { BodyKind } from '../entities/body.entity';
import { uniqueSlugs } from './body-slug.rules';

/** What a meeting-room screen's address names, found before its page is served (so an unknown one is a 404). */
export class ScreenService {
  constructor(private readonly dataSource: DataSource) {}

  /** Whether a session exists: the page of one that does not is "not found", not an empty screen. */
  async sessionExists(key: number): Promise<boolean> {
    const rows = (await this.dataSource.query('SELECT 1 FROM session WHERE id = $1', [key])) as unknown[];
    return rows.length > 0;
  }

  /** A body by its key or its slug (body-slug.rules.ts, the same as the feeds'); null when there is none. */
  async body(by: { key: number } | { slug: string }): Promise<{ id: number; name: string } | null> {
    if ('key' in by) {
      const rows = (await this.dataSource.query('SELECT id, name FROM body WHERE id = $1', [by.key])) as {
        id: number;
        name: string;
      }[];
      return rows[0] ?? null;
    }
    // A few dozen bodies: reading them all is simpler and as cheap as an index on a derived slug.
    const rows = (await this.dataSource.query(
      'SELECT b.id, b.name, b.kind, d.slug AS "districtSlug" FROM body b LEFT JOIN district d ON d.id = b.district_id ORDER BY b.id',
    )) as { id: number; name: string; kind: BodyKind; districtSlug: string | null }[];
    const body = uniqueSlugs(rows).get(by.slug);
    return body ? { id: body.id, name: body.name } : null;
  }
}
