import { describe, expect, it } from '@jest/globals';
import { ApiClient, queryString } from './client.js';
import { ApiError, toApiError } from './errors.js';

describe('contract errors', () => {
  it('reads code, message and field details', () => {
    const error = toApiError(400, {
      error: {
        code: 'validation_failed',
        message: 'bad',
        details: [
          { field: 'url', message: 'must be https' },
          { field: 'events[1]', message: 'unknown' },
        ],
      },
    });
    expect(error.code).toBe('validation_failed');
    expect(error.forField('url')).toBe('must be https');
    expect(error.forField('events')).toBe('unknown');
    expect(error.forField('description')).toBeUndefined();
  });

  it('survives bodies that are not the contract', () => {
    const error = toApiError(502, '<html>Bad gateway</html>');
    expect(error).toBeInstanceOf(ApiError);
    expect(error.code).toBe('http_502');
  });
});

describe('ApiClient', () => {
  it('sends the bearer token and JSON, and calls back on 401', async () => {
    const calls: { url: string; init: RequestInit | undefined }[] = [];
    let signedOut = false;
    const client = new ApiClient(
      'cpk_abc',
      () => {
        signedOut = true;
      },
      (url, init) => {
        calls.push({ url, init });
        return Promise.resolve(
          new Response(JSON.stringify({ error: { code: 'unauthorized', message: 'no' } }), { status: 401 }),
        );
      },
    );
    await expect(client.post('/v1/endpoints', { url: 'x' })).rejects.toMatchObject({
      status: 401,
      code: 'unauthorized',
    });
    expect(signedOut).toBe(true);
    expect(calls[0]?.url).toBe('/v1/endpoints');
    expect(calls[0]?.init?.headers).toMatchObject({
      authorization: 'Bearer cpk_abc',
      'content-type': 'application/json',
    });
    expect(calls[0]?.init?.body).toBe('{"url":"x"}');
  });

  it('builds query strings from the set values only', () => {
    expect(queryString({ endpoint_id: 'ep_1', status: '', cursor: undefined, limit: 25 })).toBe(
      '?endpoint_id=ep_1&limit=25',
    );
    expect(queryString({})).toBe('');
  });
});
