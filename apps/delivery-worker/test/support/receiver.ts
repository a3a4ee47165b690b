import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  path: string;
  headers: Record<string, string>;
  body: string;
  at: number;
  remoteAddress: string;
}

/** What a path answers: a status (with headers/body), or 'hang' to never answer. */
export type Behaviour =
  { status: number; headers?: Record<string, string>; body?: string; delayMs?: number } | 'hang';

export type Script = (request: ReceivedRequest, countForPath: number) => Behaviour;

/** A webhook receiver on 127.0.0.1 whose answers each test scripts per path. */
export class Receiver {
  readonly requests: ReceivedRequest[] = [];
  private readonly scripts = new Map<string, Script>();
  private readonly hanging = new Set<ServerResponse>();
  private readonly open = new Map<string, number>();
  /** Most requests a path had open at once. */
  readonly maxOpen = new Map<string, number>();
  private server!: Server;
  url = '';

  static async start(): Promise<Receiver> {
    const receiver = new Receiver();
    receiver.server = createServer((req, res) => receiver.onRequest(req, res));
    receiver.server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    receiver.url = `http://127.0.0.1:${(receiver.server.address() as AddressInfo).port}`;
    return receiver;
  }

  /** Scripts a path; unscripted paths answer 200. */
  on(path: string, script: Script): string {
    this.scripts.set(path, script);
    return `${this.url}${path}`;
  }

  for(path: string): ReceivedRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        headers[name] = Array.isArray(value) ? value.join(', ') : (value ?? '');
      }
      const path = req.url ?? '/';
      const request: ReceivedRequest = {
        path,
        headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
        remoteAddress: (req.socket.remoteAddress ?? '').replace('::ffff:', ''),
      };
      this.requests.push(request);
      const open = (this.open.get(path) ?? 0) + 1;
      this.open.set(path, open);
      this.maxOpen.set(path, Math.max(open, this.maxOpen.get(path) ?? 0));
      res.on('close', () => this.open.set(path, (this.open.get(path) ?? 1) - 1));
      const script = this.scripts.get(path);
      const behaviour = script ? script(request, this.for(path).length) : { status: 200 };
      if (behaviour === 'hang') {
        this.hanging.add(res);
        res.on('close', () => this.hanging.delete(res));
        return;
      }
      const answer = (): void => {
        res.writeHead(behaviour.status, behaviour.headers ?? {}).end(behaviour.body ?? '');
      };
      if (behaviour.delayMs) setTimeout(answer, behaviour.delayMs);
      else answer();
    });
  }
}
