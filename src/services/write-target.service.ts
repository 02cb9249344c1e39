import type { DataSource } from 'typeorm';
import type { WriteTargetType } from '../auth/write-target';

const BODY_OF: Record<WriteTargetType, string> = {
  Body: 'SELECT id AS body_id FROM body WHERE id = $1',
  Session: 'SELECT body_id FROM session WHERE id = $1',
  AgendaItem: 'SELECT s.body_id FROM agenda_item a JOIN session s ON s.id = a.session_id WHERE a.id = $1',
  Vote: 'SELECT s.body_id FROM vote v JOIN session s ON s.id = v.session_id WHERE v.id = $1',
  SpeechRequest: 'SELECT s.body_id FROM speech_request r JOIN session s ON s.id = r.session_id WHERE r.id = $1',
};

/** Which body an object a write names belongs to, for deciding who may write before anything else is read. */
export class WriteTargetService {
  constructor(private readonly dataSource: DataSource) {}

  async bodyOf(type: WriteTargetType, key: number): Promise<number | null> {
    const rows = (await this.dataSource.query(BODY_OF[type], [key])) as { body_id: number }[];
    return rows[0]?.body_id ?? null;
  }
}
