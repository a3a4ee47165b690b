import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { EVENT_TYPES } from '@codeplanet/event-schemas';

export const DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;

/** `?limit=&cursor=` of every list (CONTRACT §4). */
export class PageQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_LIMIT)
  limit?: number;

  @IsOptional()
  @IsString()
  @MaxLength(500)
  cursor?: string;
}

/** A time range on the list's time column: `since` inclusive, `until` exclusive. */
export class TimeRangeQuery extends PageQuery {
  @IsOptional()
  @IsISO8601({ strict: true })
  since?: string;

  @IsOptional()
  @IsISO8601({ strict: true })
  until?: string;

  /** Admins only narrow to one account; for an account key it can only narrow to itself. */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  account_id?: string;
}

export class ListDeliveriesQuery extends TimeRangeQuery {
  @IsOptional()
  @IsString()
  @MaxLength(100)
  endpoint_id?: string;

  @IsOptional()
  @IsIn(EVENT_TYPES)
  event_type?: string;

  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  status?: (typeof DELIVERY_STATUSES)[number];

  @IsOptional()
  @IsString()
  @MaxLength(100)
  event_id?: string;
}

export class AuditTrailQuery extends TimeRangeQuery {
  @IsOptional()
  @IsString()
  @MaxLength(100)
  actor?: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  action?: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  target_id?: string;
}

export class StatsQuery {
  /** `30m`, `6h`, `7d`…, from 1 minute to 30 days; default 24h. */
  @IsOptional()
  @Matches(/^\d{1,5}(m|h|d)$/, { message: 'window must look like 30m, 6h or 7d' })
  window?: string;
}

export class StreamQuery {
  @IsOptional()
  @IsString()
  @MaxLength(100)
  endpoint_id?: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  account_id?: string;

  /** For EventSource, which cannot send headers; moved into Authorization before auth runs. */
  @IsOptional()
  @IsString()
  access_token?: string;
}

export function limitOf(query: PageQuery): number {
  return query.limit ?? DEFAULT_LIMIT;
}
