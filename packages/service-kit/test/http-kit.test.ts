import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Body, Controller, Get, Module, Post } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { IsString, MinLength } from 'class-validator';
import {
  API_KEY_LOOKUP,
  AUTH_OPTIONS,
  AdminOnly,
  ApiError,
  BearerAuthGuard,
  CurrentPrincipal,
  HealthModule,
  HealthRegistry,
  MetricsModule,
  appUrl,
  createHttpApp,
  hashApiKey,
  type ApiKeyLookup,
  type Principal,
} from '../src/index.js';

const ACCOUNT_KEY = 'cpk_test_key_1';

class ThingDto {
  @IsString()
  @MinLength(3)
  name!: string;
}

@Controller('v1')
class ThingsController {
  @Get('me')
  me(@CurrentPrincipal() principal: Principal): Principal {
    return principal;
  }

  @AdminOnly()
  @Post('things')
  create(@Body() body: ThingDto): { name: string } {
    if (body.name === 'taken') throw new ApiError(409, 'conflict', 'name taken');
    return { name: body.name };
  }
}

const keys: ApiKeyLookup = {
  findAccountByKeyHash: (hash) =>
    Promise.resolve(hash === hashApiKey(ACCOUNT_KEY) ? { keyId: 'key_1', accountId: 'acct_1' } : null),
};

let databaseUp = true;

@Module({
  imports: [HealthModule, MetricsModule],
  controllers: [ThingsController],
  providers: [
    { provide: API_KEY_LOOKUP, useValue: keys },
    { provide: AUTH_OPTIONS, useValue: { adminToken: 'admin-secret' } },
    { provide: APP_GUARD, useClass: BearerAuthGuard },
  ],
})
class TestAppModule {
  constructor(health: HealthRegistry) {
    health.register('database', () => databaseUp);
  }
}

describe('service-kit over real HTTP', () => {
  let app: NestFastifyApplication;
  let base: string;
  const call = (path: string, init: RequestInit = {}, token?: string) =>
    fetch(base + path, {
      ...init,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    });

  beforeAll(async () => {
    app = await createHttpApp(TestAppModule, { name: 'test', port: 0, bodyLimit: 1024, logLevel: 'error' });
    await app.listen(0, '127.0.0.1');
    base = await appUrl(app);
  });
  afterAll(async () => app.close());

  it('rejects a missing or wrong token with the contract error body', async () => {
    const missing = await call('/v1/me');
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({
      error: { code: 'unauthorized', message: expect.stringContaining('Bearer'), details: [] },
    });
    expect((await call('/v1/me', {}, 'cpk_wrong')).status).toBe(401);
  });

  it('resolves an account key to its account, and keeps admin routes for the admin', async () => {
    expect(await (await call('/v1/me', {}, ACCOUNT_KEY)).json()).toEqual({
      kind: 'account',
      accountId: 'acct_1',
      keyId: 'key_1',
    });
    const forbidden = await call('/v1/things', { method: 'POST', body: '{"name":"abc"}' }, ACCOUNT_KEY);
    expect(forbidden.status).toBe(403);
  });

  it('names the invalid field, passes domain errors through, and limits the body', async () => {
    const invalid = await call('/v1/things', { method: 'POST', body: '{"name":"x"}' }, 'admin-secret');
    expect(invalid.status).toBe(400);
    const body = (await invalid.json()) as { error: { code: string; details: { field: string }[] } };
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.details[0]?.field).toBe('name');
    const conflict = await call('/v1/things', { method: 'POST', body: '{"name":"taken"}' }, 'admin-secret');
    expect(conflict.status).toBe(409);
    const large = await call(
      '/v1/things',
      { method: 'POST', body: JSON.stringify({ name: 'x'.repeat(2000) }) },
      'admin-secret',
    );
    expect(large.status).toBe(413);
    expect(((await large.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
  });

  it('serves health (503 while a link is down) and metrics without a token', async () => {
    expect((await call('/health')).status).toBe(200);
    databaseUp = false;
    const down = await call('/health');
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({ status: 'unavailable', checks: { database: 'down' } });
    databaseUp = true;
    const metrics = await (await call('/metrics')).text();
    expect(metrics).toContain('process_cpu_user_seconds_total');
  });
});
