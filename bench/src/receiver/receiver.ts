import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ReceiverCommand, ReceiverReply, ReceiverStats } from './protocol.js';

type Pending = (reply: ReceiverReply) => void;
type Without<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

/** The parent side of the receiver process: its URL, and queries over IPC. */
export class BenchReceiver {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {
    child.on('message', (message: ReceiverReply) => {
      const resolve = this.pending.get(message.id);
      this.pending.delete(message.id);
      resolve?.(message);
    });
  }

  static async start(): Promise<BenchReceiver> {
    const entry = fileURLToPath(new URL('./receiver-process.js', import.meta.url));
    const child = fork(entry, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [] });
    const port = await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`receiver exited with ${code}`)));
      child.once('message', (message: ReceiverReply) => resolve('port' in message ? message.port : 0));
    });
    child.removeAllListeners('exit');
    return new BenchReceiver(child, port);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** `http://127.0.0.1:<port>/<mode>/<tag>/` — every URL the benchmark registers has this shape. */
  url(mode: 'ok' | 'fail' | 'hang', tag: string): string {
    return `http://127.0.0.1:${this.port}/${mode}/${tag}/`;
  }

  private ask(command: Without<ReceiverCommand, 'id'>): Promise<ReceiverReply> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.child.send({ ...command, id });
    });
  }

  async stats(): Promise<ReceiverStats> {
    const reply = await this.ask({ cmd: 'stats' });
    if (!('stats' in reply)) throw new Error('receiver: unexpected reply');
    return reply.stats;
  }

  /** Unique arrivals under these paths (`/ok/<tag>/`). */
  async count(paths: string[]): Promise<number> {
    const reply = await this.ask({ cmd: 'count', prefixes: paths });
    if (!('count' in reply)) throw new Error('receiver: unexpected reply');
    return reply.count;
  }

  /** First arrival (epoch ms, sub-ms precision) per `<path>|<event id>` under these paths. */
  async arrivals(paths: string[]): Promise<Map<string, number>> {
    const reply = await this.ask({ cmd: 'dump', prefixes: paths });
    if (!('arrivals' in reply)) throw new Error('receiver: unexpected reply');
    return new Map(reply.arrivals);
  }

  async reset(): Promise<void> {
    await this.ask({ cmd: 'reset' });
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.send({ cmd: 'stop', id: 0 });
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  }
}

/** Path part of a receiver URL, used as the key prefix for counting. */
export function pathOf(url: string): string {
  return new URL(url).pathname;
}
