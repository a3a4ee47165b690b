import { Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { metrics } from '@codeplanet/service-kit';
import type { LiveChange } from '../projection/projector.js';

export type LiveListener = (change: LiveChange) => void;

/**
 * In-process fan-out of committed projection changes to SSE clients. Each replica announces what ITS projectors
 * applied, so with several replicas sharing the consumers a client sees only part of the changes (see README).
 */
@Injectable()
export class LiveTail implements BeforeApplicationShutdown {
  private readonly listeners = new Set<LiveListener>();
  private readonly closers = new Set<() => void>();
  private readonly gauge = metrics.gauge('audit_live_tail_subscribers', 'Open live tail (SSE) streams');

  publish(changes: readonly LiveChange[]): void {
    for (const change of changes) {
      for (const listener of this.listeners) {
        try {
          listener(change);
        } catch {
          // one broken client must not stop the others
        }
      }
    }
  }

  /** Returns the unsubscribe function; `close` is called when the app shuts down. */
  subscribe(listener: LiveListener, close: () => void): () => void {
    this.listeners.add(listener);
    this.closers.add(close);
    this.gauge.set(this.listeners.size);
    return () => {
      this.listeners.delete(listener);
      this.closers.delete(close);
      this.gauge.set(this.listeners.size);
    };
  }

  get subscribers(): number {
    return this.listeners.size;
  }

  /** Open SSE responses would keep the HTTP server from closing. */
  beforeApplicationShutdown(): void {
    for (const close of [...this.closers]) close();
  }
}
