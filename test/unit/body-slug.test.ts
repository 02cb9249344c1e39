import rows from '../../src/db/migrations/1795532282461-ReferenceData.rows.json';
import type { BodyKind } from '../../src/entities/body.entity';
import { bodySlug, uniqueSlugs } from '../../src/services/body-slug.rules';

const column = <T>(table: { columns: string[]; rows: unknown[][] }, name: string) =>
  table.rows.map((row) => row[table.columns.indexOf(name)] as T);

describe('bodySlug over the reference data', () => {
  it("gives every body its own slug (screens and feeds alike), a district's bodies ending in the district's slug", () => {
    const districtSlug = new Map(
      column<number>(rows.district, 'id').map((id, i) => [id, column<string>(rows.district, 'slug')[i]!]),
    );
    const kinds = column<BodyKind>(rows.body, 'kind');
    const bodies = column<number | null>(rows.body, 'district_id').map((district, i) => ({
      kind: kinds[i]!,
      districtSlug: district === null ? null : districtSlug.get(district)!,
    }));
    const slugs = bodies.map((body) => bodySlug(body.kind, body.districtSlug));
    expect(slugs.every((slug) => slug !== null && /^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug))).toBe(true);
    expect(uniqueSlugs(bodies).size).toBe(bodies.length);
    bodies.forEach((body, i) => {
      if (body.districtSlug !== null) expect(slugs[i]!.endsWith(`-${body.districtSlug}`)).toBe(true);
    });
  });
});
