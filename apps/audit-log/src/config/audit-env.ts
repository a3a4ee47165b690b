import { Transform } from 'class-transformer';
import { IsBooleanString, IsInt, IsString, Matches, Max, Min } from 'class-validator';
import { BaseEnv, IsDuration } from '@codeplanet/service-kit';

/** audit-log's env: the shared variables plus its own (see README). Validated once at boot. */
export class AuditEnv extends BaseEnv {
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3002;

  /** Off the delivery path: yields the CPU to the worker on a shared machine (BaseEnv `CPU_NICE`). */
  override CPU_NICE = 10;

  /** Built dashboard pages; relative paths resolve from the app root (apps/audit-log). */
  @IsString()
  DASHBOARD_DIR = '../dashboard/dist';

  @Matches(/^https?:\/\/\S+$/, { message: 'must be an http(s):// URL' })
  SUBSCRIPTIONS_API_URL = 'http://127.0.0.1:3001';

  /** Most messages applied in one projection transaction. */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  @Max(5000)
  PROJECTION_BATCH_SIZE = 500;

  /**
   * How long a batch smaller than `PROJECTION_BATCH_SIZE` waits for more messages before it is applied. A batch's
   * cost is mostly per statement, so a few milliseconds of lag under load buy much larger batches; when idle, the
   * first message of a quiet period waits this long. `0ms` applies at once.
   */
  @IsDuration({ minMs: 0 })
  PROJECTION_LINGER = '50ms';

  /**
   * Rows one retention statement deletes (or clears) at most; a purge loops statement after statement, each its own
   * short transaction, so projections never wait long behind it.
   */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  @Max(100_000)
  RETENTION_PURGE_BATCH_SIZE = 5000;

  /** `false` runs the REST API only (e.g. extra read replicas); projections run elsewhere. */
  @IsBooleanString()
  PROJECTIONS_ENABLED = 'true';
}

export const AUDIT_ENV = Symbol('AUDIT_ENV');

export function projectionsEnabled(env: AuditEnv): boolean {
  return env.PROJECTIONS_ENABLED === 'true';
}
