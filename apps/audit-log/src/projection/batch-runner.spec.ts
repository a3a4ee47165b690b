import { describe, expect, it } from '@jest/globals';
import type { JetStreamClient, JsMsg } from '@codeplanet/jetstream';
import type { DataSource } from 'typeorm';
import { BatchRunner } from './batch-runner.js';
import type { StreamProjector } from './projector.js';

const silent = { log: () => undefined, warn: () => undefined, error: () => undefined };

function message(seq: number, bytes: number): JsMsg {
  return { seq, data: new Uint8Array(bytes), nak: () => undefined } as unknown as JsMsg;
}

/** A runner whose consumer never connects: messages are handed to it directly, batches are recorded. */
function recordingRunner(
  batchSize: number,
  batchBytes: number,
): { runner: BatchRunner; batches: number[][] } {
  const batches: number[][] = [];
  const runner = new BatchRunner({
    dataSource: {} as DataSource,
    js: { consumers: { get: () => Promise.reject(new Error('offline')) } } as unknown as JetStreamClient,
    streamName: 'S',
    consumerName: 'c',
    projector: {} as StreamProjector,
    batchSize,
    batchBytes,
    logger: silent,
  });
  runner.processBatch = (batch: JsMsg[]): Promise<boolean> => {
    batches.push(batch.map((m) => m.seq));
    return Promise.resolve(true);
  };
  return { runner, batches };
}

const hand = (runner: BatchRunner, msg: JsMsg): void =>
  (runner as unknown as { receive(msg: JsMsg): void }).receive(msg);

describe('BatchRunner batches', () => {
  it('close at batchBytes as well as at batchSize, and a larger message goes alone', async () => {
    const { runner, batches } = recordingRunner(3, 1_000);
    const sizes = [400, 400, 400, 100, 100, 100, 100, 5_000, 10];
    sizes.forEach((bytes, i) => hand(runner, message(i + 1, bytes)));
    runner.start();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await runner.stop();
    expect(batches).toEqual([[1, 2], [3, 4, 5], [6, 7], [8], [9]]);
  });
});
