import { isIP } from 'node:net';
import { Transform } from 'class-transformer';
import { IsInt, Matches, Max, Min } from 'class-validator';
import { BaseEnv, ConfigError, egressIpsOf, isProduction, loadConfig } from '@codeplanet/service-kit';
import { RetryPolicy, parseDuration, parseSchedule } from '@codeplanet/retry-policy';
import { DEV_SECRETS_KEYRING, createSecretBox } from '@codeplanet/signer';

const toInt = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? Number(value) : value);
const DURATION = /^\s*\d+(\.\d+)?\s*(ms|s|m|h)\s*$/;
const DURATION_MESSAGE = { message: 'must be a duration like 250ms, 30s or 5m' };

/** delivery-worker env: BaseEnv plus the worker's own knobs. Validated once at boot. */
export class WorkerEnv extends BaseEnv {
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3003;

  /** Most first-attempt messages in hand at once (the DELIVERIES consumer's bound). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10_000)
  WORKER_CONCURRENCY = 256;

  /** Most retry messages in hand at once (the RETRIES consumer's bound). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10_000)
  RETRY_CONCURRENCY = 128;

  /** Events fanned out concurrently. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10_000)
  FANOUT_CONCURRENCY = 128;

  /** Concurrent requests per endpoint. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000)
  ENDPOINT_MAX_IN_FLIGHT = 16;

  /**
   * Keep-alive connections per origin (host:port). Larger than the per-endpoint cap on purpose: endpoints of
   * different customers on one shared receiver host must not queue behind each other's slow requests.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10_000)
  ORIGIN_MAX_CONNECTIONS = 128;

  /** Consecutive failed attempts that open an endpoint's circuit. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10_000)
  BREAKER_THRESHOLD = 5;

  /** How long an open circuit stays open before one probe is let through. */
  @Matches(DURATION, DURATION_MESSAGE)
  BREAKER_COOLDOWN = '30s';

  /**
   * How long a first attempt's OUTCOMES fact waits for others of the same endpoint to share its message (one
   * publish, one stored message, one read per projection for the lot). 0ms: every fact alone.
   */
  @Matches(DURATION, DURATION_MESSAGE)
  OUTCOME_LINGER = '5ms';

  /** First deferral of a task whose endpoint is at its cap (doubles on each deferral up to DEFER_MAX_DELAY). */
  @Matches(DURATION, DURATION_MESSAGE)
  DEFER_DELAY = '100ms';

  @Matches(DURATION, DURATION_MESSAGE)
  DEFER_MAX_DELAY = '5s';

  /**
   * Longest an attempt queues in the process for a slot of its endpoint (at its cap, slots turning over) before it
   * is deferred; a task only queues when its expected wait fits in this (0: never queue).
   */
  @Matches(/^\s*\d+(\.\d+)?\s*(ms|s)\s*$/, DURATION_MESSAGE)
  ENDPOINT_SLOT_WAIT = '5s';

  /** Most attempts queued in the process for one endpoint at its cap (beyond: deferred); 0: WORKER_CONCURRENCY. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(100_000)
  ENDPOINT_QUEUE_MAX = 0;

  /** Most attempts queued in the process over all endpoints; 0: WORKER_CONCURRENCY + RETRY_CONCURRENCY. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(100_000)
  WORKER_QUEUE_MAX = 0;

  /** Longest Retry-After honoured; empty: the longest ladder step. */
  @Matches(/^(\s*|\s*\d+(\.\d+)?\s*(ms|s|m|h)\s*)$/, DURATION_MESSAGE)
  RETRY_AFTER_MAX = '';

  /** max_ack_pending of the DELIVERIES consumer: deferred tasks hold a slot while they wait. */
  @Transform(toInt)
  @IsInt()
  @Min(1_000)
  DELIVERIES_MAX_ACK_PENDING = 100_000;
}

/** Everything the worker needs, parsed and checked. Key material inside: never log it. */
export interface WorkerSettings {
  env: WorkerEnv;
  production: boolean;
  port: number;
  host: string;
  secretsKeyring: string;
  policy: RetryPolicy;
  deliveryTimeoutMs: number;
  /** ack_wait of the DELIVERIES consumer: longer than an attempt can take, so only a crash redelivers. */
  firstAttemptAckWaitMs: number;
  egressIps: string[];
  breakerCooldownMs: number;
  deferDelayMs: number;
  deferMaxDelayMs: number;
  retryAfterMaxMs: number;
  slotWaitMs: number;
  outcomeLingerMs: number;
}

export function loadWorkerSettings(source: Record<string, string | undefined> = process.env): WorkerSettings {
  return workerSettingsOf(loadConfig(WorkerEnv, source));
}

export function workerSettingsOf(env: WorkerEnv): WorkerSettings {
  const production = isProduction(env);
  const problems: string[] = [];
  const attempt = <T>(name: string, fn: () => T, fallback: T): T => {
    try {
      return fn();
    } catch (error) {
      problems.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
      return fallback;
    }
  };
  if (production && !env.SECRETS_ENCRYPTION_KEYS) {
    problems.push('SECRETS_ENCRYPTION_KEYS: is required when NODE_ENV=production');
  }
  const secretsKeyring = env.SECRETS_ENCRYPTION_KEYS ?? DEV_SECRETS_KEYRING;
  try {
    createSecretBox(secretsKeyring);
  } catch {
    problems.push('SECRETS_ENCRYPTION_KEYS: must be kid:base64key32[,kid:base64key32...]');
  }
  const ladder = attempt('RETRY_SCHEDULE', () => parseSchedule(env.RETRY_SCHEDULE), [60_000]);
  const deliveryTimeoutMs = attempt('DELIVERY_TIMEOUT', () => parseDuration(env.DELIVERY_TIMEOUT), 30_000);
  const egressIps = egressIpsOf(env);
  for (const ip of egressIps) if (isIP(ip) === 0) problems.push(`EGRESS_IPS: "${ip}" is not an IP address`);
  const settings: WorkerSettings = {
    env,
    production,
    port: env.PORT,
    host: env.HOST,
    secretsKeyring,
    policy: new RetryPolicy(ladder),
    deliveryTimeoutMs,
    firstAttemptAckWaitMs: deliveryTimeoutMs + Math.max(5_000, deliveryTimeoutMs / 2),
    egressIps,
    breakerCooldownMs: attempt('BREAKER_COOLDOWN', () => parseDuration(env.BREAKER_COOLDOWN), 30_000),
    deferDelayMs: attempt('DEFER_DELAY', () => parseDuration(env.DEFER_DELAY), 250),
    deferMaxDelayMs: attempt('DEFER_MAX_DELAY', () => parseDuration(env.DEFER_MAX_DELAY), 5_000),
    slotWaitMs: attempt('ENDPOINT_SLOT_WAIT', () => parseDuration(env.ENDPOINT_SLOT_WAIT), 0),
    outcomeLingerMs: attempt('OUTCOME_LINGER', () => parseDuration(env.OUTCOME_LINGER), 0),
    retryAfterMaxMs: env.RETRY_AFTER_MAX.trim()
      ? attempt('RETRY_AFTER_MAX', () => parseDuration(env.RETRY_AFTER_MAX), 0)
      : Math.max(...ladder),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return settings;
}
