import rows from '../../src/db/migrations/1795532282461-ReferenceData.rows.json';
import { bodySlug } from '../../src/services/body-slug.rules';

const column = <T>(table: { columns: string[]; rows: unknown[][] }, name: string) =>
  table.rows.map((row) => row[table.columns.indexOf(name)] as T);

describe('bodySlug', () => {
  it('writes Polish letters without their marks, in lower case, words joined by hyphens', () => {
    expect(bodySlug('Zarząd Dzielnicy XVIII Nowa Huta')).toBe('zarzad-dzielnicy-xviii-nowa-huta');
    expect(bodySlug('Rada Dzielnicy IX Łagiewniki-Borek Fałęcki')).toBe('rada-dzielnicy-ix-lagiewniki-borek-falecki');
    expect(bodySlug('ąćęłńóśźż ĄĆĘŁŃÓŚŹŻ')).toBe('acelnoszz-acelnoszz');
    expect(bodySlug('  Konwent — „Przewodniczących”  ')).toBe('konwent-przewodniczacych');
  });

  it("gives every body of the reference data its own slug, and a district's bodies end in the district's slug", () => {
    const names = column<string>(rows.body, 'name');
    const slugs = names.map(bodySlug);
    expect(new Set(slugs).size).toBe(names.length);
    for (const slug of slugs) expect(slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    const districtSlug = new Map(
      column<number>(rows.district, 'id').map((id, i) => [id, column<string>(rows.district, 'slug')[i]!]),
    );
    const districtOf = column<number | null>(rows.body, 'district_id');
    districtOf.forEach((district, i) => {
      if (district !== null) expect(slugs[i]!.endsWith(`-${districtSlug.get(district)!}`)).toBe(true);
    });
  });
});
