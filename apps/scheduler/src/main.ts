import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError, bootstrapHttpApp } from '@codeplanet/service-kit';
import { AppModule } from './app/app.module.js';
import { loadSettings, type SchedulerSettings } from './config/env.js';

function settingsOrExit(): SchedulerSettings {
  try {
    return loadSettings();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`scheduler: ${error.message}\n`);
    process.exit(1);
  }
}

/**
 * Nest's shutdown hooks end the leader term (in-flight jobs finish, the lease is released), close HTTP, drain NATS
 * and close Postgres, then re-raise the signal. Our listener takes that second signal and exits 0.
 */
function exitZeroAfterGracefulShutdown(): void {
  let shuttingDown = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (shuttingDown) process.exit(0);
      shuttingDown = true;
    });
  }
}

async function main(): Promise<void> {
  const settings = settingsOrExit();
  exitZeroAfterGracefulShutdown();
  await bootstrapHttpApp(AppModule.register(settings), {
    name: 'scheduler',
    port: settings.env.PORT,
    host: settings.env.HOST,
    bodyLimit: 64 * 1024,
    logLevel: settings.env.LOG_LEVEL,
  });
}

main().catch((error: unknown) => {
  new Logger('scheduler').error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
