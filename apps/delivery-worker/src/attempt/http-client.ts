import { EventEmitter } from 'node:events';
import { isIP } from 'node:net';
import type { Readable } from 'node:stream';
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
  private readonly verdicts = new Map<string, AttemptErrorName | null>();

  constructor(private readonly options: HttpSenderOptions) {
    this.pool = new EgressPool({ ...options, connectTimeoutMs: options.timeoutMs });
  }

  async send(url: string, webhook: WebhookRequest): Promise<SendResult> {
    const startedAt = Date.now();
    const refused = this.refuse(url);
    if (refused) return failed(startedAt, null, refused);

    const deadline = new Deadline(this.options.timeoutMs);
    let statusCode: number | null = null;
    try {
      // undici's plain request never follows redirects: a 3xx comes back as it is.
      const response = await request(url, {
        method: 'POST',
        headers: webhook.headers,
        body: webhook.body,
        dispatcher: this.pool.pick(),
        signal: deadline,
        headersTimeout: this.options.timeoutMs,
        bodyTimeout: this.options.timeoutMs,
      });
      statusCode = response.statusCode;
      const responseBody = await readPrefix(response.body);
      const ok = statusCode >= 200 && statusCode < 300;
      const now = Date.now();
      return {
        ok,
        startedAt,
        durationMs: now - startedAt,
        statusCode,
        error: ok ? null : statusCode >= 300 && statusCode < 400 ? 'redirect' : 'http_status',
        responseBody,
        retryAfterMs: retryAfterMs(statusCode, response.headers['retry-after'], now),
      };
    } catch (error) {
      return failed(startedAt, statusCode, deadline.aborted ? 'timeout' : nameTransportError(error));
    } finally {
      deadline.clear();
    }
  }

  async close(): Promise<void> {
    await this.pool.close();
  }

  /** `checkUrl` once per URL: endpoints are few and their URLs change rarely, attempts are many. */
  private refuse(url: string): AttemptErrorName | null {
    let verdict = this.verdicts.get(url);
    if (verdict === undefined) {
      if (this.verdicts.size >= MAX_REMEMBERED_URLS) this.verdicts.clear();
      verdict = this.checkUrl(url);
      this.verdicts.set(url, verdict);
    }
    return verdict;
  }

  /** Checks that need no network: the scheme, and IP-literal hosts (which skip the guarded DNS lookup). */
  private checkUrl(url: string): AttemptErrorName | null {
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

/** URL checks remembered by one sender before it starts over (a bound, not a cache policy). */
const MAX_REMEMBERED_URLS = 10_000;

function failed(startedAt: number, statusCode: number | null, error: AttemptErrorName): SendResult {
  return {
    ok: false,
    startedAt,
    durationMs: Date.now() - startedAt,
    statusCode,
    error,
    responseBody: null,
    retryAfterMs: null,
  };
}

/**
 * The attempt's one deadline over connect, headers and body, as the abort signal undici takes. undici accepts an
 * EventEmitter with `aborted` and `reason` as well as an AbortSignal; this one costs an object and a timer, where
 * an AbortController plus an EventTarget listener cost about as much as the rest of the request's own code.
 */
class Deadline extends EventEmitter {
  aborted = false;
  reason: unknown = undefined;
  private readonly timer: NodeJS.Timeout;

  constructor(timeoutMs: number) {
    super();
    this.timer = setTimeout(() => {
      this.aborted = true;
      this.reason = new DOMException('delivery timeout', 'TimeoutError');
      this.emit('abort');
    }, timeoutMs);
  }

  clear(): void {
    clearTimeout(this.timer);
  }
}

/**
 * Keeps the first 4 KiB, drains a little more for keep-alive, and drops the connection beyond that. Event
 * listeners rather than `for await`: an async iterator and a promise per chunk for what is mostly one small chunk.
 */
function readPrefix(body: Readable): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const kept: Buffer[] = [];
    let keptBytes = 0;
    let seen = 0;
    let settled = false;
    const done = (): void => {
      settled = true;
      body.off('data', onData);
      body.off('end', done);
      resolve(kept.length === 1 ? kept[0]!.toString('utf8') : Buffer.concat(kept).toString('utf8'));
    };
    const onData = (chunk: Buffer): void => {
      seen += chunk.length;
      if (keptBytes < RESPONSE_BODY_LIMIT) {
        const slice = chunk.subarray(0, RESPONSE_BODY_LIMIT - keptBytes);
        kept.push(slice);
        keptBytes += slice.length;
      }
      if (seen > DRAIN_LIMIT) {
        done();
        body.destroy();
      }
    };
    body.on('data', onData);
    body.on('end', done);
    // Stays attached: an error after the prefix was taken (the connection dropped) must not go unhandled.
    body.on('error', (error: Error) => {
      if (settled) return;
      settled = true;
      body.off('data', onData);
      body.off('end', done);
      reject(error);
    });
  });
}
