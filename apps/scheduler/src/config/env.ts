import { Transform } from 'class-transformer';
import { IsInt, Matches, Max, Min } from 'class-validator';
import {
  BaseEnv,
  ConfigError,
  adminTokenOf,
  isProduction,
  loadConfig,
  retentionMsOf,
} from '@codeplanet/service-kit';
import { parseDuration } from '@codeplanet/retry-policy';

const toNumber = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? Number(value) : value;
const DURATION = /^\s*\d+(\.\d+)?\s*(ms|s|m|h|d)\s*$/;
const durationMessage = { message: 'must be a duration like 500ms, 30s, 5m, 2h or 1d' };

/** scheduler env: BaseEnv plus the timing of every job. Durations accept ms/s/m/h/d, so tests compress them. */
export class SchedulerEnv extends BaseEnv {
  @Transform(toNumber)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3004;

  /** Off the delivery path: yields the CPU to the worker on a shared machine (BaseEnv `CPU_NICE`). */
  override CPU_NICE = 10;

  /** How often a replica tries to take the lease, and the leader checks it still holds it. */
  @Matches(DURATION, durationMessage)
  LEASE_CHECK_INTERVAL = '1s';

  /** How often the leader looks for recover/replay jobs queued by any replica. */
  @Matches(DURATION, durationMessage)
  JOB_POLL_INTERVAL = '1s';

  @Transform(toNumber)
  @IsInt()
  @Min(1)
  @Max(10_000)
  JOB_BATCH_SIZE = 200;

  @Matches(DURATION, durationMessage)
  AUTO_DISABLE_AFTER = '5d';

  @Matches(DURATION, durationMessage)
  AUTO_DISABLE_WARN_AFTER = '3d';

  @Matches(DURATION, durationMessage)
  AUTO_DISABLE_CHECK_INTERVAL = '1m';

  // RETENTION_DAYS is shared (BaseEnv): the scheduler's own purge, the purge it asks of audit-log, OUTCOMES max_age.

  @Matches(DURATION, durationMessage)
  RETENTION_CHECK_INTERVAL = '1h';

  @Transform(toNumber)
  @IsInt()
  @Min(1)
  @Max(100_000)
  RETENTION_BATCH_SIZE = 1000;

  /** A pending delivery this long past its next_attempt_at is stuck and re-queued. */
  @Matches(DURATION, durationMessage)
  STUCK_AFTER = '10m';

  @Matches(DURATION, durationMessage)
  STUCK_CHECK_INTERVAL = '1m';

  /**
   * A max-deliveries advisory is reconciled only this long after it was raised, so a worker still finishing the
   * last attempt records its own outcome first. Keep it below the streams' 2 min dedupe window.
   */
  @Matches(DURATION, durationMessage)
  ADVISORY_GRACE = '45s';

  @Matches(DURATION, durationMessage)
  ADVISORY_CHECK_INTERVAL = '10s';

  @Transform(toNumber)
  @IsInt()
  @Min(1)
  @Max(10_000)
  PROJECTION_BATCH_SIZE = 500;

  /**
   * How long a small OUTCOMES batch waits for more messages before it is applied: the projection's cost is mostly
   * per batch, so under load a few milliseconds of lag buy much larger batches. At most 1s.
   */
  @Matches(DURATION, durationMessage)
  PROJECTION_LINGER = '50ms';
}

export interface SchedulerTimings {
  leaseCheckMs: number;
  jobPollMs: number;
  autoDisableAfterMs: number;
  autoDisableWarnAfterMs: number;
  autoDisableCheckMs: number;
  retentionMs: number;
  retentionCheckMs: number;
  stuckAfterMs: number;
  stuckCheckMs: number;
  advisoryGraceMs: number;
  advisoryCheckMs: number;
  projectionLingerMs: number;
}

/** Everything the app needs from the env, checked together. Also the injection token. */
export class SchedulerSettings {
  readonly env!: SchedulerEnv;
  readonly production!: boolean;
  readonly adminToken!: string;
  readonly timings!: SchedulerTimings;

  constructor(values: SchedulerSettings) {
    Object.assign(this, values);
  }
}

export function loadSettings(source: Record<string, string | undefined> = process.env): SchedulerSettings {
  return settingsOf(loadConfig(SchedulerEnv, source));
}

export function settingsOf(env: SchedulerEnv): SchedulerSettings {
  const problems: string[] = [];
  let adminToken = '';
  try {
    adminToken = adminTokenOf(env);
  } catch {
    problems.push('ADMIN_TOKEN: is required when NODE_ENV=production');
  }
  const timings: SchedulerTimings = {
    leaseCheckMs: parseDuration(env.LEASE_CHECK_INTERVAL),
    jobPollMs: parseDuration(env.JOB_POLL_INTERVAL),
    autoDisableAfterMs: parseDuration(env.AUTO_DISABLE_AFTER),
    autoDisableWarnAfterMs: parseDuration(env.AUTO_DISABLE_WARN_AFTER),
    autoDisableCheckMs: parseDuration(env.AUTO_DISABLE_CHECK_INTERVAL),
    retentionMs: retentionMsOf(env),
    retentionCheckMs: parseDuration(env.RETENTION_CHECK_INTERVAL),
    stuckAfterMs: parseDuration(env.STUCK_AFTER),
    stuckCheckMs: parseDuration(env.STUCK_CHECK_INTERVAL),
    advisoryGraceMs: parseDuration(env.ADVISORY_GRACE),
    advisoryCheckMs: parseDuration(env.ADVISORY_CHECK_INTERVAL),
    projectionLingerMs: parseDuration(env.PROJECTION_LINGER),
  };
  for (const [name, ms] of [
    ['LEASE_CHECK_INTERVAL', timings.leaseCheckMs],
    ['JOB_POLL_INTERVAL', timings.jobPollMs],
    ['AUTO_DISABLE_CHECK_INTERVAL', timings.autoDisableCheckMs],
    ['RETENTION_CHECK_INTERVAL', timings.retentionCheckMs],
    ['STUCK_CHECK_INTERVAL', timings.stuckCheckMs],
    ['ADVISORY_CHECK_INTERVAL', timings.advisoryCheckMs],
  ] as const) {
    if (ms < 10) problems.push(`${name}: must be at least 10ms`);
  }
  if (timings.autoDisableWarnAfterMs >= timings.autoDisableAfterMs) {
    problems.push(
      'AUTO_DISABLE_WARN_AFTER: must be shorter than AUTO_DISABLE_AFTER (the warning comes first)',
    );
  }
  if (timings.advisoryGraceMs >= 120_000) {
    problems.push("ADVISORY_GRACE: must be below 2m, the streams' dedupe window");
  }
  if (timings.projectionLingerMs > 1_000) {
    problems.push(
      'PROJECTION_LINGER: must be at most 1s (jobs wait up to 10s for the projections to catch up)',
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return new SchedulerSettings({ env, production: isProduction(env), adminToken, timings });
}
