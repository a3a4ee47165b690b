/**
 * The messages apps exchange over NATS, besides the public event envelope. Apps share nothing else, so every
 * field here is a contract between them. All payloads are JSON; times are ISO 8601 strings.
 */
import type { EventEnvelope } from './envelope.js';

// ---------- ENDPOINTS: `endpoints.<account>.<endpoint>`, the log of record for endpoint state ----------

/** A signing secret as it travels and rests: encrypted with the secret-box keyring, never plaintext. */
export interface EncryptedSecret {
  /** `v1.<key id>.<iv>.<tag>.<ciphertext>` from `@codeplanet/signer` secretBox. */
  ciphertext: string;
  created_at: string;
  /** null for the current secret; set for a rotated-out secret that still signs until then. */
  expires_at: string | null;
}

export interface EndpointState {
  id: string;
  account_id: string;
  url: string;
  /** Event types, or `['*']`. */
  events: string[];
  description: string | null;
  enabled: boolean;
  /** Why the endpoint was disabled (`manual`, `gone_410`, `auto_failing`), null when enabled. */
  disabled_reason: string | null;
  /** Newest first; the first one is the current secret. */
  secrets: EncryptedSecret[];
  created_at: string;
  updated_at: string;
  /** Bumped on every change; equals the count of facts for this endpoint. */
  version: number;
}

export const ENDPOINT_FACT_TYPES = [
  'endpoint.created',
  'endpoint.updated',
  'endpoint.secret_rotated',
  'endpoint.disabled',
  'endpoint.enabled',
  'endpoint.deleted',
] as const;
export type EndpointFactType = (typeof ENDPOINT_FACT_TYPES)[number];

/** Every fact carries the whole endpoint after the change, so the last fact per subject is the current state. */
export interface EndpointFact {
  type: EndpointFactType;
  endpoint: EndpointState;
  /** Who made the change: `key_...`, `admin`, `scheduler`, `delivery-worker`. */
  actor: string;
  occurred_at: string;
}

// ---------- ACCOUNTS: `accounts.<account>`, so every app can authenticate account keys ----------

export type AccountFact =
  | {
      type: 'account.created';
      account: { id: string; name: string; created_at: string };
      occurred_at: string;
    }
  | {
      type: 'api_key.created';
      api_key: { id: string; account_id: string; key_hash: string; prefix: string; created_at: string };
      occurred_at: string;
    }
  | { type: 'api_key.revoked'; api_key: { id: string; account_id: string }; occurred_at: string };

// ---------- DELIVERIES `deliveries.<endpoint>` and RETRIES `retries.<endpoint>` ----------

/** One task per (event, endpoint). `Nats-Msg-Id` is `<event id>:<endpoint id>` (plus `:<replay job>`). */
export interface DeliveryTask {
  delivery_id: string;
  endpoint_id: string;
  account_id: string;
  event: EventEnvelope;
  /** The attempt this message starts with: 1 on DELIVERIES; on RETRIES, the first retry's number (2). */
  first_attempt: number;
  /** Set when a scheduler job (recover/replay/manual retry) made this task. */
  cause?: { kind: 'recover' | 'replay' | 'manual_retry'; job_id: string } | undefined;
  /** Epoch ms when the task was queued, for latency accounting. */
  enqueued_at: number;
}

// ---------- OUTCOMES: `outcomes.<endpoint>` ----------

export interface AttemptRecord {
  delivery_id: string;
  event_id: string;
  event_type: string;
  endpoint_id: string;
  account_id: string;
  attempt: number;
  started_at: string;
  duration_ms: number;
  /** HTTP status, null when no response arrived. */
  status_code: number | null;
  /** Named failure: `timeout`, `connection_refused`, `dns`, `tls`, `reset`, `redirect`, `http_status`, `circuit_open`, `blocked_address`. */
  error: string | null;
  /** First 4 KiB of the response body. */
  response_body: string | null;
  request_headers: Record<string, string>;
  /** When the next attempt is due; null when none will follow. */
  next_attempt_at: string | null;
}

/**
 * The final state of a delivery, carried inside the attempt fact that ended it: one OUTCOMES message holds both
 * facts (see `splitOutcome`). The delivery's ids are the attempt's.
 */
export interface DeliveryEnding {
  type: DeliveryFinalFact['type'];
  attempts: number;
  occurred_at: string;
}

export type AttemptFact = {
  type: 'attempt.succeeded' | 'attempt.failed';
  ends_delivery?: DeliveryEnding;
} & AttemptRecord;

export interface DeliveryFinalFact {
  type: 'delivery.succeeded' | 'delivery.failed';
  delivery_id: string;
  event_id: string;
  event_type: string;
  endpoint_id: string;
  account_id: string;
  attempts: number;
  occurred_at: string;
}

export type OutcomeFact =
  | AttemptFact
  | DeliveryFinalFact
  | {
      type: 'event.rejected';
      event_id: string | null;
      account_id: string | null;
      subject: string;
      /** The raw message as received (truncated to 256 KiB), for admins. */
      raw: string;
      errors: { field: string; message: string }[];
      occurred_at: string;
    }
  | {
      /** The fan-out accepted the event: one per event, with the deliveries it created. */
      type: 'event.accepted';
      event: EventEnvelope;
      deliveries: { delivery_id: string; endpoint_id: string }[];
      occurred_at: string;
    };

/**
 * Several OUTCOMES facts of one endpoint in one message (the worker groups first-attempt facts that end within a
 * few milliseconds). Readers take the facts out with `splitOutcome`, in order.
 */
export interface OutcomeBatch {
  type: 'facts';
  facts: OutcomeFact[];
}

// ---------- AUDIT: `audit.<account>` (account `_admin` for admin-wide actions) ----------

export interface AuditFact {
  id: string;
  /** `key_...`, `admin`, `scheduler`. */
  actor: string;
  /** e.g. `endpoint.create`, `endpoint.secret_rotate`, `scheduler.auto_disable`. */
  action: string;
  account_id: string | null;
  target: { kind: string; id: string };
  request_id: string | null;
  occurred_at: string;
  details?: Record<string, unknown>;
}

// ---------- Headers on NATS messages ----------

/**
 * On an EVENTS message: deliver this (test) event to this one endpoint only, whatever its event filter.
 * Set by `POST /v1/endpoints/:id/test`; the fan-out checks the endpoint belongs to the event's account.
 */
export const TARGET_ENDPOINT_HEADER = 'Codeplanet-Target-Endpoint';
