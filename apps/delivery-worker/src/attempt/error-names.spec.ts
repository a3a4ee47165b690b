import { describe, expect, it } from '@jest/globals';
import { nameTransportError } from './error-names.js';

function coded(code: string, message = code): Error {
  return Object.assign(new Error(message), { code });
}

describe('nameTransportError', () => {
  it.each([
    ['ECONNREFUSED', 'connection_refused'],
    ['ENOTFOUND', 'dns'],
    ['EAI_AGAIN', 'dns'],
    ['ECONNRESET', 'reset'],
    ['UND_ERR_SOCKET', 'reset'],
    ['UND_ERR_CONNECT_TIMEOUT', 'timeout'],
    ['UND_ERR_HEADERS_TIMEOUT', 'timeout'],
    ['UND_ERR_BODY_TIMEOUT', 'timeout'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'tls'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'tls'],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'tls'],
    ['EHOSTUNREACH', 'unreachable'],
    ['EBLOCKEDADDRESS', 'blocked_address'],
  ])('names %s as %s', (code, name) => {
    expect(nameTransportError(coded(code))).toBe(name);
  });

  it('looks through the cause chain and aggregate errors', () => {
    const wrapped = new TypeError('fetch failed', { cause: coded('ECONNREFUSED') });
    expect(nameTransportError(wrapped)).toBe('connection_refused');
    const aggregate = new AggregateError([coded('ETIMEDOUT'), coded('ECONNREFUSED')], 'all failed');
    expect(nameTransportError(aggregate)).toBe('timeout');
  });

  it('names abort timeouts and TLS messages, and falls back to network', () => {
    expect(nameTransportError(new DOMException('late', 'TimeoutError'))).toBe('timeout');
    expect(
      nameTransportError(new Error('Client network socket disconnected before secure TLS connection')),
    ).toBe('tls');
    expect(nameTransportError(new Error('something odd'))).toBe('network');
    expect(nameTransportError('a string')).toBe('network');
  });
});
