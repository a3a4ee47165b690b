import { createHmac, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { FAKE_CATALOG } from './catalog.js';

/**
 * An in-memory stand-in for subscriptions-api + delivery-worker + audit-log, written from CONTRACT.md §4, so the
 * pages can be tested (and screenshot) without the whole system. It really POSTs to endpoint URLs, with a short ladder.
 */
export interface FakeEndpoint {
  id: string;
  account_id: string;
  url: string;
  description: string | null;
  events: string[];
  enabled: boolean;
  disabled_reason: string | null;
  secret: string;
  created_at: string;
  updated_at: string;
}
export interface FakeAttempt {
  attempt: number;
  started_at: string;
  duration_ms: number;
  status_code: number | null;
  error: string | null;
  response_body: string | null;
  request_headers: Record<string, string>;
}
export interface FakeDelivery {
  id: string;
  event_id: string;
  endpoint_id: string;
  account_id: string;
  event_type: string;
  status: 'pending' | 'succeeded' | 'failed';
  attempts: FakeAttempt[];
  last_status_code: number | null;
  next_attempt_at: string | null;
  created_at: string;
  updated_at: string;
}
export interface FakeEvent {
  id: string;
  type: string;
  account_id: string;
  created_at: string;
  test: boolean;
  data: unknown;
}

export const newId = (prefix: string) => `${prefix}_${randomBytes(10).toString('hex')}`;
const newSecret = () => `whsec_${randomBytes(32).toString('base64')}`;
const now = () => new Date().toISOString();

export class FakeStore {
  readonly accounts = new Map<string, string>();
  readonly keys = new Map<string, string>(); // key -> account id
  readonly endpoints = new Map<string, FakeEndpoint>();
  readonly deliveries: FakeDelivery[] = []; // newest first
  readonly events = new Map<string, FakeEvent>();
  readonly changes = new EventEmitter();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly ladderMs: number[] = [200, 200, 200, 200, 200],
    private readonly timeoutMs = 2000,
  ) {
    this.changes.setMaxListeners(100);
  }

  createAccount(name: string): string {
    const id = newId('acct');
    this.accounts.set(id, name);
    return id;
  }

  createKey(accountId: string): string {
    const key = `cpk_${randomBytes(16).toString('hex')}`;
    this.keys.set(key, accountId);
    return key;
  }

  createEndpoint(
    accountId: string,
    input: { url: string; events: string[]; description?: string | null },
  ): FakeEndpoint {
    const at = now();
    const endpoint: FakeEndpoint = {
      id: newId('ep'),
      account_id: accountId,
      url: input.url,
      events: input.events,
      description: input.description ?? null,
      enabled: true,
      disabled_reason: null,
      secret: newSecret(),
      created_at: at,
      updated_at: at,
    };
    this.endpoints.set(endpoint.id, endpoint);
    return endpoint;
  }

  rotate(endpoint: FakeEndpoint): string {
    endpoint.secret = newSecret();
    endpoint.updated_at = now();
    return endpoint.secret;
  }

  /** A test event to one endpoint: the catalogue example with `test: true`, delivered at once. */
  sendTest(endpoint: FakeEndpoint, type: string): FakeEvent {
    const example = FAKE_CATALOG.find((c) => c.type === type);
    const event: FakeEvent = {
      id: newId('evt'),
      type,
      account_id: endpoint.account_id,
      created_at: now(),
      test: true,
      data: example?.data ?? {},
    };
    this.events.set(event.id, event);
    const at = now();
    const delivery: FakeDelivery = {
      id: newId('dlv'),
      event_id: event.id,
      endpoint_id: endpoint.id,
      account_id: endpoint.account_id,
      event_type: type,
      status: 'pending',
      attempts: [],
      last_status_code: null,
      next_attempt_at: at,
      created_at: at,
      updated_at: at,
    };
    this.deliveries.unshift(delivery);
    this.emit(delivery);
    this.schedule(delivery, 0, 0);
    return event;
  }

  retry(delivery: FakeDelivery): void {
    delivery.status = 'pending';
    delivery.next_attempt_at = now();
    delivery.updated_at = now();
    this.emit(delivery);
    this.schedule(delivery, 0, 0);
  }

  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private emit(delivery: FakeDelivery): void {
    this.changes.emit('delivery', delivery);
  }

  /** `step` counts attempts within the current ladder (0 = first try). */
  private schedule(delivery: FakeDelivery, step: number, delayMs: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.attempt(delivery, step);
    }, delayMs);
    this.timers.add(timer);
  }

  private async attempt(delivery: FakeDelivery, step: number): Promise<void> {
    const endpoint = this.endpoints.get(delivery.endpoint_id);
    const event = this.events.get(delivery.event_id);
    if (!endpoint || !event) return;
    const body = JSON.stringify(event);
    const number = delivery.attempts.length + 1;
    const timestamp = Math.floor(Date.now() / 1000);
    const key = Buffer.from(endpoint.secret.slice('whsec_'.length), 'base64');
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'CodePlanet-Webhooks/fake',
      'x-codeplanet-event-id': event.id,
      'x-codeplanet-event-type': event.type,
      'x-codeplanet-delivery-id': delivery.id,
      'x-codeplanet-attempt': String(number),
      'x-codeplanet-timestamp': String(timestamp),
      'x-codeplanet-signature': `v1=${createHmac('sha256', key).update(`${timestamp}.${body}`).digest('hex')}`,
    };
    const started = Date.now();
    const record: FakeAttempt = {
      attempt: number,
      started_at: new Date(started).toISOString(),
      duration_ms: 0,
      status_code: null,
      error: null,
      response_body: null,
      request_headers: headers,
    };
    try {
      const response = await fetch(endpoint.url, {
        method: 'POST',
        headers,
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      record.status_code = response.status;
      record.response_body = (await response.text()).slice(0, 4096);
      if (response.status < 200 || response.status >= 300) record.error = 'http_status';
    } catch (error) {
      record.error =
        error instanceof Error && error.name === 'TimeoutError' ? 'timeout' : 'connection_refused';
    }
    record.duration_ms = Date.now() - started;
    delivery.attempts.push(record);
    delivery.last_status_code = record.status_code;
    delivery.updated_at = now();
    const delay = this.ladderMs[step];
    if (!record.error) {
      delivery.status = 'succeeded';
      delivery.next_attempt_at = null;
    } else if (delay === undefined) {
      delivery.status = 'failed';
      delivery.next_attempt_at = null;
    } else {
      delivery.next_attempt_at = new Date(Date.now() + delay).toISOString();
      this.schedule(delivery, step + 1, delay);
    }
    this.emit(delivery);
  }
}

/** The public row of a delivery (CONTRACT.md §4 audit-log). */
export function deliveryRow(d: FakeDelivery) {
  const { attempts, account_id: _account, ...rest } = d;
  return { ...rest, attempts: attempts.length };
}

export function endpointView(e: FakeEndpoint) {
  const { secret: _secret, ...rest } = e;
  return rest;
}
