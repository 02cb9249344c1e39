import { BodyKind } from '../entities/body.entity';

/**
 * The readable name of a body in a URL (`/feeds/bodies/rada-dzielnicy-nowa-huta.ics`), made from what the
 * reference data already holds (its kind and its district's slug) rather than stored: the city has one city
 * council, one Convention, and one council and one board per district, so each name is unique while the
 * city's structure is. A kind this rule cannot name gets none (the body's global id still works).
 */
export function bodySlug(kind: BodyKind, districtSlug: string | null): string | null {
  switch (kind) {
    case BodyKind.CITY_COUNCIL:
      return 'rada-miasta';
    case BodyKind.CONVENTION:
      return 'konwent';
    case BodyKind.DISTRICT_COUNCIL:
      return districtSlug === null ? null : `rada-dzielnicy-${districtSlug}`;
    case BodyKind.DISTRICT_BOARD:
      return districtSlug === null ? null : `zarzad-dzielnicy-${districtSlug}`;
    default:
      return null;
  }
}

/**
 * The slug of each body whose slug no other body shares. Were a second body of a kind ever added (two city
 * councils), neither would answer to the shared slug: a URL must never switch silently to another body.
 */
export function uniqueSlugs<T extends { kind: BodyKind; districtSlug: string | null }>(
  bodies: readonly T[],
): Map<string, T> {
  const seen = new Map<string, T | null>();
  for (const body of bodies) {
    const slug = bodySlug(body.kind, body.districtSlug);
    if (slug !== null) seen.set(slug, seen.has(slug) ? null : body);
  }
  const unique = new Map<string, T>();
  for (const [slug, body] of seen) if (body !== null) unique.set(slug, body);
  return unique;
}
