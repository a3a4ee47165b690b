/** Why a delivery failed verification; stable strings, safe to log or to map to a 400/401. */
export type WebhookVerificationErrorCode =
  | 'missing_headers'
  | 'invalid_timestamp'
  | 'timestamp_too_old'
  | 'timestamp_too_new'
  | 'invalid_signature_header'
  | 'signature_mismatch';

/**
 * Thrown by the verifiers when a delivery must be rejected. Receivers answer it with a 4xx; a bad *secret* (a
 * configuration mistake, not a bad request) throws a plain `TypeError` instead.
 */
export class WebhookVerificationError extends Error {
  override readonly name = 'WebhookVerificationError';

  constructor(
    readonly code: WebhookVerificationErrorCode,
    message: string,
  ) {
    super(message);
  }
}
