import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError, applyCpuNice, bootstrapHttpApp } from '@codeplanet/service-kit';
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

/** Shutdown (service-kit's hooks): the leader term ends and the lease is released, HTTP closes, NATS drains, exit 0. */
async function main(): Promise<void> {
  const settings = settingsOrExit();
  applyCpuNice(settings.env.CPU_NICE);
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
