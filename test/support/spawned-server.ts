import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { SECRET } from './tokens';

const root = path.resolve(__dirname, '..', '..');

export interface SpawnedServer {
  readonly child: ChildProcess;
  readonly url: string;
  readonly wsUrl: string;
  readonly exited: Promise<number | null>;
  output(): string;
}

/**
 * `node dist/src/main.js` (built by the global setup) as an operator runs it, on port 0, with the kit's
 * AUTH_SECRET unless `env` names another (or unsets it with undefined); resolves once it serves.
 */
export async function spawnServer(env: Record<string, string | undefined>): Promise<SpawnedServer> {
  const merged: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    AUTH_SECRET: SECRET,
    // Warming the pool costs about 4 s of CPU a start, on the cores the other test files share: warmed only where a test asks.
    DB_POOL_LAZY: 'true',
    ...env,
  };
  // A variable given as undefined is unset, as on a machine that never had it.
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete merged[key];
  const child = spawn(process.execPath, ['dist/src/main.js'], {
    cwd: root,
    env: merged,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start within 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /"url":"(http:\/\/[^"]+)".*Obrady is serving GraphQL/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}:\n${output}`));
    });
  });
  return { child, url, wsUrl: url.replace(/^http/, 'ws'), exited, output: () => output };
}
