import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError, appUrl, applyCpuNice, loadConfig } from '@codeplanet/service-kit';
import { createAuditApp } from './app.js';
import { APP_NAME } from './app.module.js';
import { AuditEnv } from './config/audit-env.js';

function configOrExit(): AuditEnv {
  try {
    return loadConfig(AuditEnv);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${APP_NAME}: ${err.message}\n`);
    process.exit(1);
  }
}

async function main(): Promise<void> {
  const env = configOrExit();
  applyCpuNice(env.CPU_NICE);
  // SIGTERM/SIGINT: service-kit's shutdown hooks stop the projections, drain NATS, close the DB and exit 0.
  const app = await createAuditApp(env);
  await app.listen(env.PORT, env.HOST);
  new Logger(APP_NAME).log(`${APP_NAME} listening on ${await appUrl(app)}`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${APP_NAME} failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
