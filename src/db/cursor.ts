import type { QueryRunner } from 'typeorm';

let cursors = 0;

/**
 * The rows of one statement, a page at a time, through a PostgreSQL cursor in the runner's open transaction:
 * memory holds one page whatever the number of rows, and the rows come from the transaction's snapshot. The cursor
 * is closed when the rows run out or the reader stops early (and with the transaction in any case).
 */
export async function* cursorRows<Row>(
  runner: QueryRunner,
  statement: string,
  params: readonly unknown[] = [],
  pageRows = 1000,
): AsyncGenerator<Row> {
  const name = `rows_${(cursors += 1)}`;
  await runner.query(`DECLARE ${name} NO SCROLL CURSOR FOR ${statement}`, [...params]);
  let open = true;
  try {
    while (open) {
      const page = (await runner.query(`FETCH ${pageRows} FROM ${name}`)) as Row[];
      open = page.length === pageRows;
      yield* page;
    }
  } finally {
    // A failed transaction has closed its cursors already, and its error is the one to report.
    await runner.query(`CLOSE ${name}`).catch(() => undefined);
  }
}
