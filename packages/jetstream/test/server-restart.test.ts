/**
 * A real NATS crash and restart, on a private nats-server (own port and store directory), so the shared server
 * other suites use is never touched.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureConsumer } from '../src/consumers.js';
import { createJetStreamConnection, type JetStreamConnection } from '../src/nest/jetstream.context.js';
import { publishJson } from '../src/publish.js';
import { runPullConsumer, type PullConsumerHandle } from '../src/pull-consumer.js';
import { silentLogger, sleep, waitFor } from './helpers.js';

const NATS_SERVER = '/usr/sbin/nats-server';
const describeIfServer = existsSync(NATS_SERVER) ? describe : describe.skip;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function portIsOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.connect(port, '127.0.0.1');
  });
}

class PrivateNats {
  private child: ChildProcess | undefined;

  constructor(
    readonly port: number,
    private readonly storeDir: string,
  ) {}

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const args = ['-a', '127.0.0.1', '-p', String(this.port), '-js', '-sd', this.storeDir];
    this.child = spawn(NATS_SERVER, args, { stdio: 'ignore' });
    const deadline = Date.now() + 10_000;
    while (!(await portIsOpen(this.port))) {
      if (Date.now() > deadline) throw new Error('private nats-server did not start');
      await sleep(50);
    }
  }

  /** SIGKILL: a crash, not a graceful shutdown. */
  async kill(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
}

describeIfServer('surviving a NATS server restart', () => {
  let storeDir: string;
  let server: PrivateNats;
  let conn: JetStreamConnection;
  let handle: PullConsumerHandle | undefined;

  beforeAll(async () => {
    storeDir = mkdtempSync(join(tmpdir(), 'cp-nats-'));
    server = new PrivateNats(await freePort(), storeDir);
    await server.start();
    conn = await createJetStreamConnection(
      { servers: server.url, name: 'restart-test', prefix: '' },
      silentLogger,
    );
  });

  afterAll(async () => {
    await handle?.stop();
    await conn?.shutdown();
    await server?.kill();
    rmSync(storeDir, { recursive: true, force: true });
  });

  async function publishWithRetry(subject: string, payload: unknown): Promise<void> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      try {
        await publishJson(conn.js, subject, payload);
        return;
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await sleep(200);
      }
    }
  }

  it('reconnects, reports health, and the pull loop resumes', async () => {
    await conn.jsm.streams.add({ name: 'WORK', subjects: ['work.>'] });
    await ensureConsumer(conn.jsm, 'WORK', { durable_name: 'worker', ack_wait: 30_000_000_000 });
    const handled = new Set<number>();
    handle = runPullConsumer({
      js: conn.js,
      stream: 'WORK',
      consumer: 'worker',
      maxInHand: 4,
      autoAck: true,
      logger: silentLogger,
      onError: () => undefined,
      handle: (msg) => {
        handled.add(msg.json<{ i: number }>().i);
        return Promise.resolve();
      },
    });
    for (let i = 0; i < 5; i++) await publishWithRetry('work.a', { i });
    await waitFor(() => handled.size === 5, 10_000, 'before restart');

    await server.kill();
    await waitFor(() => !conn.isConnected(), 5_000, 'disconnect noticed');
    await sleep(500);
    await server.start();
    await waitFor(() => conn.isConnected(), 15_000, 'reconnect');

    for (let i = 5; i < 10; i++) await publishWithRetry('work.a', { i });
    await waitFor(() => handled.size === 10, 40_000, 'after restart');
    expect([...handled].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  }, 90_000);
});
