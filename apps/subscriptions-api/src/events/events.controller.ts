import { Body, Controller, Headers, HttpCode, Post, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiBody,
  ApiHeader,
  ApiProperty,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { envelopeSchema } from '@codeplanet/event-schemas';
import { Allow } from '@codeplanet/service-kit';
import { appMetrics } from '../common/app-metrics.js';
import { Ctx, type RequestContext } from '../common/request-context.js';
import { IngestService } from './ingest.service.js';

class EventAcceptedDto {
  @ApiProperty({ example: 'evt_01JEX3M5V8Q2T9ZK7W4N6R1B3C' })
  id!: string;
}

/** REST ingest for producers that cannot publish to NATS: the admin token or a service token. */
@ApiTags('events')
@ApiBearerAuth()
@Allow('admin', 'service')
@Controller('v1/events')
export class EventsController {
  constructor(private readonly ingest: IngestService) {}

  @Post()
  @HttpCode(202)
  @ApiBody({
    description: 'The event envelope; id, created_at and test may be omitted (the server fills them).',
    schema: { ...envelopeSchema, required: ['type', 'account_id', 'data'] } as object,
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Same key and body: same answer, one event',
  })
  @ApiAcceptedResponse({ type: EventAcceptedDto })
  async create(
    @Ctx() context: RequestContext,
    @Body() body: unknown,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<EventAcceptedDto> {
    const result = await this.ingest.ingest(context, body, idempotencyKey);
    appMetrics.eventsIngested.inc({ replayed: String(result.replayed) });
    if (result.replayed) void reply.header('idempotent-replayed', 'true');
    return { id: result.id };
  }
}
