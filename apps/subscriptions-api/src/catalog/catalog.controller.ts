import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { EVENT_CATALOG, EVENT_TYPES } from '@codeplanet/event-schemas';
import { Public } from '@codeplanet/service-kit';
import { AppSettings } from '../config/env.js';

class EventTypeDto {
  @ApiProperty({ example: 'payment.completed' })
  type!: string;

  @ApiProperty()
  description!: string;

  @ApiProperty({ description: 'JSON Schema of data', type: 'object', additionalProperties: true })
  schema!: object;

  @ApiProperty({ description: 'A realistic event of this type', type: 'object', additionalProperties: true })
  example!: object;
}

class EventTypesDto {
  @ApiProperty({ type: [EventTypeDto] })
  data!: EventTypeDto[];
}

class WebhookIpsDto {
  @ApiProperty({ type: [String], example: ['34.120.10.20'] })
  data!: string[];
}

/** Public: what a receiver needs before it has a key (the catalogue, and the IPs to allow). */
@ApiTags('catalog')
@Public()
@Controller('v1')
export class CatalogController {
  private readonly eventTypes: EventTypesDto = {
    data: EVENT_TYPES.map((type) => {
      const entry = EVENT_CATALOG[type];
      return { type, description: entry.description, schema: entry.schema, example: entry.example };
    }),
  };

  constructor(private readonly settings: AppSettings) {}

  @Get('event-types')
  @ApiOkResponse({ type: EventTypesDto })
  list(): EventTypesDto {
    return this.eventTypes;
  }

  @Get('webhook-ips')
  @ApiOkResponse({ type: WebhookIpsDto })
  webhookIps(): WebhookIpsDto {
    return { data: this.settings.egressIps };
  }
}
