/**
 * A body's slug, for addresses people type or print on a poster (`/screen/bodies/rada-dzielnicy-i-stare-miasto`):
 * its name in lower case, Polish letters without their marks, words joined by hyphens. Body names are unique
 * (a constraint of the table), so their slugs are too; the slug is derived, never stored, so renaming a body
 * moves its address with it.
 */
export function bodySlug(name: string): string {
  return (
    name
      .toLowerCase()
      // ł has no decomposition in Unicode; the other Polish letters are a base letter and a combining mark.
      .replace(/ł/g, 'l')
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
  );
}
