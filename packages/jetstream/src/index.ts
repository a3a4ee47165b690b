export { connectNats, type ConnectNatsOptions } from './connection.js';
export {
  provisionStreams,
  ensureStream,
  streamDefinitions,
  STREAM_DEFAULTS,
  type ProvisionOptions,
  type StreamDefinition,
} from './streams.js';
export { ensureConsumer, PULL_EXPIRES_MS, type DurableConsumerConfig } from './consumers.js';
export { publishJson, encodeJson, type PublishJsonOptions } from './publish.js';
export { runPullConsumer, type RunPullConsumerOptions, type PullConsumerHandle } from './pull-consumer.js';
export { TrackedMsg, isReplied } from './tracked-msg.js';
export {
  WriteQueue,
  writeQueue,
  pacedScheduler,
  WRITE_PACE_MS,
  type WriteQueueOptions,
  type Scheduler,
} from './write-queue.js';
export { ApiCodes, apiErrorCode, isApiError, isWrongLastSequence } from './errors.js';
export type { LogSink } from './logger.js';
export { deleteStreamsWithPrefix } from './testing.js';
export {
  JETSTREAM,
  JETSTREAM_MODULE_OPTIONS,
  type JetStreamContext,
  type JetStreamModuleOptions,
} from './nest/tokens.js';
export { JetStreamConnection, createJetStreamConnection } from './nest/jetstream.context.js';
export {
  JetStreamModule,
  JetStreamHealth,
  type JetStreamModuleAsyncOptions,
} from './nest/jetstream.module.js';
export {
  JetStreamServer,
  JetStreamMsgContext,
  JetStreamEventPattern,
  JETSTREAM_TRANSPORT,
  type JetStreamServerOptions,
  type JetStreamSource,
  type JetStreamConsumerBinding,
} from './nest/jetstream.server.js';
// Re-exported so apps need no direct dependency for the common enums and types.
export {
  AckPolicy,
  DeliverPolicy,
  RetentionPolicy,
  ReplayPolicy,
  JetStreamApiError,
  type JsMsg,
  type PubAck,
  type JetStreamClient,
  type JetStreamManager,
  type ConsumerConfig,
  type ConsumerInfo,
} from '@nats-io/jetstream';
export { nanos, millis, type NatsConnection } from '@nats-io/transport-node';
