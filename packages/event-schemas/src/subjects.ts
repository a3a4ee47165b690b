/**
 * Subjects and stream names of DESIGN.md. A prefix isolates one deployment (or one test suite) from another
 * on the same NATS server: prefix `t1a2` gives stream `t1a2_EVENTS` over `t1a2.events.>`. Production uses none.
 */
export const STREAM_KEYS = [
  'events',
  'endpoints',
  'deliveries',
  'retries',
  'outcomes',
  'accounts',
  'audit',
] as const;
export type StreamKey = (typeof STREAM_KEYS)[number];

export interface Topology {
  readonly prefix: string;
  /** JetStream stream name for a logical stream, e.g. `EVENTS` or `t1a2_EVENTS`. */
  stream(key: StreamKey): string;
  /** The wildcard subject a stream captures, e.g. `events.>`. */
  streamSubject(key: StreamKey): string;
  event(type: string): string;
  endpoint(accountId: string, endpointId: string): string;
  delivery(endpointId: string): string;
  retry(endpointId: string): string;
  outcome(endpointId: string): string;
  account(accountId: string): string;
  audit(accountId: string): string;
  /** Strips the prefix and the stream's first token: `t1.events.payment.completed` -> `payment.completed`. */
  eventTypeOf(subject: string): string;
}

const PREFIX_PATTERN = /^[a-z0-9]{0,24}$/;

export function createTopology(prefix = ''): Topology {
  if (!PREFIX_PATTERN.test(prefix)) {
    throw new Error(`stream prefix "${prefix}" must be up to 24 lowercase letters or digits`);
  }
  const subjectRoot = prefix ? `${prefix}.` : '';
  const namePrefix = prefix ? `${prefix}_` : '';
  const subject = (...tokens: string[]): string => subjectRoot + tokens.join('.');
  return {
    prefix,
    stream: (key) => namePrefix + key.toUpperCase(),
    streamSubject: (key) => subject(key, '>'),
    event: (type) => subject('events', type),
    endpoint: (accountId, endpointId) => subject('endpoints', accountId, endpointId),
    delivery: (endpointId) => subject('deliveries', endpointId),
    retry: (endpointId) => subject('retries', endpointId),
    outcome: (endpointId) => subject('outcomes', endpointId),
    account: (accountId) => subject('accounts', accountId),
    audit: (accountId) => subject('audit', accountId),
    eventTypeOf: (full) => full.slice(subjectRoot.length + 'events.'.length),
  };
}
