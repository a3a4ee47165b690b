import 'reflect-metadata';
import { ConfigError, applyCpuNice, bootstrapHttpApp } from '@codeplanet/service-kit';
import { AppModule } from './app.module.js';
import { loadWorkerSettings, type WorkerSettings } from './config/worker-env.js';

function settingsOrExit(): WorkerSettings {
  try {
    return loadWorkerSettings();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`delivery-worker: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

/**
 * Nest's shutdown hooks stop the consumers, let in-flight attempts finish, drain NATS, then re-raise the signal,
 * which would end the process "killed by SIGTERM". Our own listener catches that re-raised signal and exits 0,
 * as a clean shutdown should.
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

const settings = settingsOrExit();
applyCpuNice(settings.env.CPU_NICE);
exitZeroAfterGracefulShutdown();
await bootstrapHttpApp(AppModule.forRoot(settings), {
  name: 'delivery-worker',
  port: settings.port,
  host: settings.host,
  logLevel: settings.env.LOG_LEVEL,
});
