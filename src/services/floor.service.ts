import type { DataSource } from 'typeorm';
import type { Caller } from '../auth/caller';
import type { SpeechRequest } from '../entities/speech-request.entity';
import type { RequestFloorInput } from '../schema/floor.inputs';
import type { SessionChanges } from './session-changes.service';

/**
 * The floor: requests to speak from those present, granted by the chair one
 * speaker at a time in the order of floor.rules.ts.
 */
export class FloorService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly changes: SessionChanges,
  ) {}

  request(caller: Caller | null, input: RequestFloorInput): Promise<SpeechRequest> {
    return this.notYet(caller, input);
  }

  grant(caller: Caller | null, id: string, timeLimitSeconds: number | null | undefined): Promise<SpeechRequest> {
    return this.notYet(caller, id, timeLimitSeconds);
  }

  end(caller: Caller | null, id: string): Promise<SpeechRequest> {
    return this.notYet(caller, id);
  }

  withdraw(caller: Caller | null, id: string): Promise<SpeechRequest> {
    return this.notYet(caller, id);
  }

  private notYet(..._: unknown[]): Promise<SpeechRequest> {
    void this.dataSource;
    void this.changes;
    return Promise.reject(new Error('not implemented yet'));
  }
}
