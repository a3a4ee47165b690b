import { describe, expect, it } from '@jest/globals';
import { checkEndpointUrl, MAX_URL_LENGTH, type HostResolver } from './url-policy.js';

const dns: Record<string, string[]> = {
  'hooks.example.com': ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'],
  'internal.example.com': ['10.1.2.3'],
  'mixed.example.com': ['93.184.216.34', '192.168.0.10'],
  'meta.example.com': ['169.254.169.254'],
  'mapped.example.com': ['::ffff:127.0.0.1'],
  'ula.example.com': ['fd00::1'],
  'cgnat.example.com': ['100.64.1.1'],
  'empty.example.com': [],
};

const resolver: HostResolver = {
  resolve: (host) => {
    const found = dns[host];
    return found ? Promise.resolve(found) : Promise.reject(new Error('ENOTFOUND'));
  },
};

const prod = { production: true, resolver };
const dev = { production: false, resolver };

describe('checkEndpointUrl in production', () => {
  it.each([
    ['https://hooks.example.com/webhooks', 'https://hooks.example.com/webhooks'],
    ['https://hooks.example.com:8443/a?b=c', 'https://hooks.example.com:8443/a?b=c'],
    ['https://8.8.8.8/hook', 'https://8.8.8.8/hook'],
    ['https://[2606:4700:4700::1111]/hook', 'https://[2606:4700:4700::1111]/hook'],
    ['HTTPS://HOOKS.example.com', 'https://hooks.example.com/'],
  ])('accepts %s', async (raw, normalized) => {
    await expect(checkEndpointUrl(raw, prod)).resolves.toEqual({ ok: true, url: normalized });
  });

  it.each([
    ['http://hooks.example.com/', /https/],
    ['ftp://hooks.example.com/', /https/],
    ['not a url', /absolute URL/],
    ['/relative/path', /absolute URL/],
    ['https://localhost/', /loopback/],
    ['https://api.localhost./', /loopback/],
    ['https://127.0.0.1/', /loopback/],
    ['https://2130706433/', /loopback/], // decimal form of 127.0.0.1
    ['https://0x7f.1/', /loopback/],
    ['https://[::1]/', /loopback/],
    ['https://10.0.0.5/', /private/],
    ['https://172.20.1.1/', /private/],
    ['https://192.168.1.1/', /private/],
    ['https://100.64.0.1/', /carrier-grade/],
    ['https://169.254.10.10/', /link-local/],
    ['https://169.254.169.254/latest/meta-data', /metadata/],
    ['https://[::ffff:169.254.169.254]/', /IPv4-mapped/],
    ['https://[fd00::1]/', /unique local/],
    ['https://[fe80::1]/', /link-local/],
    ['https://0.0.0.0/', /unspecified/],
    ['https://internal.example.com/', /resolves to 10\.1\.2\.3, a private/],
    ['https://mixed.example.com/', /192\.168\.0\.10/],
    ['https://meta.example.com/', /metadata/],
    ['https://mapped.example.com/', /IPv4-mapped/],
    ['https://ula.example.com/', /unique local/],
    ['https://cgnat.example.com/', /carrier-grade/],
    ['https://empty.example.com/', /does not resolve/],
    ['https://nowhere.example.com/', /does not resolve/],
  ])('rejects %s', async (raw, message) => {
    const verdict = await checkEndpointUrl(raw, prod);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.message).toMatch(message);
  });

  it('rejects over-long URLs', async () => {
    const raw = `https://hooks.example.com/${'a'.repeat(MAX_URL_LENGTH)}`;
    await expect(checkEndpointUrl(raw, prod)).resolves.toMatchObject({ ok: false });
  });
});

describe('checkEndpointUrl outside production', () => {
  it.each([
    'http://127.0.0.1:8080/hook',
    'http://localhost:3000/',
    'https://10.0.0.1/',
    'http://nowhere.example.com/',
  ])('accepts %s without resolving it', async (raw) => {
    await expect(checkEndpointUrl(raw, dev)).resolves.toMatchObject({ ok: true });
  });

  it.each(['ftp://example.com/', 'mailto:a@b.c', 'nonsense', 'http://'])('still rejects %s', async (raw) => {
    await expect(checkEndpointUrl(raw, dev)).resolves.toMatchObject({ ok: false });
  });
});
