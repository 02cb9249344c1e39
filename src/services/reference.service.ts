import { TRACKED_COMMENT as REFERENCE } from '../cache/read-scope';
import { In } from 'typeorm';
import type { DataSource, FindOptionsWhere } from 'typeorm';
import { Body } from '../entities/body.entity';
import type { BodyKind } from '../entities/body.entity';
import { District } from '../entities/district.entity';

/**
 * Reads of the reference data that are lists or lookups by something other than an id (ids go through loaders),
 * each marked as a read the public read cache accounts for (src/cache/read-scope.ts).
 */
export class ReferenceService {
  constructor(private readonly dataSource: DataSource) {}

  districts(): Promise<District[]> {
    return this.dataSource.getRepository(District).find({ order: { number: 'ASC' }, comment: REFERENCE });
  }

  district(by: { number: number } | { slug: string }): Promise<District | null> {
    return this.dataSource.getRepository(District).findOne({ where: by, comment: REFERENCE });
  }

  async bodies(kind: BodyKind | null | undefined, districtNumber: number | null | undefined): Promise<Body[]> {
    const where: FindOptionsWhere<Body> = {};
    if (kind != null) where.kind = kind;
    if (districtNumber != null) {
      const district = await this.district({ number: districtNumber });
      if (!district) return [];
      where.districtId = In([district.id]);
    }
    return this.dataSource.getRepository(Body).find({ where, order: { id: 'ASC' }, comment: REFERENCE });
  }
}
