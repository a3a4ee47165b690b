import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError, appUrl, applyCpuNice } from '@codeplanet/service-kit';
import { createApp } from './app.js';
import { APP_NAME } from './app.module.js';
import { loadSettings, type AppSettings } from './config/env.js';

async function main(): Promise<void> {
  let settings: AppSettings;
  try {
    settings = loadSettings();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(`${APP_NAME}: ${err.message}`);
    process.exit(1);
  }
  applyCpuNice(settings.env.CPU_NICE);
  const app = await createApp(settings);
  await app.listen(settings.env.PORT, settings.env.HOST);
  new Logger(APP_NAME).log(`${APP_NAME} listening on ${await appUrl(app)}`);
}

main().catch((err: unknown) => {
  console.error(`${APP_NAME} failed to start:`, err instanceof Error ? err.message : err);
  process.exit(1);
});
