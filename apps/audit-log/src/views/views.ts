/**
 * The JSON shapes the API and the live tail return. One mapping from stored rows, so a delivery looks the same in
 * `GET /v1/deliveries`, in the detail route and in an SSE `delivery` event.
 */
export interface DeliveryView {
  id: string;
  event_id: string;
  endpoint_id: string;
  account_id: string;
  event_type: string;
  status: 'pending' | 'succeeded' | 'failed';
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  last_attempt_at: string | null;
  next_attempt_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface AttemptView {
  delivery_id: string;
  event_id: string;
  endpoint_id: string;
  account_id: string;
  attempt: number;
  status: 'succeeded' | 'failed';
  started_at: string;
  duration_ms: number;
  status_code: number | null;
  error: string | null;
  response_body: string | null;
  request_headers: Record<string, string>;
  next_attempt_at: string | null;
}

/** Columns to select for a DeliveryView (`d` is the deliveries alias). */
export const DELIVERY_COLUMNS = [
  'id',
  'event_id',
  'endpoint_id',
  'account_id',
  'event_type',
  'status',
  'attempts',
  'last_status_code',
  'last_error',
  'last_attempt_at',
  'next_attempt_at',
  'created_at',
  'updated_at',
]
  .map((c) => `d.${c}`)
  .join(', ');

type Row = Record<string, unknown>;

export function isoOrNull(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return new Date(value as Date | string).toISOString();
}

function iso(value: unknown): string {
  return new Date(value as Date | string).toISOString();
}

export function toDeliveryView(row: Row): DeliveryView {
  return {
    id: row.id as string,
    event_id: row.event_id as string,
    endpoint_id: row.endpoint_id as string,
    account_id: row.account_id as string,
    event_type: row.event_type as string,
    status: row.status as DeliveryView['status'],
    attempts: Number(row.attempts),
    last_status_code: row.last_status_code === null ? null : Number(row.last_status_code),
    last_error: (row.last_error as string | null) ?? null,
    last_attempt_at: isoOrNull(row.last_attempt_at),
    next_attempt_at: isoOrNull(row.next_attempt_at),
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  };
}

export function toAttemptView(row: Row): AttemptView {
  return {
    delivery_id: row.delivery_id as string,
    event_id: row.event_id as string,
    endpoint_id: row.endpoint_id as string,
    account_id: row.account_id as string,
    attempt: Number(row.attempt),
    status: row.outcome as AttemptView['status'],
    started_at: iso(row.started_at),
    duration_ms: Number(row.duration_ms),
    status_code: row.status_code === null ? null : Number(row.status_code),
    error: (row.error as string | null) ?? null,
    response_body: (row.response_body as string | null) ?? null,
    request_headers: (row.request_headers as Record<string, string> | null) ?? {},
    next_attempt_at: isoOrNull(row.next_attempt_at),
  };
}
