import type { DataSource } from 'typeorm';
import { Session, SessionStatus } from '../entities/session.entity';

/** The sessions a person may want to watch now: for the front page's links to their screens. */
export class LiveSessionsService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Sessions in progress with their body, real meetings before synthetic ones (seed:demo's, which are marked as
   * such on the page), at most `limit`. Titles and bodies are public fields of the API.
   */
  inProgress(limit: number): Promise<Session[]> {
    return this.dataSource
      .getRepository(Session)
      .createQueryBuilder('session')
      .innerJoinAndSelect('session.body', 'body')
      .where('session.status = :status', { status: SessionStatus.IN_PROGRESS })
      .orderBy('session.synthetic', 'ASC')
      .addOrderBy('session.scheduledAt', 'ASC')
      .addOrderBy('session.id', 'ASC')
      .limit(limit)
      .getMany();
  }
}
