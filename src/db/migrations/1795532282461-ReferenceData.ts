import type { MigrationInterface, QueryRunner } from 'typeorm';
import snapshot from './1795532282461-ReferenceData.rows.json';

/**
 * The city's reference data: districts, terms, bodies, seats and the
 * Convention's inaugural session of term IX, as facts from krakow.json and
 * the city's announcement (see src/db/seed/ and ../shared/data/krakow.json
 * for the sources). The rows are frozen in the JSON beside this file, so
 * what this migration inserts never changes once applied somewhere: a
 * correction of a fact is a new migration, never an edit of this one or of
 * a file it reads.
 */
type Table = { readonly columns: readonly string[]; readonly rows: readonly (readonly unknown[])[] };

/** The snapshot lists its tables in the order their foreign keys need. */
const tables = Object.entries(snapshot as Record<string, Table>);

export class ReferenceData1795532282461 implements MigrationInterface {
  name = 'ReferenceData1795532282461';

  async up(runner: QueryRunner): Promise<void> {
    for (const [name, { columns, rows }] of tables) {
      for (let start = 0; start < rows.length; start += 100) {
        const batch = rows.slice(start, start + 100);
        const values = batch.map(
          (_, row) => `(${columns.map((__, column) => `$${row * columns.length + column + 1}`).join(', ')})`,
        );
        await runner.query(
          `INSERT INTO "${name}" (${columns.map((column) => `"${column}"`).join(', ')}) VALUES ${values.join(', ')}`,
          batch.flat(),
        );
      }
      // The ids are the snapshot's; the next row inserted gets the next one.
      await runner.query(`SELECT setval(pg_get_serial_sequence('"${name}"', 'id'), (SELECT max(id) FROM "${name}"))`);
    }
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const [name] of [...tables].reverse()) await runner.query(`DELETE FROM "${name}"`);
  }
}
