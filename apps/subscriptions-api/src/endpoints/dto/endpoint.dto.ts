import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';
import { EVENT_TYPES } from '@codeplanet/event-schemas';
import { IsEventFilter } from './event-filter.validator.js';

const EVENTS_DOC: ApiPropertyOptions = {
  type: [String],
  example: ['payment.completed', 'payment.failed'],
  description: 'Event types, or ["*"] for all',
};

export class CreateEndpointDto {
  @ApiProperty({ example: 'https://hooks.example.com/codeplanet', description: 'https only in production' })
  @IsString()
  url!: string;

  @ApiProperty(EVENTS_DOC)
  @IsEventFilter()
  events!: string[];

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string | null;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class UpdateEndpointDto {
  @ApiPropertyOptional({ example: 'https://hooks.example.com/codeplanet' })
  @IsOptional()
  @IsString()
  url?: string;

  @ApiPropertyOptional(EVENTS_DOC)
  @IsOptional()
  @IsEventFilter()
  events?: string[];

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 500 })
  @ValidateIf((_dto, value) => value !== null && value !== undefined)
  @IsString()
  @MaxLength(500)
  description?: string | null;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class EndpointDto {
  @ApiProperty({ example: 'ep_01JEX3M5V8Q2T9ZK7W4N6R1B3C' })
  id!: string;

  @ApiProperty({ example: 'acct_01JEX3M5V8Q2T9ZK7W4N6R1B3C' })
  account_id!: string;

  @ApiProperty()
  url!: string;

  @ApiProperty(EVENTS_DOC)
  events!: string[];

  @ApiProperty({ type: String, nullable: true })
  description!: string | null;

  @ApiProperty()
  enabled!: boolean;

  @ApiProperty({ type: String, nullable: true, enum: ['manual', 'gone_410', 'auto_failing'] })
  disabled_reason!: string | null;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;

  @ApiProperty({ format: 'date-time' })
  updated_at!: string;

  @ApiProperty({ description: 'Bumped on every change' })
  version!: number;
}

export class CreatedEndpointDto extends EndpointDto {
  @ApiProperty({
    description: 'The signing secret (also available from GET /v1/endpoints/{id}/secret)',
    example: 'whsec_…',
  })
  secret!: string;
}

export class EndpointPageDto {
  @ApiProperty({ type: [EndpointDto] })
  data!: EndpointDto[];

  @ApiProperty({ type: String, nullable: true })
  next_cursor!: string | null;
}

export class SecretDto {
  @ApiProperty({ example: 'whsec_…' })
  secret!: string;
}

export class SendTestEventDto {
  @ApiProperty({ enum: EVENT_TYPES, example: 'payment.completed' })
  @IsIn(EVENT_TYPES, { message: `type must be one of ${EVENT_TYPES.join(', ')}` })
  type!: string;
}

export class TestEventAcceptedDto {
  @ApiProperty({ example: 'evt_01JEX3M5V8Q2T9ZK7W4N6R1B3C' })
  event_id!: string;
}
