import 'reflect-metadata';
import { ConfigError, bootstrapHttpApp } from '@codeplanet/service-kit';
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

const settings = settingsOrExit();
await bootstrapHttpApp(AppModule.forRoot(settings), {
  name: 'delivery-worker',
  port: settings.port,
  host: settings.host,
  logLevel: settings.env.LOG_LEVEL,
});
