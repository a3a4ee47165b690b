import {
  DiscardPolicy,
  RetentionPolicy,
  StorageType,
  type JetStreamManager,
  type StreamConfig,
  type StreamInfo,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { STREAM_KEYS, type StreamKey, type Topology } from '@codeplanet/event-schemas';
import { ApiCodes, isApiError } from './errors.js';

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

export const STREAM_DEFAULTS = {
  replicas: 1,
  eventsMaxAgeMs: 7 * DAY_MS,
  outcomesMaxAgeMs: 30 * DAY_MS,
  duplicateWindowMs: 2 * MINUTE_MS,
} as const;

export interface ProvisionOptions {
  /** Stream replicas: 1 on a single server, 3 on a cluster. Default 1. */
  replicas?: number;
  /** How long domain events stay replayable. Default 7 days. */
  eventsMaxAgeMs?: number;
  /** How long per-attempt outcome facts stay in the stream (audit-log keeps them in Postgres). Default 30 days. */
  outcomesMaxAgeMs?: number;
  /** `Nats-Msg-Id` dedupe window for every stream. Default 2 minutes. */
  duplicateWindowMs?: number;
}

export type StreamDefinition = Pick<
  StreamConfig,
  'name' | 'subjects' | 'retention' | 'storage' | 'num_replicas' | 'max_age' | 'duplicate_window' | 'discard'
> & { description: string };

interface StreamShape {
  retention: RetentionPolicy;
  /** 0 = keep forever. */
  maxAgeMs: number;
  description: string;
}

function shapes(opts: Required<ProvisionOptions>): Record<StreamKey, StreamShape> {
  const { Limits, Workqueue } = RetentionPolicy;
  return {
    events: { retention: Limits, maxAgeMs: opts.eventsMaxAgeMs, description: 'domain events' },
    endpoints: { retention: Limits, maxAgeMs: 0, description: 'endpoint facts (log of record)' },
    accounts: { retention: Limits, maxAgeMs: 0, description: 'account and api key facts (log of record)' },
    // First attempts only; each task is removed once acked, so the stream is a queue.
    deliveries: { retention: Workqueue, maxAgeMs: 0, description: 'first delivery attempts' },
    // The retry consumer is the only reader of this stream, so work-queue retention is safe and keeps it small.
    retries: { retention: Workqueue, maxAgeMs: 0, description: 'deliveries waiting for a retry' },
    outcomes: {
      retention: Limits,
      maxAgeMs: opts.outcomesMaxAgeMs,
      description: 'attempt and delivery outcomes',
    },
    audit: { retention: Limits, maxAgeMs: 0, description: 'audit trail' },
  };
}

function withDefaults(opts: ProvisionOptions): Required<ProvisionOptions> {
  return {
    replicas: opts.replicas ?? STREAM_DEFAULTS.replicas,
    eventsMaxAgeMs: opts.eventsMaxAgeMs ?? STREAM_DEFAULTS.eventsMaxAgeMs,
    outcomesMaxAgeMs: opts.outcomesMaxAgeMs ?? STREAM_DEFAULTS.outcomesMaxAgeMs,
    duplicateWindowMs: opts.duplicateWindowMs ?? STREAM_DEFAULTS.duplicateWindowMs,
  };
}

/** The configuration of all seven streams, without touching the server (for docs, tests and dry runs). */
export function streamDefinitions(topology: Topology, options: ProvisionOptions = {}): StreamDefinition[] {
  const opts = withDefaults(options);
  const byKey = shapes(opts);
  return STREAM_KEYS.map((key) => {
    const shape = byKey[key];
    // The server refuses a dedupe window longer than max_age.
    const window =
      shape.maxAgeMs > 0 ? Math.min(opts.duplicateWindowMs, shape.maxAgeMs) : opts.duplicateWindowMs;
    return {
      name: topology.stream(key),
      subjects: [topology.streamSubject(key)],
      description: shape.description,
      retention: shape.retention,
      storage: StorageType.File,
      discard: DiscardPolicy.Old,
      num_replicas: opts.replicas,
      max_age: nanos(shape.maxAgeMs),
      duplicate_window: nanos(window),
    };
  });
}

/**
 * Creates or updates one stream. Safe to run from several processes at once: losing the create race
 * ("stream name already in use") turns into an update to the same configuration.
 */
export async function ensureStream(jsm: JetStreamManager, config: StreamDefinition): Promise<StreamInfo> {
  try {
    return await jsm.streams.add(config);
  } catch (err) {
    if (!isApiError(err, ApiCodes.StreamNameInUse)) throw err;
  }
  const { name, storage: _storage, retention: _retention, ...editable } = config;
  try {
    return await jsm.streams.update(name, editable);
  } catch (err) {
    throw new Error(`cannot update stream ${name} to the expected configuration: ${String(err)}`, {
      cause: err,
    });
  }
}

/** Idempotent add-or-update of all seven streams of the topology. Returns their infos, keyed by stream key. */
export async function provisionStreams(
  jsm: JetStreamManager,
  topology: Topology,
  options: ProvisionOptions = {},
): Promise<Record<StreamKey, StreamInfo>> {
  const defs = streamDefinitions(topology, options);
  const infos = await Promise.all(defs.map((def) => ensureStream(jsm, def)));
  const out = {} as Record<StreamKey, StreamInfo>;
  STREAM_KEYS.forEach((key, i) => {
    const info = infos[i];
    if (info) out[key] = info;
  });
  return out;
}
