/**
 * Maps whatever undici / node:net / node:tls threw to the short names the logs and the dashboard show
 * (messages.ts AttemptRecord.error). Unknown failures become `network` rather than leaking a stack.
 */
export type TransportErrorName =
  'timeout' | 'connection_refused' | 'dns' | 'tls' | 'reset' | 'unreachable' | 'blocked_address' | 'network';

const BY_CODE: Record<string, TransportErrorName> = {
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
  ETIMEDOUT: 'timeout',
  ECONNREFUSED: 'connection_refused',
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns',
  EAI_NONAME: 'dns',
  EAI_FAIL: 'dns',
  EAI_NODATA: 'dns',
  ENODATA: 'dns',
  ESERVFAIL: 'dns',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  ECONNABORTED: 'reset',
  UND_ERR_SOCKET: 'reset',
  UND_ERR_CLOSED: 'reset',
  EHOSTUNREACH: 'unreachable',
  ENETUNREACH: 'unreachable',
  EHOSTDOWN: 'unreachable',
  EADDRNOTAVAIL: 'unreachable',
  EBLOCKEDADDRESS: 'blocked_address',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'tls',
  SELF_SIGNED_CERT_IN_CHAIN: 'tls',
  CERT_HAS_EXPIRED: 'tls',
  CERT_NOT_YET_VALID: 'tls',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'tls',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'tls',
  EPROTO: 'tls',
};

const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|ERR_OSSL_|CERT_|UNABLE_TO_)/;

/** Every error reachable through `cause` and AggregateError's `errors`, outermost first. */
function* errorChain(error: unknown, depth = 0): Generator<unknown> {
  if (error === null || error === undefined || depth > 8) return;
  yield error;
  if (typeof error !== 'object') return;
  const { cause, errors } = error as { cause?: unknown; errors?: unknown };
  if (Array.isArray(errors)) for (const inner of errors) yield* errorChain(inner, depth + 1);
  yield* errorChain(cause, depth + 1);
}

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

export function nameTransportError(error: unknown): TransportErrorName {
  for (const link of errorChain(error)) {
    const code = codeOf(link);
    if (code) {
      const known = BY_CODE[code];
      if (known) return known;
      if (TLS_CODE.test(code)) return 'tls';
    }
    // Duck-typed: DOMException and errors from another realm are not `instanceof Error`.
    if (typeof link === 'object' && link !== null) {
      const { name, message } = link as { name?: unknown; message?: unknown };
      if (name === 'TimeoutError') return 'timeout';
      if (typeof message === 'string' && /\b(ssl|tls)\b/i.test(message)) return 'tls';
    }
  }
  return 'network';
}
