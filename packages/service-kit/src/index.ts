export {
  BaseEnv,
  adminTokenOf,
  egressIpsOf,
  isProduction,
  retentionMsOf,
  streamRetentionOf,
  type StreamRetention,
} from './config/base-env.js';
export { DAY_MS, IsDuration, parseDurationMs } from './config/duration.js';
export { ConfigError, loadConfig } from './config/load-config.js';
export { ApiError, NotFoundError, type ErrorBody, type ErrorDetail } from './http/api-error.js';
export { AllExceptionsFilter } from './http/exceptions.filter.js';
export { flatten as flattenValidationErrors, validationPipe } from './http/validation.js';
export {
  appUrl,
  bootstrapHttpApp,
  createHttpApp,
  logLevelsFrom,
  type HttpAppOptions,
} from './http/bootstrap.js';
export { HealthModule } from './health/health.module.js';
export { HealthRegistry, type HealthCheck } from './health/health.registry.js';
export { MetricsModule } from './metrics/metrics.module.js';
export { collectProcessMetrics, metrics } from './metrics/metrics.js';
export { BearerAuthGuard } from './auth/bearer-auth.guard.js';
export { Allow, AdminOnly, CurrentPrincipal, Public, type RequestWithPrincipal } from './auth/decorators.js';
export {
  API_KEY_LOOKUP,
  AUTH_OPTIONS,
  actorOf,
  hashApiKey,
  safeEqual,
  type ApiKeyLookup,
  type AuthOptions,
  type Principal,
  type PrincipalKind,
} from './auth/principal.js';
export { dataSourceOptions, ensureDatabaseExists, type AppDataSourceInput } from './database/database.js';
export { preparedQuery, rowsOf } from './database/prepared-query.js';
export { redact } from './logging/redact.js';
export { applyCpuNice } from './process/cpu-priority.js';
