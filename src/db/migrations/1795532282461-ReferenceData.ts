import type { MigrationInterface, QueryRunner } from 'typeorm';
import { loadReferenceData } from '../seed/reference-data';

/** The city's reference data: districts, terms, bodies, seats and the Convention's inaugural session of term IX. */
export class ReferenceData1795532282461 implements MigrationInterface {
  name = 'ReferenceData1795532282461';

  async up(runner: QueryRunner): Promise<void> {
    await loadReferenceData(runner);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of [
      'attendance_record',
      'agenda_item',
      'session',
      'mandate',
      'person',
      'seat',
      'body',
      'district',
      'term',
    ]) {
      await runner.query(`DELETE FROM ${table}`);
    }
  }
}
