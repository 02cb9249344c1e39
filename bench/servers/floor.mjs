// The floor: the same rows fetched with hand-written SQL through `pg` (one
// statement per operation, JSON built by PostgreSQL) and served by a bare
// node:http server. POST /Q1 .. /Q4 with the context in the body.
import { once } from 'node:events';
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { queries } from '../queries/index.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const pg = createRequire(path.join(root, 'package.json'))('pg');
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const ctx = JSON.parse(process.env.BENCH_CONTEXT);

const server = http.createServer(async (req, res) => {
  const name = req.url.slice(1);
  const operation = queries[name];
  req.resume(); // the body is not needed: the operation is in the path
  await once(req, 'end');
  if (!operation) {
    res.writeHead(404).end();
    return;
  }
  try {
    const { text, values } = operation.floor(ctx);
    const { rows } = await pool.query(text, values);
    const body = JSON.stringify({ data: rows[0].data });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  } catch (error) {
    res.writeHead(500).end(String(error.message));
  }
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`floor listening ${server.address().port}\n`));
process.on('SIGTERM', () => server.close(() => pool.end().then(() => process.exit(0))));
