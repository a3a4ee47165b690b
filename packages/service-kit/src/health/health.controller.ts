import { Controller, Get, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/decorators.js';
import { HealthRegistry } from './health.registry.js';

@Controller()
export class HealthController {
  constructor(private readonly registry: HealthRegistry) {}

  @Public()
  @Get('health')
  async health(@Res() reply: FastifyReply): Promise<void> {
    const { ok, checks } = await this.registry.run();
    await reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable', checks });
  }
}
