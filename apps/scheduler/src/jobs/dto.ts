import { ArrayMinSize, ArrayUnique, IsArray, IsIn, IsISO8601, IsOptional } from 'class-validator';
import { EVENT_TYPES } from '@codeplanet/event-schemas';

export class RecoverRequest {
  /** Failed deliveries whose ladder ended at or after this time get a fresh ladder. */
  @IsISO8601({ strict: true }, { message: 'since must be an ISO 8601 date-time' })
  since!: string;
}

export class ReplayRequest {
  /** Event types to send again; default: the endpoint's own filter. */
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(EVENT_TYPES, { each: true, message: 'each value in types must be one of the event types' })
  types?: string[];

  @IsISO8601({ strict: true }, { message: 'since must be an ISO 8601 date-time' })
  since!: string;

  /** Default: now. */
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'until must be an ISO 8601 date-time' })
  until?: string;
}

export interface JobView {
  id: string;
  kind: string;
  status: string;
  account_id: string;
  endpoint_id: string;
  params: Record<string, unknown>;
  /** Deliveries the job selected; null until the leader has selected them. */
  total: number | null;
  /** Tasks put on DELIVERIES so far. */
  queued: number;
  /** Selected but not sendable (the event body is gone from the streams). */
  skipped: number;
  /** Queued deliveries whose new ladder has ended, split below. */
  done: number;
  succeeded: number;
  failed: number;
  error: string | null;
  requested_by: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}
