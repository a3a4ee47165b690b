import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsNumber, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { DAY_MS, IsDuration, parseDurationMs } from './duration.js';

const toNumber = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? Number(value) : value;

/** Env every app reads. Apps extend it with their own fields; defaults give a working local system. */
export class BaseEnv {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Matches(/^(nats|tls|wss?):\/\/[^\s]+(,(nats|tls|wss?):\/\/[^\s]+)*$/, {
    message: 'must be one or more nats:// URLs, comma-separated',
  })
  NATS_URL = 'nats://127.0.0.1:4222';

  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'must be a postgres:// URL' })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/codeplanet_webhooks';

  @Matches(/^[a-z0-9]{0,24}$/, { message: 'must be up to 24 lowercase letters or digits' })
  STREAM_PREFIX = '';

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  @Max(5)
  NATS_REPLICAS = 1;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'verbose'])
  LOG_LEVEL = 'info';

  @IsString()
  @IsOptional()
  HOST = '127.0.0.1';

  @IsString()
  @IsOptional()
  ADMIN_TOKEN?: string;

  @IsString()
  @IsOptional()
  SECRETS_ENCRYPTION_KEYS?: string;

  @Matches(/^\s*\d+(\.\d+)?\s*(ms|s|m|h|d)\s*(,\s*\d+(\.\d+)?\s*(ms|s|m|h|d)\s*)*$/, {
    message: 'must be a comma-separated list of durations like 1m,5m,30m,2h,24h',
  })
  RETRY_SCHEDULE = '1m,5m,30m,2h,24h';

  @Matches(/^\s*\d+(\.\d+)?\s*(ms|s|m|h)\s*$/, { message: 'must be a duration like 30s' })
  DELIVERY_TIMEOUT = '30s';

  @IsString()
  EGRESS_IPS = '';

  /**
   * Days attempts and response bodies are kept: the OUTCOMES stream's max_age, the scheduler's purge of its own
   * rows, and the purge it asks audit-log to run. Fractions are allowed (tests compress time); at least one second.
   */
  @Transform(toNumber)
  @IsNumber(
    { allowNaN: false, allowInfinity: false },
    { message: 'must be a number of days, like 30 or 0.5' },
  )
  @Min(1 / 86_400, { message: 'must be at least 1/86400 (one second)' })
  @Max(36_500)
  RETENTION_DAYS = 30;

  /**
   * Niceness the process gives itself at boot (0–19, see `applyCpuNice`). The delivery path (subscriptions-api,
   * delivery-worker) keeps 0; the projections (audit-log, scheduler) default to 10, so on a shared machine their
   * batch bursts wait for the worker instead of delaying deliveries. Idle CPU is still theirs.
   */
  @Transform(toNumber)
  @IsInt()
  @Min(0)
  @Max(19)
  CPU_NICE = 0;

  /** How long domain events stay in the EVENTS stream (the window replay and recover can reach). */
  @IsDuration({ minMs: 1_000 })
  EVENTS_MAX_AGE = '7d';
}

export function isProduction(env: { NODE_ENV: string }): boolean {
  return env.NODE_ENV === 'production';
}

/** The admin token outside production defaults to a well-known dev value; production must set its own. */
export function adminTokenOf(env: BaseEnv): string {
  if (env.ADMIN_TOKEN) return env.ADMIN_TOKEN;
  if (isProduction(env)) throw new Error('ADMIN_TOKEN is required when NODE_ENV=production');
  return 'dev-admin-token';
}

export function egressIpsOf(env: BaseEnv): string[] {
  return env.EGRESS_IPS.split(',')
    .map((ip) => ip.trim())
    .filter((ip) => ip.length > 0);
}

/** The retention the streams are provisioned with, derived from the shared env (every app passes the same). */
export interface StreamRetention {
  /** EVENTS max_age, from `EVENTS_MAX_AGE`. */
  eventsMaxAgeMs: number;
  /** OUTCOMES max_age, from `RETENTION_DAYS`: attempts age out of the stream as they are purged from Postgres. */
  outcomesMaxAgeMs: number;
}

/** `RETENTION_DAYS` in milliseconds. */
export function retentionMsOf(env: Pick<BaseEnv, 'RETENTION_DAYS'>): number {
  return Math.round(env.RETENTION_DAYS * DAY_MS);
}

/**
 * Stream max ages for `provisionStreams` / `JetStreamModule` (`streamOptions`). Every app that provisions streams
 * must pass this, or a boot with the package defaults would overwrite what another app set.
 */
export function streamRetentionOf(env: Pick<BaseEnv, 'RETENTION_DAYS' | 'EVENTS_MAX_AGE'>): StreamRetention {
  const eventsMaxAgeMs = parseDurationMs(env.EVENTS_MAX_AGE);
  if (eventsMaxAgeMs === undefined) throw new Error(`EVENTS_MAX_AGE=${env.EVENTS_MAX_AGE} is not a duration`);
  return { eventsMaxAgeMs, outcomesMaxAgeMs: retentionMsOf(env) };
}
