import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { STREAM_KEYS, type StreamKey } from '@codeplanet/event-schemas';
import { sleep } from '../leader/sleep.js';
import { Bus } from '../messaging/bus.js';
import { readCheckpoint } from './stream-follower.js';

/** Whether a projection has applied everything its stream held at the moment of asking. */
@Injectable()
export class ProjectionStatus {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly bus: Bus,
  ) {}

  /**
   * Waits until the projection's checkpoint reaches the stream's last sequence as of now. A job that reads a
   * projection (recover's selection, auto-disable, advisory reconciliation) calls this first, so it never acts
   * on facts it has not seen yet. False on timeout or when the term ends.
   */
  async caughtUp(name: string, stream: string, signal: AbortSignal, timeoutMs = 10_000): Promise<boolean> {
    const streamName = isStreamKey(stream) ? this.bus.stream(stream) : stream;
    const target = await this.bus.lastSeq(streamName);
    const deadline = Date.now() + timeoutMs;
    while (!signal.aborted) {
      if ((await readCheckpoint(this.db, name)) >= target) return true;
      if (Date.now() > deadline) return false;
      await sleep(50, signal);
    }
    return false;
  }
}

function isStreamKey(value: string): value is StreamKey {
  return (STREAM_KEYS as readonly string[]).includes(value);
}
