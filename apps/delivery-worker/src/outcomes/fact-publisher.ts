import type { PublishIntent } from '../fanout/fanout-plan.js';

export interface PublishRequest extends PublishIntent {
  headers?: Record<string, string> | undefined;
  expectLastSubjectSequence?: number | undefined;
}

/** Publishes to JetStream and resolves once the stream acknowledged (so the caller may ack its input). */
export interface FactPublisher {
  publish(request: PublishRequest): Promise<{ seq: number; duplicate: boolean }>;
}

/** Publishes concurrently; resolves when every one is acknowledged, rejects on the first failure. */
export async function publishAll(publisher: FactPublisher, requests: PublishRequest[]): Promise<void> {
  await Promise.all(requests.map((request) => publisher.publish(request)));
}
