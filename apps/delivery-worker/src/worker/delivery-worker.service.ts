import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import {
  JETSTREAM,
  JetStreamHealth,
  ensureConsumer,
  isWrongLastSequence,
  runPullConsumer,
  type JetStreamContext,
  type PullConsumerHandle,
} from '@codeplanet/jetstream';
import { HealthRegistry } from '@codeplanet/service-kit';
import { createSecretBox } from '@codeplanet/signer';
import { AttemptExecutor } from '../attempt/attempt-executor.js';
import { HttpSender } from '../attempt/http-client.js';
import type { WorkerSettings } from '../config/worker-env.js';
import { FanoutHandler } from '../fanout/fanout-handler.js';
import { CircuitBreaker } from '../isolation/circuit-breaker.js';
import { DeferralPlanner } from '../isolation/deferral-planner.js';
import { InflightLimiter } from '../isolation/inflight-limiter.js';
import { WorkerMetrics } from '../metrics/worker-metrics.js';
import { DeliveryHandlers } from '../retry/delivery-handlers.js';
import { RetryPlanner } from '../retry/retry-planner.js';
import { EndpointDisabler } from '../routing/endpoint-disabler.js';
import { RoutingFeed } from '../routing/routing-feed.js';
import { RoutingTable } from '../routing/routing-table.js';
import {
  CONSUMERS,
  fanoutConsumerConfig,
  firstAttemptConsumerConfig,
  retryConsumerConfig,
} from './consumer-configs.js';
import { OutcomeBatcher } from '../outcomes/outcome-batcher.js';
import { NatsFactPublisher } from './nats-fact-publisher.js';
import { WORKER_SETTINGS } from './tokens.js';

/** How long a task for an endpoint this process has not seen yet waits for the map (another worker's is ahead). */
const UNKNOWN_ENDPOINT_GRACE_MS = 10_000;
/** An endpoint at its cap that frees no slot for this long is stuck: nothing queues for it, its queue is deferred. */
const ENDPOINT_STALL_MS = 200;

/**
 * Wires the worker: the routing map first (nothing is consumed before it caught up), then the three pull loops.
 * On shutdown, before NATS drains: stop pulling, let in-flight attempts finish and answer, close HTTP pools.
 */
@Injectable()
export class DeliveryWorkerService implements OnApplicationBootstrap {
  private readonly logger = new Logger('DeliveryWorker');
  private readonly metrics = new WorkerMetrics();
  private handles: PullConsumerHandle[] = [];
  private feed: RoutingFeed | undefined;
  private sender: HttpSender | undefined;
  private limiter: InflightLimiter | undefined;
  private stopping: Promise<void> | undefined;

  constructor(
    @Inject(JETSTREAM) private readonly jetstream: JetStreamContext,
    @Inject(WORKER_SETTINGS) private readonly settings: WorkerSettings,
    private readonly health: HealthRegistry,
    private readonly natsHealth: JetStreamHealth,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { js, jsm, topology } = this.jetstream;
    const { settings } = this;
    this.health.register('nats', () => this.natsHealth.ping());
    this.health.register('routing', () => this.feed?.ready ?? false);
    await Promise.all([
      ensureConsumer(jsm, topology.stream('events'), fanoutConsumerConfig()),
      ensureConsumer(jsm, topology.stream('deliveries'), firstAttemptConsumerConfig(settings)),
      ensureConsumer(jsm, topology.stream('retries'), retryConsumerConfig(settings)),
    ]);
    this.jetstream.beforeDrain(() => this.stop());

    const box = createSecretBox(settings.secretsKeyring);
    const routing = new RoutingTable(
      (ciphertext) => box.decrypt(ciphertext),
      (endpointId) =>
        this.logger.error(`cannot decrypt a secret of endpoint ${endpointId}: check SECRETS_ENCRYPTION_KEYS`),
    );
    this.feed = new RoutingFeed(js, jsm, topology, routing, this.logger, () =>
      this.metrics.setRoutes(routing.size),
    );
    await this.feed.start();

    const publisher = new NatsFactPublisher(js);
    this.sender = new HttpSender({
      timeoutMs: settings.deliveryTimeoutMs,
      connectionsPerOrigin: settings.env.ORIGIN_MAX_CONNECTIONS,
      egressIps: settings.egressIps,
      guardAddresses: settings.production,
      requireHttps: settings.production,
    });
    const { env } = settings;
    // Queued attempts hold consumer slots. A queue only grows while its endpoint keeps freeing slots and the
    // expected wait fits (InflightLimiter.canQueue); an endpoint that stops freeing slots sends its queue away.
    this.limiter = new InflightLimiter(
      env.ENDPOINT_MAX_IN_FLIGHT,
      env.ENDPOINT_QUEUE_MAX || env.WORKER_CONCURRENCY,
      env.WORKER_QUEUE_MAX || env.WORKER_CONCURRENCY + env.RETRY_CONCURRENCY,
      Date.now,
      Math.min(ENDPOINT_STALL_MS, settings.slotWaitMs / 2),
    );
    const executor = new AttemptExecutor({
      sender: this.sender,
      limiter: this.limiter,
      slotWaitMs: settings.slotWaitMs,
      breaker: new CircuitBreaker({
        threshold: settings.env.BREAKER_THRESHOLD,
        cooldownMs: settings.breakerCooldownMs,
      }),
      metrics: this.metrics,
    });
    const outcomeBatcher = new OutcomeBatcher(publisher, { lingerMs: settings.outcomeLingerMs });
    const handlers = new DeliveryHandlers({
      topology,
      routing,
      executor,
      planner: new RetryPlanner(settings.policy, settings.retryAfterMaxMs),
      publisher,
      firstAttemptOutcomes: outcomeBatcher,
      disabler: new EndpointDisabler(routing, publisher, topology, this.logger, isWrongLastSequence),
      log: this.logger,
      metrics: this.metrics,
      deferrals: new DeferralPlanner({
        minDelayMs: settings.deferDelayMs,
        maxDelayMs: settings.deferMaxDelayMs,
      }),
      firstAttemptAckWaitMs: settings.firstAttemptAckWaitMs,
      unknownEndpointGraceMs: UNKNOWN_ENDPOINT_GRACE_MS,
    });
    const fanout = new FanoutHandler(routing, topology, publisher, this.logger, this.metrics);

    this.handles = [
      runPullConsumer({
        js,
        stream: topology.stream('events'),
        consumer: CONSUMERS.fanout,
        maxInHand: settings.env.FANOUT_CONCURRENCY,
        handle: fanout.handle,
      }),
      runPullConsumer({
        js,
        stream: topology.stream('deliveries'),
        consumer: CONSUMERS.firstAttempts,
        maxInHand: settings.env.WORKER_CONCURRENCY,
        handle: handlers.handleFirstAttempt,
      }),
      runPullConsumer({
        js,
        stream: topology.stream('retries'),
        consumer: CONSUMERS.retries,
        maxInHand: settings.env.RETRY_CONCURRENCY,
        handle: handlers.handleRetry,
      }),
    ];
    this.logger.log(
      `consuming: ladder ${settings.env.RETRY_SCHEDULE}, timeout ${settings.env.DELIVERY_TIMEOUT}, ` +
        `${settings.env.ENDPOINT_MAX_IN_FLIGHT} in flight per endpoint`,
    );
  }

  /** Stop pulling, finish in-flight attempts (they still publish and ack), then close the HTTP pools. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      // Queued attempts are deferred at once (they are not in flight), so shutdown never waits behind a queue.
      this.limiter?.close();
      await Promise.all(this.handles.map((handle) => handle.stop()));
      await this.feed?.stop();
      await this.sender?.close();
      this.logger.log('consumers stopped, in-flight attempts finished');
    })();
    return this.stopping;
  }
}
