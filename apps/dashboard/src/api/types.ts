/** Shapes of CONTRACT.md §4 as the dashboard reads them. Fields the contract leaves open are optional. */

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

export interface Endpoint {
  id: string;
  account_id?: string;
  url: string;
  description: string | null;
  /** Event types, or `['*']` for all. */
  events: string[];
  enabled: boolean;
  /** `manual`, `gone_410`, `auto_failing`; null when enabled. */
  disabled_reason?: string | null;
  created_at?: string;
  updated_at?: string;
  /** Only in the response to create. */
  secret?: string;
}

export interface EventTypeInfo {
  type: string;
  description: string;
  schema?: unknown;
  example?: unknown;
}

export type DeliveryStatus = 'pending' | 'succeeded' | 'failed';

export interface Delivery {
  id: string;
  event_id: string;
  endpoint_id: string;
  event_type: string;
  status: DeliveryStatus;
  attempts: number;
  last_status_code: number | null;
  /** Named failure of the last attempt (`timeout`, `http_status`...). */
  last_error?: string | null;
  next_attempt_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface Attempt {
  attempt: number;
  status?: 'succeeded' | 'failed';
  started_at: string;
  duration_ms: number;
  status_code: number | null;
  error: string | null;
  response_body: string | null;
  request_headers?: Record<string, string>;
}

export interface DeliveryDetail extends Omit<Delivery, 'attempts'> {
  attempts: Attempt[];
  request_headers?: Record<string, string>;
  /** The envelope, when the API embeds it. */
  event?: unknown;
}

export interface DeliveryFilters {
  /** Admin only: one account's deliveries. */
  account_id?: string;
  endpoint_id?: string;
  event_type?: string;
  status?: DeliveryStatus | '';
  /** ISO 8601. */
  since?: string;
  until?: string;
}
