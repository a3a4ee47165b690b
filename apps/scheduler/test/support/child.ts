import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const APP_DIR = fileURLToPath(new URL('../..', import.meta.url));

export interface Child {
  proc: ChildProcess;
  url: Promise<string>;
  output: string[];
  exited: Promise<number | null>;
  leader(): Promise<boolean>;
}

/** `node dist/main.js` with the given env; resolves `url` from its "listening on" line. */
export function spawnScheduler(env: Record<string, string>): Child {
  const proc = spawn(process.execPath, ['dist/main.js'], {
    cwd: APP_DIR,
    env: { PATH: process.env.PATH ?? '', ...env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  let resolveUrl!: (url: string) => void;
  const url = new Promise<string>((resolve) => (resolveUrl = resolve));
  const onData = (chunk: Buffer): void => {
    const text = chunk.toString();
    output.push(text);
    const match = /listening on (http:\/\/[\d.:]+)/.exec(text);
    if (match?.[1]) resolveUrl(match[1]);
  };
  proc.stdout?.on('data', onData);
  proc.stderr?.on('data', onData);
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return {
    proc,
    url,
    output,
    exited,
    async leader() {
      try {
        const response = await fetch(`${await url}/metrics`);
        return /^scheduler_leader 1$/m.test(await response.text());
      } catch {
        return false;
      }
    },
  };
}
