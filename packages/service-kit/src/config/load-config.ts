import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads the env into a validated config instance, once, at boot. Unknown variables are ignored; empty strings
 * count as unset so `FOO=` falls back to the default.
 */
export function loadConfig<T extends object>(
  EnvClass: new () => T,
  env: NodeJS.ProcessEnv | Record<string, string | undefined> = process.env,
): T {
  const defaults = new EnvClass() as Record<string, unknown>;
  const provided: Record<string, unknown> = {};
  for (const key of Object.keys(defaults).concat(Object.keys(env))) {
    const value = env[key];
    if (value !== undefined && value !== '') provided[key] = value;
  }
  const config = plainToInstance(EnvClass, { ...defaults, ...provided }, { exposeDefaultValues: true });
  const errors = validateSync(config, { whitelist: false, forbidUnknownValues: false });
  if (errors.length > 0) throw new ConfigError(errors.flatMap(describe));
  return config;
}

function describe(error: ValidationError): string[] {
  const constraints = Object.values(error.constraints ?? {});
  const value = String(error.value as unknown);
  const shown = /KEY|TOKEN|SECRET|PASSWORD/i.test(error.property) ? '(hidden)' : JSON.stringify(value);
  return constraints.map(
    (message) => `${error.property}=${shown}: ${stripProperty(message, error.property)}`,
  );
}

function stripProperty(message: string, property: string): string {
  return message.startsWith(`${property} `) ? message.slice(property.length + 1) : message;
}
