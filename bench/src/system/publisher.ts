/**
 * Publishing events on NATS the way producers do (`events.<type>`, `Nats-Msg-Id` = event id), closed-loop with a
 * bounded window of unacknowledged publishes, or open-loop at a fixed rate.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { createTopology, type EventEnvelope, type Topology } from '@codeplanet/event-schemas';
import { epochNow } from '../util.js';

export class Publisher {
  private constructor(
    readonly nc: NatsConnection,
    readonly js: JetStreamClient,
    readonly topology: Topology,
  ) {}

  static async connect(natsUrl: string, prefix: string): Promise<Publisher> {
    const nc = await connect({
      servers: natsUrl.split(','),
      name: 'bench-publisher',
      maxReconnectAttempts: -1,
    });
    return new Publisher(nc, jetstream(nc, { timeout: 30_000 }), createTopology(prefix));
  }

  publish(event: EventEnvelope): Promise<unknown> {
    return this.js.publish(this.topology.event(event.type), JSON.stringify(event), { msgID: event.id });
  }

  /** Publishes every event as fast as acks come back, at most `window` unacknowledged at a time. */
  async closedLoop(
    count: number,
    make: (n: number) => EventEnvelope,
    window = 512,
  ): Promise<{ errors: number }> {
    let next = 0;
    let errors = 0;
    const lane = async (): Promise<void> => {
      while (next < count) {
        const event = make(next++);
        try {
          await this.publish(event);
        } catch {
          errors += 1;
        }
      }
    };
    await Promise.all(Array.from({ length: window }, lane));
    return { errors };
  }

  /**
   * Open loop: event n is due at `start + n / rate`. Whatever the publisher's own hiccups, each event keeps its
   * scheduled time, and latency is measured from it (no coordinated omission). Returns the schedule per event id.
   */
  async openLoop(
    ratePerSecond: number,
    seconds: number,
    make: (n: number) => EventEnvelope,
  ): Promise<{ scheduled: Map<string, number>; errors: number; lateMaxMs: number }> {
    const total = Math.round(ratePerSecond * seconds);
    const interval = 1000 / ratePerSecond;
    const scheduled = new Map<string, number>();
    const inFlight = new Set<Promise<unknown>>();
    let errors = 0;
    let lateMaxMs = 0;
    const start = epochNow() + 20;
    let n = 0;
    while (n < total) {
      const now = epochNow();
      while (n < total && start + n * interval <= now) {
        const due = start + n * interval;
        lateMaxMs = Math.max(lateMaxMs, now - due);
        const event = make(n);
        scheduled.set(event.id, due);
        const sent = this.publish(event).catch(() => {
          errors += 1;
        });
        inFlight.add(sent);
        void sent.finally(() => inFlight.delete(sent));
        n += 1;
      }
      // Never spin: a busy publisher would steal one of the machine's two cores from the system under test.
      await sleep(Math.max(1, Math.floor(start + n * interval - epochNow())));
    }
    await Promise.all(inFlight);
    return { scheduled, errors, lateMaxMs };
  }

  async close(): Promise<void> {
    await this.nc.drain();
  }
}
