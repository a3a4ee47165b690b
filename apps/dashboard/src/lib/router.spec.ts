import { describe, expect, it } from '@jest/globals';
import { href, parseRoute } from './router.js';

describe('hash routes', () => {
  it('parses every page and defaults to the endpoint list', () => {
    expect(parseRoute('')).toEqual({ page: 'endpoints' });
    expect(parseRoute('#/nowhere')).toEqual({ page: 'endpoints' });
    expect(parseRoute('#/endpoints/new')).toEqual({ page: 'new-endpoint' });
    expect(parseRoute(href.endpoint('ep_1'))).toEqual({ page: 'endpoint', id: 'ep_1' });
    expect(parseRoute(href.delivery('dlv_1'))).toEqual({ page: 'delivery', id: 'dlv_1' });
  });

  it('keeps the log filters in the query', () => {
    const route = parseRoute(href.logs({ endpoint_id: 'ep_1', status: 'failed' }));
    expect(route.page).toBe('logs');
    if (route.page === 'logs') {
      expect(route.query.get('endpoint_id')).toBe('ep_1');
      expect(route.query.get('status')).toBe('failed');
    }
  });
});
