/**
 * Load for the drills: a lean receiver that keeps only (endpoint path, event id) → arrivals, endpoints registered
 * through subscriptions-api, and a publisher that keeps re-publishing an event (same `Nats-Msg-Id`, so it is stored
 * once) until JetStream acknowledges it — so "published" means acknowledged, through any outage.
 */
import { createServer, type Server } from 'node:http';
import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { createTopology, EVENT_CATALOG, EVENT_TYPES, type EventEnvelope } from '@codeplanet/event-schemas';
import { callJson } from '../http-json.js';

export class DrillReceiver {
  /** `<path>|<event id>` → how many times it arrived. */
  readonly arrivals = new Map<string, number>();
  /** Arrival times (ms) of every request, for "deliveries continued during the outage". */
  readonly times: number[] = [];
  private server: Server | undefined;
  port = 0;

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      const key = `${request.url ?? '/'}|${String(request.headers['x-codeplanet-event-id'] ?? '')}`;
      this.arrivals.set(key, (this.arrivals.get(key) ?? 0) + 1);
      this.times.push(Date.now());
      request.resume();
      request.on('end', () => response.writeHead(200).end('ok'));
    });
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
    return this;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  has(path: string, eventId: string): boolean {
    return this.arrivals.has(`${path}|${eventId}`);
  }

  /** Requests that arrived in [from, to). */
  /** Arrivals in each of the `seconds` seconds from `from`, for a drill's timeline. */
  perSecondFrom(from: number, seconds: number): number[] {
    return Array.from({ length: seconds }, (_, i) =>
      this.countBetween(from + i * 1_000, from + (i + 1) * 1_000),
    );
  }

  /** When the first request after `from` arrived, if one did. */
  firstArrivalAfter(from: number): number | undefined {
    return this.times.find((t) => t >= from);
  }

  countBetween(from: number, to: number): number {
    return this.times.filter((t) => t >= from && t < to).length;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

export interface DrillEndpoint {
  id: string;
  path: string;
}

/**
 * One account with `count` endpoints (all event types) on the receiver, and waits until the worker routes to each:
 * a test event sent through the API has arrived for every endpoint.
 */
export async function registerEndpoints(
  apiUrl: string,
  adminToken: string,
  receiver: DrillReceiver,
  count: number,
  timeoutMs = 60_000,
): Promise<{ accountId: string; endpoints: DrillEndpoint[] }> {
  const account = await callJson<{ id: string }>(apiUrl, adminToken, 'POST', '/v1/admin/accounts', {
    name: 'drill',
  });
  const { key } = await callJson<{ key: string }>(
    apiUrl,
    adminToken,
    'POST',
    `/v1/admin/accounts/${account.id}/api-keys`,
  );
  const endpoints: DrillEndpoint[] = [];
  for (let i = 0; i < count; i++) {
    const path = `/drill/${i}`;
    const created = await callJson<{ id: string }>(apiUrl, key, 'POST', '/v1/endpoints', {
      url: receiver.url(path),
      events: ['*'],
    });
    endpoints.push({ id: created.id, path });
  }
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pending = endpoints.filter(
      (e) => ![...receiver.arrivals.keys()].some((k) => k.startsWith(`${e.path}|`)),
    );
    if (pending.length === 0) break;
    if (Date.now() > deadline)
      throw new Error(`no test event reached ${pending.map((e) => e.path).join(', ')}`);
    await Promise.all(
      pending.map((e) =>
        callJson(apiUrl, key, 'POST', `/v1/endpoints/${e.id}/test`, { type: 'payment.completed' }).catch(
          () => undefined,
        ),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  receiver.arrivals.clear();
  receiver.times.length = 0;
  return { accountId: account.id, endpoints };
}

let sequence = 0;
const RUN = Math.random().toString(36).slice(2, 8);

export function drillEvent(accountId: string): EventEnvelope {
  sequence += 1;
  const type = EVENT_TYPES[sequence % EVENT_TYPES.length]!;
  return {
    ...EVENT_CATALOG[type].example,
    id: `evt_drill${RUN}${sequence.toString(36).padStart(7, '0')}`,
    type,
    account_id: accountId,
    created_at: new Date().toISOString(),
    test: false,
  };
}

export class DrillPublisher {
  /** Event ids JetStream acknowledged. */
  readonly acked = new Set<string>();
  /** Event ids given up on (never acknowledged within the give-up time). */
  readonly failed = new Set<string>();
  private constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly prefix: string,
  ) {}

  static async connect(natsUrl: string, prefix: string): Promise<DrillPublisher> {
    const nc = await connect({
      servers: natsUrl.split(','),
      name: 'drill-publisher',
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
    });
    return new DrillPublisher(nc, jetstream(nc, { timeout: 2_000 }), prefix);
  }

  /** Publishes until acknowledged (same msg id every time), giving up after `giveUpMs`. */
  async publish(event: EventEnvelope, giveUpMs = 120_000): Promise<void> {
    const subject = createTopology(this.prefix).event(event.type);
    const body = JSON.stringify(event);
    const deadline = Date.now() + giveUpMs;
    for (;;) {
      try {
        await this.js.publish(subject, body, { msgID: event.id, timeout: 2_000 });
        this.acked.add(event.id);
        return;
      } catch {
        if (Date.now() > deadline) {
          this.failed.add(event.id);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  }

  /**
   * `rate` events/s for `seconds`, at most `maxInFlight` unacknowledged; `at(second)` runs once per whole second
   * elapsed (where drills inject their fault). Resolves when every event is acknowledged or given up.
   */
  async run(
    accountId: string,
    rate: number,
    seconds: number,
    at: (second: number) => Promise<void> | void = () => undefined,
    maxInFlight = 500,
  ): Promise<void> {
    const start = Date.now();
    const total = rate * seconds;
    const inFlight = new Set<Promise<void>>();
    const faults: Promise<void>[] = [];
    let second = 0;
    for (let n = 0; n < total;) {
      const elapsed = Date.now() - start;
      while (second <= Math.floor(elapsed / 1000)) faults.push(Promise.resolve(at(second++)));
      while (n < total && n < (elapsed * rate) / 1000 && inFlight.size < maxInFlight) {
        const sent = this.publish(drillEvent(accountId));
        inFlight.add(sent);
        void sent.finally(() => inFlight.delete(sent));
        n += 1;
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await Promise.all(inFlight);
    await Promise.all(faults);
  }

  async close(): Promise<void> {
    await this.nc.close();
  }
}
