import { Transform } from 'class-transformer';
import { IsInt, IsString, Max, Min } from 'class-validator';
import {
  BaseEnv,
  ConfigError,
  adminTokenOf,
  egressIpsOf,
  isProduction,
  loadConfig,
} from '@codeplanet/service-kit';
import { DEV_SECRETS_KEYRING, createSecretBox } from '@codeplanet/signer';

const toInt = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? Number(value) : value);

/** subscriptions-api env: BaseEnv plus what only this app reads. Validated once at boot. */
export class AppEnv extends BaseEnv {
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3001;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10_000)
  MAX_ENDPOINTS_PER_ACCOUNT = 20;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  RATE_LIMIT_PER_MINUTE = 600;

  /** Comma-separated tokens internal producers use for `POST /v1/events` (besides the admin token). */
  @IsString()
  SERVICE_TOKENS = '';
}

/** Everything the app needs from the env, with the production rules applied. Also the injection token. */
export class AppSettings {
  readonly env!: AppEnv;
  readonly production!: boolean;
  readonly adminToken!: string;
  readonly serviceTokens!: string[];
  /** Key material: never log it. */
  readonly secretsKeyring!: string;
  readonly egressIps!: string[];

  constructor(values: AppSettings) {
    Object.assign(this, values);
  }
}

export function loadSettings(source: Record<string, string | undefined> = process.env): AppSettings {
  const env = loadConfig(AppEnv, source);
  return settingsOf(env);
}

export function settingsOf(env: AppEnv): AppSettings {
  const production = isProduction(env);
  const problems: string[] = [];
  let adminToken = '';
  try {
    adminToken = adminTokenOf(env);
  } catch {
    problems.push('ADMIN_TOKEN: is required when NODE_ENV=production');
  }
  if (production && !env.SECRETS_ENCRYPTION_KEYS) {
    problems.push('SECRETS_ENCRYPTION_KEYS: is required when NODE_ENV=production');
  }
  const serviceTokens = env.SERVICE_TOKENS.split(',')
    .map((token) => token.trim())
    .filter((token) => token.length > 0);
  if (serviceTokens.some((token) => token.length < 16)) {
    problems.push('SERVICE_TOKENS: every token must be at least 16 characters');
  }
  const secretsKeyring = env.SECRETS_ENCRYPTION_KEYS ?? DEV_SECRETS_KEYRING;
  try {
    createSecretBox(secretsKeyring);
  } catch {
    // The keyring itself is never echoed: it is key material.
    problems.push('SECRETS_ENCRYPTION_KEYS: must be kid:base64key32[,kid:base64key32...]');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return new AppSettings({
    env,
    production,
    adminToken,
    serviceTokens,
    secretsKeyring,
    egressIps: egressIpsOf(env),
  });
}
