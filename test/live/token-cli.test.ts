import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { decodeJwt } from 'jose';
import { SECRET } from '../support';

/** `npm run --silent token -- ...` prints the token and nothing else (dist/ is built by the global setup). */
const run = (args: string[]) =>
  promisify(execFile)(process.execPath, ['dist/src/auth/token.main.js', ...args], {
    cwd: path.resolve(__dirname, '..', '..'),
    env: { ...process.env, AUTH_SECRET: SECRET },
  });

it('prints one JWT for an admin, and a clerk token that names its bodies and expires', async () => {
  const admin = await run(['--role', 'ADMIN']);
  expect(admin.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
  expect(admin.stderr).toBe('');
  expect(decodeJwt(admin.stdout.trim())).toMatchObject({ role: 'ADMIN' });

  const body = Buffer.from('Body:3').toString('base64url');
  const clerk = decodeJwt((await run(['--role', 'CLERK', '--body', body, '--ttl', '30m'])).stdout.trim());
  expect(clerk).toMatchObject({ role: 'CLERK', bodies: [body] });
  expect(clerk.exp! - clerk.iat!).toBe(1800);
});

it('refuses a clerk token without a body, and an unknown role', async () => {
  await expect(run(['--role', 'CLERK'])).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/--body/) });
  await expect(run(['--role', 'MAYOR'])).rejects.toMatchObject({
    code: 2,
    stderr: expect.stringMatching(/ADMIN or CLERK/),
  });
});
