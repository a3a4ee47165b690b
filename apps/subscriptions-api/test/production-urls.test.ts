import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { HostResolver } from '../src/endpoints/url-policy/url-policy.js';
import { createAccount, createEndpoint, startApp, type TestApp } from './support/harness.js';

/** Stands in for DNS so the production rules can be checked on resolved addresses without a network. */
const zone: Record<string, string[]> = {
  'hooks.example.com': ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'],
  'intranet.example.com': ['10.20.30.40'],
  'sneaky.example.com': ['93.184.216.34', '127.0.0.1'],
  'metadata.example.com': ['169.254.169.254'],
  'carrier.example.com': ['100.64.12.1'],
  'mapped.example.com': ['::ffff:10.0.0.1'],
  'ula.example.com': ['fd12::1'],
};
const resolver: HostResolver = {
  resolve: (host) => (zone[host] ? Promise.resolve(zone[host]) : Promise.reject(new Error('ENOTFOUND'))),
};

describe('endpoint URLs when NODE_ENV=production', () => {
  let t: TestApp;
  let key: string;

  beforeAll(async () => {
    t = await startApp({ env: { NODE_ENV: 'production' }, hostResolver: resolver });
    ({ key } = await createAccount(t));
  });

  afterAll(async () => {
    await t?.close();
  });

  const create = (url: string): ReturnType<TestApp['request']> =>
    t.request('POST', '/v1/endpoints', { token: key, body: { url, events: ['*'] } });

  it.each([
    ['plain http', 'http://hooks.example.com/webhooks', 'must use https in production'],
    ['loopback IPv4', 'https://127.0.0.1/hook', 'host 127.0.0.1 is a loopback address'],
    ['loopback, decimal form', 'https://2130706433/hook', 'host 127.0.0.1 is a loopback address'],
    ['localhost', 'https://localhost:8443/hook', 'host localhost is a loopback address'],
    ['loopback IPv6', 'https://[::1]/hook', 'host ::1 is a loopback address'],
    ['private 10/8', 'https://10.1.2.3/hook', 'host 10.1.2.3 is a private network address'],
    ['private 172.16/12', 'https://172.16.0.9/hook', 'host 172.16.0.9 is a private network address'],
    ['private 192.168/16', 'https://192.168.1.1/hook', 'host 192.168.1.1 is a private network address'],
    ['CGNAT', 'https://100.64.0.1/hook', 'host 100.64.0.1 is a carrier-grade NAT (100.64.0.0/10) address'],
    ['link-local', 'https://169.254.1.1/hook', 'host 169.254.1.1 is a link-local address'],
    ['metadata', 'https://169.254.169.254/latest', 'host 169.254.169.254 is a cloud metadata address'],
    [
      'IPv4-mapped IPv6',
      'https://[::ffff:127.0.0.1]/hook',
      'host ::ffff:7f00:1 is an IPv4-mapped IPv6 address',
    ],
    ['unique local IPv6', 'https://[fd00::1]/hook', 'host fd00::1 is a unique local (fc00::/7) address'],
    ['link-local IPv6', 'https://[fe80::1]/hook', 'host fe80::1 is a link-local address'],
    ['unspecified', 'https://0.0.0.0/hook', 'host 0.0.0.0 is an unspecified address'],
    [
      'name resolving to private',
      'https://intranet.example.com/',
      'host intranet.example.com resolves to 10.20.30.40, a private network address',
    ],
    [
      'name with one loopback address',
      'https://sneaky.example.com/',
      'host sneaky.example.com resolves to 127.0.0.1, a loopback address',
    ],
    [
      'name resolving to metadata',
      'https://metadata.example.com/',
      'resolves to 169.254.169.254, a cloud metadata address',
    ],
    [
      'name resolving to CGNAT',
      'https://carrier.example.com/',
      'resolves to 100.64.12.1, a carrier-grade NAT',
    ],
    [
      'name resolving to mapped',
      'https://mapped.example.com/',
      'resolves to ::ffff:10.0.0.1, an IPv4-mapped IPv6 address',
    ],
    ['name resolving to ULA', 'https://ula.example.com/', 'resolves to fd12::1, a unique local'],
    [
      'name that does not resolve',
      'https://nowhere.example.com/',
      'host nowhere.example.com does not resolve',
    ],
  ])('422 invalid_url: %s', async (_name, url, message) => {
    const response = await create(url);
    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe('invalid_url');
    expect(response.body.error.details).toHaveLength(1);
    expect(response.body.error.details[0].field).toBe('url');
    expect(response.body.error.details[0].message).toContain(message);
  });

  it('accepts https to a public name and a public address', async () => {
    expect((await create('https://hooks.example.com/codeplanet')).status).toBe(201);
    expect((await create('https://93.184.216.34/codeplanet')).status).toBe(201);
    expect((await create('https://[2606:4700:4700::1111]/codeplanet')).status).toBe(201);
  });

  it('checks PATCH too', async () => {
    const endpoint = await createEndpoint(t, key, { url: 'https://hooks.example.com/a' });
    const response = await t.request('PATCH', `/v1/endpoints/${endpoint.id}`, {
      token: key,
      body: { url: 'https://intranet.example.com/a' },
    });
    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe('invalid_url');
    const unchanged = await t.request('GET', `/v1/endpoints/${endpoint.id}`, { token: key });
    expect(unchanged.body.url).toBe('https://hooks.example.com/a');
  });
});
