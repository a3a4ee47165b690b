import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

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
