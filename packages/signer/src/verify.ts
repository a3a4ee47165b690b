import { timingSafeEqual } from 'node:crypto';
import { WebhookVerificationError } from './errors.js';
import { HEADERS, readHeader, type HeaderSource } from './headers.js';
import { codeplanetDigest, standardDigest } from './hmac.js';
import { secretKey } from './secret.js';

export const DEFAULT_TOLERANCE_SECONDS = 300;

export interface VerifyWebhookOptions {
  /** The endpoint secret (`whsec_...`), or several while a rotation is in progress: any one may match. */
  secret: string | readonly string[];
  /** The request headers: a Fetch `Headers` or a plain object (any letter case). */
  headers: HeaderSource;
  /** The raw body exactly as received, never re-serialized JSON. */
  body: string | Uint8Array;
  /** Largest accepted distance between the signed timestamp and now, either way. Default 300 (5 minutes). */
  toleranceSeconds?: number;
  /** The current time: a Date, or a number (below 10^11 read as unix seconds, above as epoch milliseconds). */
  now?: Date | number;
}

const HEX_SHA256 = /^[0-9a-fA-F]{64}$/;
const BASE64_SHA256 = /^[A-Za-z0-9+/]{43}=$/;

function nowSeconds(now: Date | number | undefined): number {
  if (now === undefined) return Date.now() / 1000;
  if (now instanceof Date) return now.getTime() / 1000;
  return now < 1e11 ? now : now / 1000;
}

function requireHeader(headers: HeaderSource, name: string): string {
  const value = readHeader(headers, name)?.trim();
  if (!value) throw new WebhookVerificationError('missing_headers', `missing ${name} header`);
  return value;
}

/** Parses the signed timestamp and enforces the replay window. */
function checkTimestamp(name: string, raw: string, options: VerifyWebhookOptions): void {
  if (!/^\d{1,15}$/.test(raw)) {
    throw new WebhookVerificationError(
      'invalid_timestamp',
      `${name} must be unix seconds (got ${JSON.stringify(raw.slice(0, 40))})`,
    );
  }
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (!(tolerance >= 0)) throw new TypeError(`toleranceSeconds must be 0 or more (got ${tolerance})`);
  const age = nowSeconds(options.now) - Number(raw);
  if (age > tolerance) {
    throw new WebhookVerificationError(
      'timestamp_too_old',
      `${name} is ${Math.round(age)} s old, more than the ${tolerance} s allowed (replayed or delayed delivery, or a wrong clock)`,
    );
  }
  if (-age > tolerance) {
    throw new WebhookVerificationError(
      'timestamp_too_new',
      `${name} is ${Math.round(-age)} s in the future, more than the ${tolerance} s allowed (check the receiver's clock)`,
    );
  }
}

function secretsOf(options: VerifyWebhookOptions): Buffer[] {
  const list = typeof options.secret === 'string' ? [options.secret] : [...options.secret];
  if (list.length === 0) throw new TypeError('verify needs at least one secret');
  return list.map(secretKey);
}

/** Timing-safe: every comparison is `timingSafeEqual` over two 32-byte buffers. */
function anyMatches(expected: readonly Buffer[], candidates: readonly Buffer[]): boolean {
  return expected.some((digest) =>
    candidates.some((candidate) => candidate.length === digest.length && timingSafeEqual(candidate, digest)),
  );
}

/** The `v1` signatures of a space-separated list; entries of other versions or shapes are skipped. */
function v1Signatures(
  header: string,
  separator: '=' | ',',
  pattern: RegExp,
  encoding: 'hex' | 'base64',
): Buffer[] {
  const found: Buffer[] = [];
  for (const entry of header.split(/\s+/)) {
    const at = entry.indexOf(separator);
    if (at < 0 || entry.slice(0, at) !== 'v1') continue;
    const value = entry.slice(at + 1);
    if (pattern.test(value)) found.push(Buffer.from(value, encoding));
  }
  return found;
}

function mismatch(header: string, signatures: number, secrets: number): WebhookVerificationError {
  return new WebhookVerificationError(
    'signature_mismatch',
    `no signature in ${header} matches (${signatures} signature(s) checked against ${secrets} secret(s)); ` +
      'sign and verify the raw body bytes, not re-serialized JSON',
  );
}

/** Verifies `x-codeplanet-timestamp` + `x-codeplanet-signature` (`v1=<hex>`). Throws `WebhookVerificationError`. */
export function verifyCodeplanetSignature(options: VerifyWebhookOptions): void {
  const keys = secretsOf(options);
  const timestamp = requireHeader(options.headers, HEADERS.codeplanetTimestamp);
  const header = requireHeader(options.headers, HEADERS.codeplanetSignature);
  checkTimestamp(HEADERS.codeplanetTimestamp, timestamp, options);
  const candidates = v1Signatures(header, '=', HEX_SHA256, 'hex');
  if (candidates.length === 0) {
    throw new WebhookVerificationError(
      'invalid_signature_header',
      `${HEADERS.codeplanetSignature} has no v1=<64 hex digits> signature`,
    );
  }
  const expected = keys.map((key) => codeplanetDigest(key, timestamp, options.body));
  if (!anyMatches(expected, candidates))
    throw mismatch(HEADERS.codeplanetSignature, candidates.length, keys.length);
}

/** Verifies `webhook-id` + `webhook-timestamp` + `webhook-signature` (`v1,<base64>`), the Standard Webhooks way. */
export function verifyStandardWebhook(options: VerifyWebhookOptions): void {
  const keys = secretsOf(options);
  const id = requireHeader(options.headers, HEADERS.webhookId);
  const timestamp = requireHeader(options.headers, HEADERS.webhookTimestamp);
  const header = requireHeader(options.headers, HEADERS.webhookSignature);
  checkTimestamp(HEADERS.webhookTimestamp, timestamp, options);
  const candidates = v1Signatures(header, ',', BASE64_SHA256, 'base64');
  if (candidates.length === 0) {
    throw new WebhookVerificationError(
      'invalid_signature_header',
      `${HEADERS.webhookSignature} has no v1,<base64 HMAC-SHA256> signature`,
    );
  }
  const expected = keys.map((key) => standardDigest(key, id, timestamp, options.body));
  if (!anyMatches(expected, candidates))
    throw mismatch(HEADERS.webhookSignature, candidates.length, keys.length);
}

/**
 * Verifies a CodePlanet delivery: every header set that is present must verify, and at least one must be present.
 * Throws `WebhookVerificationError` (reject the request with a 4xx); returns normally when the delivery is authentic.
 */
export function verifyWebhook(options: VerifyWebhookOptions): void {
  const { headers } = options;
  const hasCodeplanet =
    readHeader(headers, HEADERS.codeplanetSignature) !== undefined ||
    readHeader(headers, HEADERS.codeplanetTimestamp) !== undefined;
  const hasStandard = [HEADERS.webhookId, HEADERS.webhookTimestamp, HEADERS.webhookSignature].some(
    (name) => readHeader(headers, name) !== undefined,
  );
  if (!hasCodeplanet && !hasStandard) {
    throw new WebhookVerificationError(
      'missing_headers',
      `no signature headers: expected ${HEADERS.codeplanetTimestamp} + ${HEADERS.codeplanetSignature}, ` +
        `or ${HEADERS.webhookId} + ${HEADERS.webhookTimestamp} + ${HEADERS.webhookSignature}`,
    );
  }
  if (hasCodeplanet) verifyCodeplanetSignature(options);
  if (hasStandard) verifyStandardWebhook(options);
}
