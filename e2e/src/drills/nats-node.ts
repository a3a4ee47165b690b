/**
 * A nats-server process of a drill's own, on a free loopback port with its own store directory, so a drill can
 * kill and restart it without touching the machine's shared server. Several nodes form a cluster (`natsCluster`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { freePort } from '../ports.js';

export const NATS_SERVER_BIN = process.env.NATS_SERVER_BIN ?? '/usr/sbin/nats-server';

export interface ClusterSpec {
  name: string;
  serverName: string;
  clusterPort: number;
  /** Cluster ports of the other nodes. */
  routes: number[];
}

export class NatsNode {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private output = '';

  private constructor(
    readonly port: number,
    readonly storeDir: string,
    private readonly cluster: ClusterSpec | undefined,
  ) {}

  static async create(cluster?: ClusterSpec): Promise<NatsNode> {
    const node = new NatsNode(await freePort(), mkdtempSync(join(tmpdir(), 'cpw-drill-nats-')), cluster);
    return node;
  }

  /** One standalone JetStream server, started and ready. */
  static async start(): Promise<NatsNode> {
    const node = await NatsNode.create();
    await node.start();
    await node.waitJetStream();
    return node;
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  /** The server name inside a cluster (what stream info reports as leader). */
  get serverName(): string | undefined {
    return this.cluster?.serverName;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  get logs(): string {
    return this.output;
  }

  private args(): string[] {
    const args = ['-a', '127.0.0.1', '-p', String(this.port), '-js', '-sd', this.storeDir];
    if (this.cluster) {
      const { name, serverName, clusterPort, routes } = this.cluster;
      args.push('-n', serverName, '--cluster_name', name, '--cluster', `nats://127.0.0.1:${clusterPort}`);
      args.push('--routes', routes.map((port) => `nats://127.0.0.1:${port}`).join(','));
    }
    return args;
  }

  /** Starts (or restarts, same port and store) and resolves once the server accepts clients. */
  async start(timeoutMs = 15_000): Promise<void> {
    const child = spawn(NATS_SERVER_BIN, this.args(), { stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (chunk: Buffer): void => {
      this.output = (this.output + chunk.toString()).slice(-20_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    this.child = child;
    const deadline = Date.now() + timeoutMs;
    while (!this.output.includes('Server is ready')) {
      if (!this.running) throw new Error(`nats-server exited:\n${this.output}`);
      if (Date.now() > deadline)
        throw new Error(`nats-server not ready after ${timeoutMs} ms:\n${this.output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Resolves once JetStream answers API calls on this node (a cluster needs its meta leader first). */
  async waitJetStream(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const nc = await connect({ servers: this.url });
    try {
      for (;;) {
        try {
          // jetstreamManager() itself asks for the account info, and fails until JetStream is up.
          await jetstreamManager(nc, { timeout: 2_000 });
          return;
        } catch (error) {
          if (Date.now() > deadline) throw error;
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
      }
    } finally {
      await nc.close();
    }
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** Stops the server and deletes its store. */
  async destroy(): Promise<void> {
    await this.stop('SIGKILL');
    rmSync(this.storeDir, { recursive: true, force: true });
  }
}

/** `size` JetStream nodes routed to each other on loopback; resolves when the cluster has a meta leader. */
export async function natsCluster(size = 3): Promise<NatsNode[]> {
  const clusterPorts = await Promise.all(Array.from({ length: size }, () => freePort()));
  const name = `cpw${Math.random().toString(36).slice(2, 8)}`;
  const nodes = await Promise.all(
    clusterPorts.map((clusterPort, i) =>
      NatsNode.create({
        name,
        serverName: `${name}-n${i + 1}`,
        clusterPort,
        routes: clusterPorts.filter((port) => port !== clusterPort),
      }),
    ),
  );
  try {
    await Promise.all(nodes.map((node) => node.start()));
    await Promise.all(nodes.map((node) => node.waitJetStream(60_000)));
  } catch (error) {
    await Promise.all(nodes.map((node) => node.destroy()));
    throw error;
  }
  return nodes;
}

export const clusterUrl = (nodes: NatsNode[]): string => nodes.map((node) => node.url).join(',');
