import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHttpApp } from '@codeplanet/service-kit';
import { AppModule } from '../../src/app.module.js';
import { loadWorkerSettings } from '../../src/config/worker-env.js';
import { FAST_LADDER, NATS_URL, type TestBus } from './bus.js';

function baseEnv(bus: TestBus, env: Record<string, string>): Record<string, string> {
  return {
    NATS_URL,
    STREAM_PREFIX: bus.prefix,
    RETRY_SCHEDULE: FAST_LADDER,
    DELIVERY_TIMEOUT: '2s',
    LOG_LEVEL: 'warn',
    NODE_ENV: 'test',
    ...env,
  };
}

export interface InProcessWorker {
  url: string;
  app: NestFastifyApplication;
  close(): Promise<void>;
}

/** The worker app inside the test process (fast to boot; same code as dist/main.js). */
export async function startWorker(bus: TestBus, env: Record<string, string> = {}): Promise<InProcessWorker> {
  const settings = loadWorkerSettings(baseEnv(bus, { PORT: '0', ...env }));
  const app = await createHttpApp(AppModule.forRoot(settings), {
    name: 'delivery-worker',
    port: 0,
    logLevel: 'warn',
  });
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return { url, app, close: () => app.close() };
}

const MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

export interface ChildWorker {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

/** `node dist/main.js` as a separate process, configured only by env; resolves once it logs that it listens. */
export async function spawnWorker(bus: TestBus, env: Record<string, string> = {}): Promise<ChildWorker> {
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH ?? '',
      NO_COLOR: '1',
      ...baseEnv(bus, { PORT: '0', LOG_LEVEL: 'info', ...env }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start:\n${output}`)), 60_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((code) => reject(new Error(`worker exited with ${code}:\n${output}`)));
  });
  return { child, url, output: () => output, exited };
}
