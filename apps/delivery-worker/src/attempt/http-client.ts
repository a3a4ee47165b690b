import { isIP } from 'node:net';
import { request } from 'undici';
import { BlockedAddressError, isBlockedAddress } from './address-guard.js';
import { EgressPool, type EgressOptions } from './egress.js';
import { nameTransportError, type TransportErrorName } from './error-names.js';
import type { WebhookRequest } from './request-builder.js';
import { retryAfterMs } from './retry-after.js';

export const RESPONSE_BODY_LIMIT = 4 * 1024;
/** Read (and discard) at most this much of a response so its connection can be reused. */
const DRAIN_LIMIT = 64 * 1024;

export type AttemptErrorName = TransportErrorName | 'redirect' | 'http_status';

export interface SendResult {
  ok: boolean;
  startedAt: number;
  durationMs: number;
  statusCode: number | null;
  error: AttemptErrorName | null;
  /** First 4 KiB of the response body, when one arrived. */
  responseBody: string | null;
  /** From `Retry-After` on 429/503, in ms from the end of the attempt. */
  retryAfterMs: number | null;
}

export interface HttpSenderOptions extends Omit<EgressOptions, 'connectTimeoutMs'> {
  /** One deadline over connect, headers and body (DELIVERY_TIMEOUT). */
  timeoutMs: number;
  /** Production: https only. */
  requireHttps: boolean;
}

/** Sends one signed webhook: never throws, every outcome is a SendResult. */
export interface WebhookSender {
  send(url: string, request: WebhookRequest): Promise<SendResult>;
  close(): Promise<void>;
}

export class HttpSender implements WebhookSender {
  private readonly pool: EgressPool;

  constructor(private readonly options: HttpSenderOptions) {
    this.pool = new EgressPool({ ...options, connectTimeoutMs: options.timeoutMs });
  }

  async send(url: string, webhook: WebhookRequest): Promise<SendResult> {
    const startedAt = Date.now();
    const finish = (partial: Omit<SendResult, 'startedAt' | 'durationMs'>): SendResult => ({
      ...partial,
      startedAt,
      durationMs: Date.now() - startedAt,
    });
    const refused = this.refuse(url);
    if (refused)
      return finish({ ok: false, statusCode: null, error: refused, responseBody: null, retryAfterMs: null });

    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new DOMException('delivery timeout', 'TimeoutError'));
    }, this.options.timeoutMs);
    let statusCode: number | null = null;
    try {
      // undici's plain request never follows redirects: a 3xx comes back as it is.
      const response = await request(url, {
        method: 'POST',
        headers: webhook.headers,
        body: webhook.body,
        dispatcher: this.pool.pick(),
        signal: controller.signal,
        headersTimeout: this.options.timeoutMs,
        bodyTimeout: this.options.timeoutMs,
      });
      statusCode = response.statusCode;
      const responseBody = await readPrefix(response.body);
      const ok = statusCode >= 200 && statusCode < 300;
      const error = ok ? null : statusCode >= 300 && statusCode < 400 ? 'redirect' : 'http_status';
      const retryAfter = retryAfterMs(statusCode, response.headers['retry-after'], Date.now());
      return finish({ ok, statusCode, error, responseBody, retryAfterMs: retryAfter });
    } catch (error) {
      const name = timedOut ? 'timeout' : nameTransportError(error);
      return finish({ ok: false, statusCode, error: name, responseBody: null, retryAfterMs: null });
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await this.pool.close();
  }

  /** Checks that need no network: the scheme, and IP-literal hosts (which skip the guarded DNS lookup). */
  private refuse(url: string): AttemptErrorName | null {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return 'blocked_address';
    }
    if (parsed.protocol !== 'https:' && (this.options.requireHttps || parsed.protocol !== 'http:')) {
      return 'blocked_address';
    }
    if (this.options.guardAddresses) {
      const host = parsed.hostname.replace(/^\[|\]$/g, '');
      if (isIP(host) !== 0 && isBlockedAddress(host))
        return nameTransportError(new BlockedAddressError(host, host));
    }
    return null;
  }
}

/** Keeps the first 4 KiB, drains a little more for keep-alive, and drops the connection beyond that. */
async function readPrefix(body: AsyncIterable<Buffer> & { destroy(error?: Error): void }): Promise<string> {
  const kept: Buffer[] = [];
  let keptBytes = 0;
  let seen = 0;
  for await (const chunk of body) {
    seen += chunk.length;
    if (keptBytes < RESPONSE_BODY_LIMIT) {
      const slice = chunk.subarray(0, RESPONSE_BODY_LIMIT - keptBytes);
      kept.push(slice);
      keptBytes += slice.length;
    }
    if (seen > DRAIN_LIMIT) {
      body.destroy();
      break;
    }
  }
  return Buffer.concat(kept).toString('utf8');
}
