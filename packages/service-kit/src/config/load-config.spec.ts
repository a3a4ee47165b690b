import { describe, expect, it } from '@jest/globals';
import { IsInt, Min } from 'class-validator';
import { Transform } from 'class-transformer';
import { BaseEnv } from './base-env.js';
import { ConfigError, loadConfig } from './load-config.js';

class WorkerEnv extends BaseEnv {
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  WORKER_CONCURRENCY = 64;
}

describe('loadConfig', () => {
  it('gives a working local system from defaults', () => {
    const config = loadConfig(WorkerEnv, {});
    expect(config.NATS_URL).toBe('nats://127.0.0.1:4222');
    expect(config.RETRY_SCHEDULE).toBe('1m,5m,30m,2h,24h');
    expect(config.WORKER_CONCURRENCY).toBe(64);
  });

  it('reads and converts provided values, treating empty as unset', () => {
    const config = loadConfig(WorkerEnv, { WORKER_CONCURRENCY: '8', STREAM_PREFIX: '' });
    expect(config.WORKER_CONCURRENCY).toBe(8);
    expect(config.STREAM_PREFIX).toBe('');
  });

  it('fails naming every bad variable, hiding secret values', () => {
    const load = () =>
      loadConfig(WorkerEnv, {
        NATS_URL: 'http://nope',
        WORKER_CONCURRENCY: '0',
        RETRY_SCHEDULE: '1m,soon',
        NODE_ENV: 'staging',
      });
    expect(load).toThrow(ConfigError);
    const message = (() => {
      try {
        load();
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    })();
    for (const name of ['NATS_URL', 'WORKER_CONCURRENCY', 'RETRY_SCHEDULE', 'NODE_ENV']) {
      expect(message).toContain(`${name}=`);
    }
  });
});
